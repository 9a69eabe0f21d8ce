// Packaging checks for every package: publint (package.json, exports, files) and
// @arethetypeswrong/cli (types resolve correctly for require and import under every
// module resolution). Runs on the packed tarballs, i.e. exactly what would be published.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAll } from './pack-all.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.tmp', 'check-packs');
rmSync(outDir, { recursive: true, force: true });
const tarballs = packAll(outDir);
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const [name, tarball] of Object.entries(tarballs)) {
  for (const [tool, args] of [
    ['publint', [bin('publint'), 'run', tarball, '--strict']],
    ['attw', [bin('attw'), tarball, '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      console.log(`ok   ${tool.padEnd(8)} ${name}`);
    } catch (err) {
      failed += 1;
      console.log(`FAIL ${tool.padEnd(8)} ${name}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }
}
if (failed > 0) {
  console.error(`${failed} packaging check(s) failed`);
  process.exit(1);
}
