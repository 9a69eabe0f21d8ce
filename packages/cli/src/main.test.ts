import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ADDON_TEST_NUMBERS,
  INTERNATIONAL_TEST_NUMBERS,
  runSandboxCommand,
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

// biome-ignore lint/suspicious/noExplicitAny: the command's JSON output, read freely in assertions
type Json = Record<string, any>;

async function run(argv: string[], env?: Record<string, string | undefined>) {
  const { out, io: cliIo } = io(env);
  const code = await main(argv, cliIo);
  return { code, ...out, json: () => JSON.parse(out.stdout) as Json };
}

const DAY = 86_400_000;

describe('phone-guard check --sandbox', () => {
  it('prints the number, the live status and the deciding preset; exit 0 when allowed', async () => {
    const r = await run(['check', '+1 (415) 555-0100', '--sandbox']);
    expect(r.code).toBe(EXIT.allowed);
    expect(r.stdout).toMatch(/^Number\s+\+14155550100 \(US, FIXED_LINE_OR_MOBILE\)$/m);
    expect(r.stdout).toMatch(/^Subscriber\s+ACTIVE$/m);
    expect(r.stdout).toMatch(/^Device\s+REACHABLE$/m);
    expect(r.stdout).toMatch(/^signup\s+allow\s+-\s+<- exit code$/m);
    // passwordReset would ask for the billed add-ons: not run unless it decides.
    expect(r.stdout).toMatch(/^passwordReset\s+-\s+not run/m);
    expect(r.stdout).not.toMatch(/^(Reassignment|SIM swap)/m);
    expect(r.stderr).toBe('');
  });

  it('exit 1 for a blocked number', async () => {
    const r = await run(['check', TEST_NUMBERS.disconnected, '--sandbox']);
    expect(r.code).toBe(EXIT.blocked);
    expect(r.stdout).toMatch(/^Subscriber\s+DISCONNECTED$/m);
    expect(r.stdout).toMatch(/^signup\s+block\s+SUBSCRIBER_DISCONNECTED/m);
  });

  it('exit 1 for a flagged number too; --use-case PWRT makes passwordReset decide', async () => {
    const r = await run(['check', TEST_NUMBERS.roaming, '--sandbox', '--use-case', 'pwrt']);
    expect(r.code).toBe(EXIT.flagged);
    expect(r.stdout).toMatch(/^Roaming\s+YES \(.+, MX\)$/m);
    // Without --verified-since the reassignment verdict is unknown: flagged too.
    expect(r.stdout).toMatch(
      /^passwordReset\s+flag\s+ROAMING, REASSIGNMENT_UNKNOWN\s+<- exit code$/m,
    );
    expect(r.stdout).toMatch(/^signup\s+allow\s+-$/m); // free: the status is cached
  });

  it('reads national numbers with --country (any case)', async () => {
    const gb = INTERNATIONAL_TEST_NUMBERS.GB.disconnected; // +447400123104
    const r = await run(['check', '07400 123104', '--country', 'gb', '--sandbox']);
    expect(r.code).toBe(EXIT.blocked);
    expect(r.stdout).toContain(`${gb} (GB, MOBILE)`);
  });
});

