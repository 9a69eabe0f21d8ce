import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_SANDBOX_PORT,
  INTERNATIONAL_TEST_NUMBERS,
  runSandboxCommand,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  sandboxEnvLines,
} from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BASIC = `Basic ${Buffer.from(`${SANDBOX_CUSTOMER_ID}:${SANDBOX_API_KEY}`).toString('base64')}`;

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
    },
  };
}

/** Starts the command until `stop()`; resolves once its banner is out. */
async function launch(argv: string[]) {
  const { out, io } = capture();
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const done = runSandboxCommand(argv, { ...io, untilStopped: () => stopped });
  await expect
    .poll(() => out.stdout + out.stderr, { timeout: 10_000 })
    .toMatch(/listening on|could not/);
  const url = /listening on (http:\/\/\S+)/.exec(out.stdout)?.[1];
  return { out, url, stop, done };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phone-guard-launcher-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sandbox command --env', () => {
  it('prints export lines only, for the default port, that a shell can eval', async () => {
    const { out, io } = capture();
    expect(await runSandboxCommand(['--env'], io)).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(sandboxEnvLines(`http://127.0.0.1:${DEFAULT_SANDBOX_PORT}`));
    expect(out.stdout.trimEnd().split('\n')).toEqual([
      `export TELESIGN_BASE_URL='http://127.0.0.1:${DEFAULT_SANDBOX_PORT}'`,
      `export TELESIGN_CUSTOMER_ID='${SANDBOX_CUSTOMER_ID}'`,
      `export TELESIGN_API_KEY='${SANDBOX_API_KEY}'`,
    ]);
    const script = `eval "$1"; exec "${process.execPath}" -e 'process.stdout.write(JSON.stringify([process.env.TELESIGN_BASE_URL, process.env.TELESIGN_CUSTOMER_ID, process.env.TELESIGN_API_KEY]))'`;
    const { stdout } = await run('bash', ['-c', script, 'bash', out.stdout]);
    expect(JSON.parse(stdout)).toEqual([
      `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}`,
      SANDBOX_CUSTOMER_ID,
      SANDBOX_API_KEY,
    ]);
  });

  it('writes a .env file that Node --env-file reads exactly', async () => {
    const { out, io } = capture();
    expect(await runSandboxCommand(['--env', '--port', '9123', '--host', 'localhost'], io)).toBe(0);
    const file = join(dir, '.env');
    await writeFile(file, out.stdout);
    const { stdout } = await run(process.execPath, [
      `--env-file=${file}`,
      '-e',
      'process.stdout.write(JSON.stringify([process.env.TELESIGN_BASE_URL, process.env.TELESIGN_API_KEY]))',
    ]);
    expect(JSON.parse(stdout)).toEqual(['http://localhost:9123', SANDBOX_API_KEY]);
  });

  it('refuses --env with --port 0 (exit 2)', async () => {
    const { out, io } = capture();
    expect(await runSandboxCommand(['--env', '--port', '0'], io)).toBe(2);
    expect(out.stderr).toContain('--env needs a fixed --port');
    expect(out.stdout).toBe('');
  });
});

describe('sandbox command', () => {
  it('serves with pins, and its banner is comments plus paste-able export lines', async () => {
    const gb = INTERNATIONAL_TEST_NUMBERS.GB.active;
    const s = await launch(['--port', '0', '--pin', `${gb}=disconnected`, '--latency', '1']);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const lines = s.out.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line, line).toMatch(/^(#.*|export TELESIGN_[A-Z_]+='[^']*')$/);
    expect(lines).toContain(`export TELESIGN_BASE_URL='${s.url}'`);
    expect(s.out.stdout).toContain(`# Pinned: ${gb} → disconnected`);
    const port = new URL(s.url!).port;
    expect(s.out.stdout).toContain(`eval "$(phone-guard-sandbox --env --port ${port})"`);
    const res = await fetch(`${s.url}/v1/phoneid/live/${gb.slice(1)}?ucid=BACS`, {
      headers: { authorization: BASIC },
      signal: AbortSignal.timeout(5000),
    });
    expect(((await res.json()) as { live: { subscriber_status: string } }).live).toMatchObject({
      subscriber_status: 'DISCONNECTED',
    });
    s.stop();
    expect(await s.done).toBe(0);
  });

  it('says when the port is taken (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { out, io } = capture();
      expect(await runSandboxCommand(['--port', String(port)], io)).toBe(1);
      expect(out.stderr).toContain('--port 0');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port/],
    [['--latency', '-5'], /--latency/],
    [['--pin', '+447400123100'], /--pin/],
    [['--pin', '+447400123100=gone'], /--pin/],
    [['--pin', 'abc=active'], /--pin/],
    [['--frobnicate'], /Unknown option/i],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { out, io } = capture();
    expect(await runSandboxCommand(argv as string[], io)).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('documents the same flags in its help, under the name it is run as', async () => {
    const a = capture();
    const b = capture();
    expect(await runSandboxCommand(['--help'], a.io)).toBe(0);
    expect(await runSandboxCommand(['-h'], b.io, 'phone-guard sandbox')).toBe(0);
    expect(b.out.stdout.replaceAll('phone-guard sandbox', 'phone-guard-sandbox')).toBe(
      a.out.stdout,
    );
    expect(a.out.stdout).toContain(`default ${DEFAULT_SANDBOX_PORT}`);
    for (const flag of ['--port', '--host', '--latency', '--pin', '--env']) {
      expect(a.out.stdout).toContain(flag);
    }
  });
});
