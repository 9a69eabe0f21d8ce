import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID, TEST_NUMBERS } from '@phone-guard/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

// Runs src/bin.ts through tsx (plain Node 20 cannot run .ts), resolving workspace
// packages to their sources like the rest of the test suite.
const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));
const children: ChildProcess[] = [];

function runBin(args: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@phone-guard/source', BIN, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return child;
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode);
      return;
    }
    const timer = setTimeout(() => reject(new Error('bin did not exit in time')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function output(child: ChildProcess): { text: () => string } {
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  return { text: () => text };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('phone-guard-sandbox bin', () => {
  it('prints help and exits 0', async () => {
    const child = runBin(['--help']);
    const out = output(child);
    expect(await exitOf(child, 15_000)).toBe(0);
    expect(out.text()).toContain('--latency');
  });

  it('exits 2 on a bad argument', async () => {
    const child = runBin(['--port', 'abc']);
    const out = output(child);
    expect(await exitOf(child, 15_000)).toBe(2);
    expect(out.text()).toContain('--port must be a whole number');
  });

  it('serves, prints the URL and credentials, and stops cleanly on SIGTERM', async () => {
    const child = runBin(['--port', '0', '--host', '127.0.0.1', '--latency', '1']);
    const out = output(child);
    const deadline = Date.now() + 15_000;
    let url: string | undefined;
    while (url === undefined && Date.now() < deadline && child.exitCode === null) {
      url = /listening on (http:\/\/\S+)/.exec(out.text())?.[1];
      if (url === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    expect(out.text()).toContain(SANDBOX_CUSTOMER_ID);
    const res = await fetch(`${url}/v1/phoneid/live/${TEST_NUMBERS.active.slice(1)}?ucid=BACS`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${SANDBOX_CUSTOMER_ID}:${SANDBOX_API_KEY}`).toString('base64')}`,
      },
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitOf(child, 10_000)).toBe(0);
  });
});
