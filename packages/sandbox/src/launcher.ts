/**
 * The sandbox command, shared by `phone-guard-sandbox` and `phone-guard sandbox`: the same
 * flags, the same default port, the same output.
 */
import { parseArgs } from 'node:util';
import { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID } from './credentials.js';
import { INTERNATIONAL_TEST_NUMBERS } from './international-numbers.js';
import { isPinOutcome, pinDigits } from './pins.js';
import type { SandboxPinOutcome } from './rows.js';
import { startSandbox } from './start-sandbox.js';
import { TEST_NUMBERS } from './test-numbers.js';

/** The port both sandbox commands listen on unless told otherwise. */
export const DEFAULT_SANDBOX_PORT = 8787;

/** Where the command writes; injectable for tests. */
export interface SandboxCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Resolves when the running sandbox should stop.
   * @default until SIGINT (Ctrl+C) or SIGTERM
   */
  untilStopped?: (() => Promise<void>) | undefined;
}

const help = (program: string) => `Usage: ${program} [options]

Runs a local Telesign look-alike (Phone ID Live, Phone ID add-ons) until Ctrl+C.

Options:
  --port <n>               port to listen on (default ${DEFAULT_SANDBOX_PORT}; 0 picks a free one)
  --host <addr>            interface to listen on (default 127.0.0.1)
  --latency <ms>           milliseconds added before every Telesign answer (default 0)
  --pin <number>=<outcome> answer for <number> like the test number <outcome>, e.g.
                           --pin +447400123100=disconnected (repeatable)
  --env                    print the TELESIGN_* variables for --port / --host and exit,
                           without starting: eval "$(${program} --env)" or >> .env
  -h, --help               show this help
`;

class UsageError extends Error {}

/** `'…'` for a POSIX shell and for .env files (dotenv, Node's --env-file). */
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The environment that points phone-guard at a sandbox on `url`: `export NAME='value'`
 * lines, no comments on them, so they can be pasted into a .env file or `eval`ed.
 *
 * @example
 * sandboxEnvLines('http://127.0.0.1:8787');
 * // export TELESIGN_BASE_URL='http://127.0.0.1:8787'
 * // export TELESIGN_CUSTOMER_ID='FFFFFFFF-EEEE-DDDD-1234-AB1234567890'
 * // export TELESIGN_API_KEY='cGhvbmUt…'
 */
export function sandboxEnvLines(url: string): string {
  return (
    [
      ['TELESIGN_BASE_URL', url],
      ['TELESIGN_CUSTOMER_ID', SANDBOX_CUSTOMER_ID],
      ['TELESIGN_API_KEY', SANDBOX_API_KEY],
    ]
      .map(([name, value]) => `export ${name}=${quote(value!)}`)
      .join('\n') + '\n'
  );
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      latency: { type: 'string' },
      pin: { type: 'string', multiple: true },
      env: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = values.port === undefined ? DEFAULT_SANDBOX_PORT : Number(values.port);
  if (values.port?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('--port must be a whole number from 0 to 65535');
  }
  const latencyMs = values.latency === undefined ? 0 : Number(values.latency);
  if (values.latency?.trim() === '' || !Number.isInteger(latencyMs) || latencyMs < 0) {
    throw new UsageError('--latency must be a whole number of milliseconds, 0 or more');
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const pins: Record<string, SandboxPinOutcome> = {};
  for (const pin of values.pin ?? []) {
    const at = pin.lastIndexOf('=');
    const number = pin.slice(0, Math.max(0, at));
    const outcome = pin.slice(at + 1);
    if (at < 0 || pinDigits(number) === undefined || !isPinOutcome(outcome)) {
      throw new UsageError(
        `--pin ${JSON.stringify(pin)}: use <number>=<outcome>, e.g. +447400123100=disconnected (an outcome is a name of TEST_NUMBERS or ADDON_TEST_NUMBERS)`,
      );
    }
    pins[number] = outcome;
  }
  return { port, host, latencyMs, pins, env: values.env, help: values.help };
}

function banner(url: string, program: string, flags: string, pins: string[]): string {
  const live = Object.entries(TEST_NUMBERS)
    .filter(([name]) => !name.startsWith('err') && !name.startsWith('fault'))
    .map(([name, number]) => `#   ${number}  ${name}`);
  const international = Object.entries(INTERNATIONAL_TEST_NUMBERS).map(
    ([country, numbers]) =>
      `#   ${numbers.active} … ${numbers.prepaid.slice(-3)}  ${country}: active … prepaid`,
  );
  return [
    `# phone-guard sandbox listening on ${url}`,
    '# Public test credentials, not secrets. Paste these lines into .env, or run:',
    `#   eval "$(${program} --env${flags})"`,
    sandboxEnvLines(url).trimEnd(),
    '# Test numbers (all of them, errors, faults and add-ons: the @phone-guard/sandbox README):',
    ...live,
    ...international,
    ...pins.map((p) => `# Pinned: ${p}`),
    '# Stop with Ctrl+C.',
    '',
  ].join('\n');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs the sandbox command with `argv` (the arguments after the command name) and resolves
 * with its exit code once it stops: 0 after a clean stop or `--help` / `--env`, 1 when the
 * server cannot start (the port is taken …), 2 for a usage error. Never throws.
 *
 * @example
 * ```ts
 * const code = await runSandboxCommand(['--port', '0'], { stdout: console.log, stderr: console.error });
 * ```
 */
export async function runSandboxCommand(
  argv: readonly string[],
  io: SandboxCommandIo,
  program = 'phone-guard-sandbox',
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    io.stderr(`${program}: ${(err as Error).message}\nRun "${program} --help" for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(help(program));
    return 0;
  }
  const urlHost = args.host.includes(':') ? `[${args.host}]` : args.host;
  const flags = (port: number) =>
    (port === DEFAULT_SANDBOX_PORT ? '' : ` --port ${port}`) +
    (args.host === '127.0.0.1' ? '' : ` --host ${args.host}`);
  if (args.env) {
    if (args.port === 0) {
      io.stderr(`${program}: --env needs a fixed --port (0 is only known once started)\n`);
      return 2;
    }
    io.stdout(sandboxEnvLines(`http://${urlHost}:${args.port}`));
    return 0;
  }
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port: args.port,
      host: args.host,
      latencyMs: args.latencyMs,
      pins: args.pins,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const hint =
      code === 'EADDRINUSE' ? ` (port ${args.port} is taken: pass --port 0 for a free one)` : '';
    io.stderr(`${program}: could not start: ${(err as Error).message}${hint}\n`);
    return 1;
  }
  const pinned = sandbox.pins().map((p) => `${p.number} → ${p.outcome}`);
  io.stdout(banner(sandbox.url, program, flags(sandbox.port), pinned));
  await (io.untilStopped ?? untilSignal)();
  await sandbox.close();
  return 0;
}
