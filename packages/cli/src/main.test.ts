import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, main } from './main.js';

function io(env: Record<string, string | undefined> = {}) {
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
      env,
    },
  };
}

async function run(argv: string[], env?: Record<string, string | undefined>) {
  const { out, io: cliIo } = io(env);
  const code = await main(argv, cliIo);
  return { code, ...out };
}

describe('phone-guard check --sandbox', () => {
  it('prints the normalized number, the live status and both presets; exit 0 when allowed', async () => {
    const r = await run(['check', '+1 (415) 555-0100', '--sandbox']);
    expect(r.code).toBe(EXIT.allowed);
    expect(r.stdout).toMatch(/^Number\s+\+14155550100 \(US, FIXED_LINE_OR_MOBILE\)$/m);
    expect(r.stdout).toMatch(/^Subscriber\s+ACTIVE$/m);
    expect(r.stdout).toMatch(/^Device\s+REACHABLE$/m);
    expect(r.stdout).toMatch(/^signup\s+allow\s+-\s+<- exit code$/m);
    expect(r.stdout).toMatch(/^passwordReset\s+allow\s+-$/m);
    expect(r.stderr).toBe('');
  });

  it('exit 1 for a disconnected number', async () => {
    const r = await run(['check', TEST_NUMBERS.disconnected, '--sandbox']);
    expect(r.code).toBe(EXIT.blocked);
    expect(r.stdout).toMatch(/^Subscriber\s+DISCONNECTED$/m);
    expect(r.stdout).toMatch(/^signup\s+block\s+SUBSCRIBER_DISCONNECTED/m);
  });

  it('lets --use-case PWRT make passwordReset the deciding preset (roaming is flagged: exit 0)', async () => {
    const r = await run(['check', TEST_NUMBERS.roaming, '--sandbox', '--use-case', 'pwrt']);
    expect(r.code).toBe(EXIT.allowed);
    expect(r.stdout).toMatch(/^Roaming\s+YES \(.+, MX\)$/m);
    expect(r.stdout).toMatch(/^passwordReset\s+flag\s+ROAMING\s+<- exit code$/m);
  });

  it('reads national numbers with --country and prints JSON with --json', async () => {
    const r = await run(['check', '(415) 555-0106', '--country', 'us', '--sandbox', '--json']);
    expect(r.code).toBe(EXIT.allowed);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      ok: true,
      phone: { e164: TEST_NUMBERS.voip, country: 'US' },
      status: { subscriberStatus: 'ACTIVE', phoneType: { code: '5' } },
      decisions: { signup: { action: 'flag', reasons: ['RISKY_PHONE_TYPE'] } },
      decidedBy: 'signup',
    });
  });

  it('exit 2 for an invalid number, with the reason', async () => {
    const r = await run(['check', '415 555', '--sandbox']);
    expect(r.code).toBe(EXIT.error);
    expect(r.stderr).toContain('PHONE_INVALID');
    const j = await run(['check', 'nope', '--sandbox', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'PHONE_INVALID' } });
  });

  it('exit 2 when the look-up fails, within the --timeout, naming the error but not the number', async () => {
    const started = Date.now();
    const r = await run(['check', TEST_NUMBERS.faultHang, '--sandbox', '--timeout', '300']);
    expect(r.code).toBe(EXIT.error);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stderr).toContain('TELESIGN_TIMEOUT');
    expect(r.stderr).not.toContain('4155550190');
  });
});

describe('phone-guard check with credentials from the environment', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('uses TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY / TELESIGN_BASE_URL', async () => {
    const r = await run(['check', TEST_NUMBERS.active, '--use-case', 'ATCK'], {
      TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
      TELESIGN_API_KEY: SANDBOX_API_KEY,
      TELESIGN_BASE_URL: sandbox.url,
    });
    expect(r.code).toBe(EXIT.allowed);
    expect(sandbox.requests.at(-1)).toMatchObject({ ucid: 'ATCK' });
  });

  it('reports an authentication failure as exit 2 without echoing the key', async () => {
    const r = await run(['check', TEST_NUMBERS.active], {
      TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
      TELESIGN_API_KEY: Buffer.from('definitely the wrong key').toString('base64'),
      TELESIGN_BASE_URL: sandbox.url,
    });
    expect(r.code).toBe(EXIT.error);
    expect(r.stderr).toMatch(/TELESIGN_/);
    expect(r.stderr).not.toContain(Buffer.from('definitely the wrong key').toString('base64'));
  });

  it('exit 2 with a hint when no credentials are set', async () => {
    const r = await run(['check', TEST_NUMBERS.active], {});
    expect(r.code).toBe(EXIT.error);
    expect(r.stderr).toContain('--sandbox');
  });
});

describe('usage', () => {
  it.each([
    [['bogus'], /unknown command/],
    [['check'], /exactly one phone number/],
    [['check', '+14155550100', '--sandbox', '--use-case', 'XXXX'], /--use-case must be one of/],
    [['check', '+14155550100', '--sandbox', '--preset', 'login'], /--preset must be/],
    [['check', '+14155550100', '--sandbox', '--timeout', '-1'], /--timeout/],
    [['check', '4155550100', '--country', 'XX', '--sandbox'], /--country/],
    [['check', '+14155550100', '--frobnicate'], /Unknown option/i],
    [['sandbox', '--port', 'abc'], /--port/],
  ])('%j exits 2', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(EXIT.error);
    expect(r.stderr).toMatch(message);
  });

  it('--help for every command', async () => {
    for (const argv of [
      ['help'],
      ['--help'],
      ['check', '--help'],
      ['sandbox', '-h'],
      ['help', 'check'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(EXIT.allowed);
      expect(r.stdout).toMatch(/Usage:/);
    }
    expect((await run([])).code).toBe(EXIT.error);
  });

  it('sandbox runs until stopped and prints its URL and credentials', async () => {
    const { out, io: cliIo } = io();
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const done = main(['sandbox', '--port', '0'], { ...cliIo, untilStopped: () => stopped });
    await expect.poll(() => out.stdout).toContain('listening on http://127.0.0.1:');
    const url = /listening on (\S+)/.exec(out.stdout)![1]!;
    const res = await fetch(`${url}/v1/phoneid/live/14155550100?ucid=OTHR`);
    expect(res.status).toBe(401); // alive, and it wants credentials
    await res.arrayBuffer();
    stop();
    expect(await done).toBe(EXIT.allowed);
  });
});

describe('the phone-guard bin', () => {
  it('exits with the documented codes', async () => {
    const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const exec = (args: string[]) =>
      new Promise<number>((resolve) => {
        execFile(
          tsx,
          ['--conditions=@phone-guard/source', bin, ...args],
          { timeout: 30_000 },
          (err) => resolve(err ? ((err as { code?: number }).code ?? -1) : 0),
        );
      });
    expect(await exec(['check', TEST_NUMBERS.active, '--sandbox'])).toBe(0);
    expect(await exec(['check', TEST_NUMBERS.disconnected, '--sandbox'])).toBe(1);
    expect(await exec(['check', 'x', '--sandbox'])).toBe(2);
  });
});
