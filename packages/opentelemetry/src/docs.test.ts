/**
 * README.md stays true: the quick start runs as written (in a child process, against the
 * sources), and the instrument table lists exactly the instruments this package creates.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LOOKUP_SPAN_NAME, PHONE_GUARD_ATTRIBUTES, PHONE_GUARD_METRICS } from './index.js';

const run = promisify(execFile);
const packageDir = resolve(import.meta.dirname, '..');
const tsx = resolve(packageDir, '../../node_modules/.bin/tsx');
const readme = await readFile(join(packageDir, 'README.md'), 'utf8');

/** The first ```ts block after `heading`. */
function codeAfter(heading: string): string {
  const from = readme.indexOf(heading);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(from));
  if (from < 0 || !match?.[1]) throw new Error(`no code block after ${heading}`);
  return match[1];
}

describe('README.md', () => {
  it('the quick start runs and prints the instruments and the look-up span', async () => {
    // Inside the package, so its imports resolve like a consumer's (dev dependencies).
    const dir = await mkdtemp(join(packageDir, '.readme-'));
    try {
      const file = join(dir, 'quick-start.mts');
      await writeFile(file, codeAfter('## Quick start'));
      const { stdout } = await run(tsx, [file], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '--conditions=@phone-guard/source' },
        timeout: 60_000,
      });
      expect(stdout).toContain("'phone_guard.decisions'");
      expect(stdout).toContain("'phone_guard.lookup.duration'");
      expect(stdout).toContain("name: 'phone_guard.lookup'");
      expect(stdout).toContain("name: 'POST /signup'");
      expect(stdout).toContain("'SUBSCRIBER_DISCONNECTED'");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('documents every instrument and attribute, and no other', () => {
    const section = readme.slice(readme.indexOf('## Instruments'), readme.indexOf('## Privacy'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const instruments = rows
      .map((l) => /^\| `([a-z_.]+)` \| (counter|histogram) \|/.exec(l)?.[1])
      .filter((n) => n !== undefined);
    expect(instruments.sort()).toEqual(Object.values(PHONE_GUARD_METRICS).sort());
    expect(section).toContain(`**Span \`${LOOKUP_SPAN_NAME}\`**`);
    for (const attribute of Object.values(PHONE_GUARD_ATTRIBUTES)) {
      const last = attribute.split('.').at(-1) as string;
      expect(
        section.includes(`\`${attribute}\``) || section.includes(`.${last}\``),
        attribute,
      ).toBe(true);
    }
  });
});