describe('phone-guard check --json: one JSON object on stdout, whatever happens', () => {
  it('exit 0: allowed', async () => {
    const r = await run(['check', TEST_NUMBERS.active, '--sandbox', '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      ok: true,
      exitCode: 0,
      result: 'allowed',
      phone: { e164: TEST_NUMBERS.active, country: 'US' },
      decidedBy: 'signup',
      action: 'allow',
      reasons: [],
      status: { subscriberStatus: 'ACTIVE' },
      reassignment: null,
      simSwap: null,
      decisions: { signup: { action: 'allow' } },
      error: null,
    });
    expect(r.stderr).toBe('');
  });

  it('exit 1: flagged and blocked', async () => {
    const flagged = await run([
      'check',
      '(415) 555-0106',
      '--country',
      'US',
      '--sandbox',
      '--json',
    ]);
    expect(flagged.code).toBe(1);
    expect(flagged.json()).toMatchObject({
      ok: true,
      exitCode: 1,
      result: 'flagged',
      action: 'flag',
      reasons: ['RISKY_PHONE_TYPE'],
      status: { phoneType: { code: '5' } },
    });
    const blocked = await run(['check', TEST_NUMBERS.disconnected, '--sandbox', '--json']);
    expect(blocked.json()).toMatchObject({ exitCode: 1, result: 'blocked', action: 'block' });
  });

  it('exit 2: an invalid number', async () => {
    for (const [input, code] of [
      ['+1 415 555', 'PHONE_INVALID'],
      ['415 555', /^PHONE_(INVALID|COUNTRY_REQUIRED)$/],
      ['x'.repeat(100), 'PHONE_TOO_LONG'],
    ] as const) {
      const r = await run(['check', input, '--sandbox', '--json']);
      expect(r.code).toBe(EXIT.invalid);
      expect(r.json()).toMatchObject({
        ok: false,
        exitCode: 2,
        result: 'invalid',
        phone: null,
        error: { code: typeof code === 'string' ? code : expect.stringMatching(code) },
      });
      expect(r.stderr).toBe('');
    }
  });

  it.each([
    [['check', '--json']],
    [['check', TEST_NUMBERS.active, '--sandbox', '--json', '--frobnicate']],
    [['check', TEST_NUMBERS.active, '--sandbox', '--json', '--use-case', 'XXXX']],
    [['check', TEST_NUMBERS.active, '--sandbox', '--json', '--verified-since', 'last week']],
    [['check', '4155550100', '--country', 'XX', '--sandbox', '--json']],
    [['check', TEST_NUMBERS.active, '--json']], // no credentials
    [['bogus', '--json']],
  ])('exit 2: usage error %j', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.json()).toMatchObject({
      ok: false,
      exitCode: 2,
      result: 'usage-error',
      error: { code: 'USAGE', message: expect.any(String) },
    });
  });

  it('exit 3: the look-up fails (timeout), naming the error but not the number', async () => {
    const started = Date.now();
    const r = await run([
      'check',
      TEST_NUMBERS.faultHang,
      '--sandbox',
      '--timeout',
      '300',
      '--json',
    ]);
    expect(r.code).toBe(EXIT.lookupFailed);
    expect(Date.now() - started).toBeLessThan(10_000);
    const json = r.json();
    expect(json).toMatchObject({
      ok: false,
      exitCode: 3,
      result: 'lookup-failed',
      phone: { e164: TEST_NUMBERS.faultHang },
      decidedBy: 'signup',
      reasons: expect.arrayContaining(['LOOKUP_FAILED']),
      error: { code: expect.stringMatching(/TIMEOUT/) },
    });
    expect(JSON.stringify(json.error)).not.toContain('4155550190');
  });

  it('exit 3: Telesign answers an error', async () => {
    const r = await run(['check', TEST_NUMBERS.errHardCap, '--sandbox', '--json']);
    expect(r.code).toBe(EXIT.lookupFailed);
    expect(r.json()).toMatchObject({ exitCode: 3, error: { code: expect.any(String) } });
  });
});

describe('phone-guard check: exit codes without --json', () => {
  it('exit 3 when the look-up fails, within --timeout, on stderr', async () => {
    const r = await run(['check', TEST_NUMBERS.faultHang, '--sandbox', '--timeout', '300']);
    expect(r.code).toBe(EXIT.lookupFailed);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/look-up failed: \S*TIMEOUT/);
    expect(r.stderr).not.toContain('4155550190');
  });

  it('exit 2 for an invalid number, with the reason', async () => {
    const r = await run(['check', '+1 415 555', '--sandbox']);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toContain('PHONE_INVALID');
    expect(r.stdout).toBe('');
  });
});

