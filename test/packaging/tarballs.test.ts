/**
 * Packs every package as it would be published, installs the tarballs into a fresh
 * consumer project outside the workspace, and uses them from CommonJS, ESM and a
 * type-checked TypeScript file. This is what a user gets from the registry.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs helper without declarations
import { packAll } from '../../scripts/pack-all.mjs';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/** The public names each package must export at run time, from both module formats. */
const EXPECTED: Record<string, string[]> = {
  '@phone-guard/core': [
    'normalizePhone',
    'signTelesignRequest',
    'createTelesignClient',
    'createPhoneGuard',
    'isPhoneGuardError',
    'PhoneGuardError',
    'PhoneGuardOptionError',
    'TelesignError',
    'maskPhone',
    'USE_CASES',
    'POLICY_PRESETS',
    'isCountryCode',
    'faultOf',
    'VERIFY_PHONE',
    'GUARD_CHANNELS',
  ],
  '@phone-guard/express': ['phoneGuard'],
  '@phone-guard/koa': ['phoneGuard'],
  '@phone-guard/sandbox': [
    'startSandbox',
    'TEST_NUMBERS',
    'INTERNATIONAL_TEST_NUMBERS',
    'ADDON_TEST_NUMBERS',
    'TEST_NUMBER_TABLE',
    'SANDBOX_CUSTOMER_ID',
    'SANDBOX_API_KEY',
    'runSandboxCommand',
  ],
  '@phone-guard/redis': ['createRedisStore'],
  '@phone-guard/cli': ['main', 'EXIT'],
  '@phone-guard/opentelemetry': [
    'instrumentPhoneGuard',
    'PHONE_GUARD_METRICS',
    'PHONE_GUARD_ATTRIBUTES',
    'LOOKUP_SPAN_NAME',
  ],
};

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phone-guard-consumer-'));
  const tarballs = packAll(join(dir, 'packs')) as Record<string, string>;
  const fileSpecs = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      dependencies: {
        ...fileSpecs,
        express: '^5.1.0',
        koa: '^3.0.1',
        ioredis: '^5.6.1',
        '@opentelemetry/api': '^1.9.0',
      },
      devDependencies: {
        '@types/node': '^20.19.0',
        '@types/express': '^5.0.3',
        '@types/koa': '^3.0.0',
      },
      overrides: fileSpecs,
    }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
  });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('packed tarballs in a fresh consumer', () => {
  it('install working commands: phone-guard and phone-guard-sandbox', async () => {
    const bin = (name: string) => join(dir, 'node_modules', '.bin', name);
    const env = await run(bin('phone-guard-sandbox'), ['--env'], { cwd: dir });
    expect(env.stdout).toContain("export TELESIGN_BASE_URL='http://127.0.0.1:8787'");
    const checked = await run(
      bin('phone-guard'),
      ['check', '+14155550100', '--sandbox', '--json'],
      {
        cwd: dir,
      },
    );
    expect(JSON.parse(checked.stdout)).toMatchObject({ exitCode: 0, result: 'allowed' });
    const blocked = await run(bin('phone-guard'), ['check', '+14155550104', '--sandbox'], {
      cwd: dir,
    }).catch((err: { code?: number }) => err);
    expect((blocked as { code?: number }).code).toBe(1);
  });

  it('work from CommonJS (require)', async () => {
    await writeFile(
      join(dir, 'consumer.cjs'),
      `const expected = ${JSON.stringify(EXPECTED)};
const out = {};
for (const [name, names] of Object.entries(expected)) {
  const mod = require(name);
  out[name] = names.filter((n) => mod[n] === undefined);
}
const core = require('@phone-guard/core');
const r = core.normalizePhone('+1 (415) 555-2671');
out.e164 = r.ok ? r.phone.e164 : r.error.code;
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, ['consumer.cjs'], { cwd: dir });
    const out = JSON.parse(stdout);
    expect(out.e164).toBe('+14155552671');
    for (const name of Object.keys(EXPECTED)) expect(out[name], name).toEqual([]);
  });

  it('work from ESM (import), and errors are recognised across both module formats', async () => {
    await writeFile(
      join(dir, 'consumer.mjs'),
      `import { createRequire } from 'node:module';
const expected = ${JSON.stringify(EXPECTED)};
const out = {};
for (const [name, names] of Object.entries(expected)) {
  const mod = await import(name);
  out[name] = names.filter((n) => mod[n] === undefined);
}
const esm = await import('@phone-guard/core');
const cjs = createRequire(import.meta.url)('@phone-guard/core');
out.twoCopies = esm.PhoneGuardError !== cjs.PhoneGuardError;
out.crossRecognised = esm.isPhoneGuardError(new cjs.PhoneGuardError('X', 'y')) && cjs.isPhoneGuardError(new esm.TelesignError('Y', 'z'));
const r = esm.normalizePhone('00 44 20 7946 0958');
out.e164 = r.ok ? r.phone.e164 : r.error.code;
console.log(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: dir });
    const out = JSON.parse(stdout);
    expect(out.e164).toBe('+442079460958');
    expect(out.twoCopies).toBe(true);
    expect(out.crossRecognised).toBe(true);
    for (const name of Object.keys(EXPECTED)) expect(out[name], name).toEqual([]);
  });

  it('type-check from TypeScript (node16 resolution, ESM and CJS files)', async () => {
    const source = `import { normalizePhone, createPhoneGuard, type NormalizeResult, type Decision, type LiveStatus } from '@phone-guard/core';
import { phoneGuard as expressGuard } from '@phone-guard/express';
import { phoneGuard as koaGuard } from '@phone-guard/koa';
import { startSandbox, TEST_NUMBERS } from '@phone-guard/sandbox';
import { createRedisStore } from '@phone-guard/redis';
import { instrumentPhoneGuard, type PhoneGuardInstrumentation } from '@phone-guard/opentelemetry';
import type { StatusStore } from '@phone-guard/core';
export const instrumented: PhoneGuardInstrumentation = instrumentPhoneGuard();
import type { RequestHandler, Request } from 'express';
import type { Middleware } from 'koa';
const handler: RequestHandler = expressGuard({ provider: { getLiveStatus: async () => { throw new Error('unused'); } } });
const middleware: Middleware = koaGuard({ guard: createPhoneGuard({ provider: { getLiveStatus: async () => { throw new Error('unused'); } } }) });
export function read(req: Request): Decision | undefined { return req.phoneGuard; }
export const started: Promise<{ url: string }> = startSandbox({ port: 0 });
export const active: string = TEST_NUMBERS.active;
export const makeStore = (): StatusStore => createRedisStore({ url: 'redis://127.0.0.1:6379', keySecret: 'a-secret-of-at-least-16-bytes' });
void handler; void middleware;
const r: NormalizeResult = normalizePhone('+14155552671', { defaultCountry: 'US' });
if (r.ok) {
  const e164: string = r.phone.e164;
  void e164;
}
// @ts-expect-error: not a country code
normalizePhone('1', { defaultCountry: 'XX' });
export type Checked = [Decision['action'], LiveStatus['subscriberStatus']];
`;
    await writeFile(join(dir, 'consumer.mts'), source);
    await writeFile(join(dir, 'consumer-cjs.cts'), source);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          // @types/koa 3.0 does not type-check against content-disposition 1.x on its own,
          // so library declarations are skipped, as in most applications; our own
          // declarations are type-checked when tsup builds them, and attw checks how they resolve.
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['consumer.mts', 'consumer-cjs.cts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir }).catch(
      (err: { stdout: string; stderr: string }) => ({
        stdout: err.stdout,
        stderr: err.stderr,
        failed: true,
      }),
    );
    expect(result.stdout + result.stderr).toBe('');
  });
});
