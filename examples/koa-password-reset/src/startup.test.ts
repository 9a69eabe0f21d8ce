import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SANDBOX_CUSTOMER_ID, type Sandbox, startSandbox } from '@phone-guard/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';

// A well-formed key (base64) that is not the sandbox's.
const WRONG_KEY = Buffer.from('not-the-sandbox-key-0123456789').toString('base64');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

it('the example refuses to start with a wrong key: exit 1, the cause named, the key never shown', async () => {
  const child = spawn(
    process.execPath,
    ['--conditions=@phone-guard/source', '--import', 'tsx', 'src/server.ts'],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
        TELESIGN_API_KEY: WRONG_KEY,
        TELESIGN_BASE_URL: sandbox.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(output).toMatch(/TELESIGN_AUTH_FAILED/);
  expect(output).not.toContain(WRONG_KEY);
  expect(output).not.toMatch(/password-reset example on/);
}, 30_000);