describe('phone-guard check --verified-since', () => {
  it.each([
    ['2024-03-11', '2024-03-11T00:00:00.000Z'],
    ['2024-03-11T07:30', '2024-03-11T07:30:00.000Z'],
    ['2024-03-11T07:30:00+02:00', '2024-03-11T05:30:00.000Z'],
    ['1710142200000', '2024-03-11T07:30:00.000Z'],
  ])('reads %s', async (value, iso) => {
    const { parseVerifiedSince } = await import('./check.js');
    expect(parseVerifiedSince(value).toISOString()).toBe(iso);
  });

  it('makes passwordReset the deciding preset (PWRT) and shows both presets', async () => {
    const since = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
    const r = await run(['check', TEST_NUMBERS.active, '--sandbox', '--verified-since', since]);
    expect(r.stdout).toMatch(/^passwordReset\s+\S+.*<- exit code$/m);
    expect(r.stdout).toMatch(/^signup\s+allow/m);
  });

  it('shows the reassignment verdict and SIM-swap risk a decision carries', async () => {
    const { textReport, jsonReport } = await import('./check-report.js');
    const phone = { e164: '+13105550100', digits: '13105550100', country: 'US' as const };
    const decision = {
      action: 'block',
      reasons: ['NUMBER_REASSIGNED'],
      phone,
      status: null,
      source: 'upstream',
      failedOpen: false,
      error: null,
      useCase: 'PWRT',
      reassignment: {
        verdict: 'reassigned',
        lastDeactivatedAt: Date.UTC(2025, 5, 5),
        trackingSince: Date.UTC(2015, 5, 18),
      },
      simSwap: { risk: 3, swappedAt: Date.UTC(2025, 5, 13, 13, 45) },
    } as never;
    const text = textReport(phone, null, { passwordReset: decision }, 'passwordReset');
    expect(text).toMatch(
      /^Reassignment\s+reassigned \(last deactivated 2025-06-05, tracked since 2015-06-18\)$/m,
    );
    expect(text).toMatch(/^SIM swap\s+risk 3 \(swapped 2025-06-13 13:45 UTC\)$/m);
    const none = textReport(
      phone,
      null,
      {
        passwordReset: {
          ...(decision as object),
          reassignment: { verdict: 'not_reassigned', lastDeactivatedAt: null },
          simSwap: { risk: 1, swappedAt: null },
        } as never,
      },
      'passwordReset',
    );
    expect(none).toMatch(/^Reassignment\s+not_reassigned \(never deactivated\)$/m);
    expect(none).toMatch(/^SIM swap\s+risk 1 \(no swap on record\)$/m);
    const json = JSON.parse(
      jsonReport({
        exitCode: 1,
        phone,
        decidedBy: 'passwordReset',
        decisions: { passwordReset: decision },
      }),
    );
    expect(json).toMatchObject({
      result: 'blocked',
      reassignment: { verdict: 'reassigned' },
      simSwap: { risk: 3 },
    });
  });
});

