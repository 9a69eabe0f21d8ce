import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { faultOf } from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
} from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from './demo.js';
import { DemoStartupError, startupFailureLine } from './startup-error.js';

// A well-formed key (base64) that is not the sandbox's.
const WRONG_KEY = Buffer.from('not-the-sandbox-key-0123456789').toString('base64');

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

const credentials = (apiKey: string) => ({
  TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
  TELESIGN_API_KEY: apiKey,
  TELESIGN_BASE_URL: sandbox.url,
});

/** Runs the demo's entry point (`pnpm demo` runs the same file) and collects its output. */
function runServer(env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    ['--conditions=@phone-guard/source', '--import', 'tsx', 'src/server.ts'],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env.PATH, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('start-up check (guard.verify())', () => {
  it('rejects with TELESIGN_AUTH_FAILED (a config fault) on a wrong key, before listening', async () => {
    const before = sandbox.requests.length;
    const error = await startDemo({ port: 0, env: credentials(WRONG_KEY) }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TELESIGN_AUTH_FAILED' });
    expect(faultOf(error)).toBe('config');
    expect(sandbox.requests.length).toBe(before + 1); // one look-up, no retries
    const line = startupFailureLine(error, credentials(WRONG_KEY));
    expect(line).toBe(
      'phone-guard demo: Telesign rejected the credentials (TELESIGN_AUTH_FAILED): check TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY.',
    );
  });

  it('starts with correct credentials from the environment (here, the sandbox as "Telesign")', async () => {
    const demo = await startDemo({ port: 0, env: credentials(SANDBOX_API_KEY) });
    try {
      expect(demo.sandbox).toBeUndefined();
      expect(demo.banner).toContain(`Telesign: ${sandbox.url}, with TELESIGN_CUSTOMER_ID`);
      expect(demo.banner).not.toContain(SANDBOX_API_KEY);
    } finally {
      await demo.close();
    }
  });

  it('`pnpm demo` prints one line naming the cause, never the key, and exits 1', async () => {
    const run = runServer(credentials(WRONG_KEY));
    expect(await run.exited).toBe(1);
    const { stdout, stderr } = run.output();
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'phone-guard demo: Telesign rejected the credentials (TELESIGN_AUTH_FAILED): check TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY.\n',
    );
    expect(stdout + stderr).not.toContain(WRONG_KEY);
  });

  it('names an unreachable Telesign as such', async () => {
    const error = await startDemo({
      port: 0,
      env: { ...credentials(WRONG_KEY), TELESIGN_BASE_URL: 'http://127.0.0.1:1' },
    }).catch((e: unknown) => e);
    expect(faultOf(error)).toBe('upstream');
    const line = startupFailureLine(error, credentials(WRONG_KEY));
    expect(line).toMatch(
      /^phone-guard demo: Telesign could not be reached \(TELESIGN_\w+\): check TELESIGN_BASE_URL/,
    );
    expect(line).not.toContain('\n');
    expect(line).not.toContain(WRONG_KEY);
  });

  it('refuses half-set credentials instead of quietly using the sandbox', async () => {
    const error = await startDemo({ port: 0, env: { TELESIGN_API_KEY: WRONG_KEY } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DemoStartupError);
    expect(error).toMatchObject({ code: 'DEMO_CREDENTIALS_INCOMPLETE' });
    expect(startupFailureLine(error, { TELESIGN_API_KEY: WRONG_KEY })).toBe(
      'phone-guard demo: TELESIGN_API_KEY is set but TELESIGN_CUSTOMER_ID is not: set both for the real Telesign, or neither for the built-in sandbox (DEMO_CREDENTIALS_INCOMPLETE)',
    );
  });

  it('never prints the key, even if a message contained it', () => {
    const line = startupFailureLine(new Error(`boom ${WRONG_KEY}`), {
      TELESIGN_API_KEY: WRONG_KEY,
    });
    expect(line).toBe('phone-guard demo: could not start: boom [redacted]');
  });
});
