#!/usr/bin/env node
// The `phone-guard-sandbox` command. Its code is built into dist/ (shipped in the package);
// this committed file only loads it, so that installing the workspace before a build links
// the command cleanly, and running it unbuilt says what to do.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'phone-guard-sandbox: not built yet: run `pnpm build` in the phone-guard workspace first.\n',
  );
  process.exit(2);
}
await import(entry.href);