describe('phone-guard check --verified-since against the sandbox', () => {
  it('blocks a number reassigned since, and shows the verdict (exit 1)', async () => {
    const since = new Date(Date.now() - 30 * DAY).toISOString();
    const r = await run([
      'check',
      ADDON_TEST_NUMBERS.reassigned,
      '--sandbox',
      '--verified-since',
      since,
      '--json',
    ]);
    expect(r.code).toBe(EXIT.blocked);
    expect(r.json()).toMatchObject({
      decidedBy: 'passwordReset',
      reasons: expect.arrayContaining(['NUMBER_REASSIGNED']),
      reassignment: { verdict: 'reassigned' },
    });
  });

  it('allows it when verified after the deactivation, and shows a SIM swap', async () => {
    const since = new Date().toISOString();
    const r = await run([
      'check',
      ADDON_TEST_NUMBERS.reassigned,
      '--sandbox',
      '--verified-since',
      since,
    ]);
    expect(r.stdout).toMatch(/^Reassignment\s+not_reassigned/m);
    const swap = await run([
      'check',
      ADDON_TEST_NUMBERS.simSwapRisk4,
      '--sandbox',
      '--verified-since',
      since,
    ]);
    expect(swap.stdout).toMatch(/^SIM swap\s+risk 4/m);
    expect(swap.code).toBe(EXIT.blocked);
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

  it('reports an authentication failure as a failed look-up (exit 3) without echoing the key', async () => {
    const key = Buffer.from('definitely the wrong key').toString('base64');
    for (const json of [false, true]) {
      const r = await run(['check', TEST_NUMBERS.active, ...(json ? ['--json'] : [])], {
        TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
        TELESIGN_API_KEY: key,
        TELESIGN_BASE_URL: sandbox.url,
      });
      expect(r.code).toBe(EXIT.lookupFailed);
      expect(r.stdout + r.stderr).toMatch(/TELESIGN_/);
      expect(r.stdout + r.stderr).not.toContain(key);
      if (json) continue;
      // The guard's own log line, prefixed once (its messages start with "phone-guard: ").
      expect(r.stderr).toMatch(/^phone-guard: Telesign rejected the credentials/m);
      expect(r.stderr).toMatch(/^phone-guard: look-up failed: TELESIGN_AUTH_FAILED: /m);
      expect(r.stderr).not.toContain('phone-guard: phone-guard:');
    }
  });

  it('exit 2 for a bad configuration, as JSON with its own code', async () => {
    const r = await run(['check', TEST_NUMBERS.active, '--json'], {
      TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
      TELESIGN_API_KEY: SANDBOX_API_KEY,
      TELESIGN_BASE_URL: 'not a url',
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.json()).toMatchObject({
      ok: false,
      exitCode: 2,
      result: 'usage-error',
      error: { code: 'PG_INVALID_OPTION' },
    });
    expect(r.stdout).not.toContain(SANDBOX_API_KEY);
  });

  it('exit 2 for a bad configuration, on stderr with its code, prefixed once', async () => {
    const r = await run(['check', TEST_NUMBERS.active], {
      TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
      TELESIGN_API_KEY: SANDBOX_API_KEY,
      TELESIGN_BASE_URL: 'not a url',
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/^phone-guard: PG_INVALID_OPTION: option "telesign\.baseUrl"/);
    expect(r.stderr).not.toContain('phone-guard: phone-guard:');
  });

  it('exit 2 with a hint when no credentials are set', async () => {
    const r = await run(['check', TEST_NUMBERS.active], {});
    expect(r.code).toBe(EXIT.usage);
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
    [['check', '+14155550100', '--sandbox', '--verified-since', 'soon'], /--verified-since/],
    [['check', '4155550100', '--country', 'XX', '--sandbox'], /--country/],
    [['check', '+14155550100', '--frobnicate'], /Unknown option/i],
    [['sandbox', '--port', 'abc'], /--port/],
  ])('%j exits 2', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(message);
  });

  it('--help for every command', async () => {
    for (const argv of [
      ['help'],
      ['--help'],
      ['check', '--help'],
      ['sandbox', '-h'],
      ['help', 'check'],
      ['help', 'sandbox'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(EXIT.allowed);
      expect(r.stdout).toMatch(/Usage:/);
    }
    expect((await run([])).code).toBe(EXIT.usage);
  });
});

describe('phone-guard sandbox', () => {
  it('is the sandbox package command: same help, same --env output', async () => {
    const mine = await run(['sandbox', '--help']);
    let theirs = '';
    await runSandboxCommand(['--help'], { stdout: (t) => (theirs += t), stderr: () => {} });
    expect(mine.stdout.replaceAll('phone-guard sandbox', 'phone-guard-sandbox')).toBe(theirs);
    const env = await run(['sandbox', '--env']);
    expect(env.code).toBe(0);
    expect(env.stdout).toBe(
      `export TELESIGN_BASE_URL='http://127.0.0.1:8787'\nexport TELESIGN_CUSTOMER_ID='${SANDBOX_CUSTOMER_ID}'\nexport TELESIGN_API_KEY='${SANDBOX_API_KEY}'\n`,
    );
  });

  it('runs until stopped and prints its URL and credentials', async () => {
    const { out, io: cliIo } = io();
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const done = main(['sandbox', '--port', '0', '--pin', `${TEST_NUMBERS.active}=disconnected`], {
      ...cliIo,
      untilStopped: () => stopped,
    });
    await expect.poll(() => out.stdout).toContain('listening on http://127.0.0.1:');
    const url = /listening on (\S+)/.exec(out.stdout)![1]!;
    expect(out.stdout).toContain(`export TELESIGN_BASE_URL='${url}'`);
    expect(out.stdout).toContain('eval "$(phone-guard sandbox --env --port');
    const r = await run(['check', TEST_NUMBERS.active], {
      TELESIGN_CUSTOMER_ID: SANDBOX_CUSTOMER_ID,
      TELESIGN_API_KEY: SANDBOX_API_KEY,
      TELESIGN_BASE_URL: url,
    });
    expect(r.code).toBe(EXIT.blocked); // pinned: disconnected
    stop();
    expect(await done).toBe(EXIT.allowed);
  });
});

describe('the phone-guard bin', () => {
  it('exits with the documented codes', async () => {
    const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const exec = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(
          tsx,
          ['--conditions=@phone-guard/source', bin, ...args],
          { timeout: 30_000 },
          (err, stdout) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout }),
        );
      });
    expect((await exec(['check', TEST_NUMBERS.active, '--sandbox'])).code).toBe(0);
    expect((await exec(['check', TEST_NUMBERS.disconnected, '--sandbox'])).code).toBe(1);
    const invalid = await exec(['check', 'x', '--sandbox', '--json']);
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ exitCode: 2 });
    expect(
      (await exec(['check', TEST_NUMBERS.faultHang, '--sandbox', '--timeout', '200'])).code,
    ).toBe(3);
  });
});
