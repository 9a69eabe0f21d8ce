import { parseArgs } from 'node:util';
import {
  type CountryCode,
  createPhoneGuard,
  createTelesignClient,
  type Decision,
  isPhoneGuardError,
  type LiveStatus,
  type NormalizedPhone,
  normalizePhone,
  USE_CASES,
  type UseCase,
} from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';

/** Exit codes of the `phone-guard` command. */
export const EXIT = Object.freeze({
  /** The number is allowed (or flagged: allowed with a warning). */
  allowed: 0,
  /** The deciding preset blocks the number. */
  blocked: 1,
  /** Bad usage, an invalid number, missing credentials, or a look-up that failed. */
  error: 2,
});

/** Where the command writes and what it reads; injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks the long-running `sandbox` command to stop. */
  untilStopped?: () => Promise<void>;
}

const HELP = `phone-guard: is this phone number still in service?

Usage:
  phone-guard check <number> [options]   look a number up and show what phone-guard decides
  phone-guard sandbox [options]          run the local Telesign sandbox
  phone-guard help [command]             show help

Exit codes: 0 allowed (or flagged), 1 blocked, 2 usage error, invalid number or failed look-up.
`;

const CHECK_HELP = `Usage: phone-guard check <number> [options]

Normalizes the number, asks Telesign Phone ID Live for its live status (once), and prints
what the signup and passwordReset presets decide.

Options:
  --use-case <CODE>   Telesign use case sent as ucid (default: the deciding preset's,
                      BACS for signup, PWRT for passwordReset). One of:
                      ${USE_CASES.join(' ')}
  --preset <name>     the preset whose decision sets the exit code: signup or
                      passwordReset (default: passwordReset with --use-case PWRT,
                      otherwise signup)
  --country <CC>      country assumed for numbers without +country code (e.g. US)
  --sandbox           use a built-in sandbox instead of Telesign
  --timeout <ms>      deadline of the look-up (default 5000)
  --json              print one JSON object instead of text
  -h, --help          show this help

Credentials (without --sandbox): TELESIGN_CUSTOMER_ID, TELESIGN_API_KEY and optionally
TELESIGN_BASE_URL from the environment.

Exit codes: 0 allowed or flagged, 1 blocked, 2 usage error, invalid number or look-up error.
`;

const SANDBOX_HELP = `Usage: phone-guard sandbox [options]

Runs the local Telesign Phone ID Live look-alike until Ctrl+C.

Options:
  --port <n>     port to listen on (default 8787; 0 picks a free one)
  --host <addr>  interface to listen on (default 127.0.0.1)
  -h, --help     show this help
`;

class UsageError extends Error {}

/**
 * Runs the `phone-guard` command with `argv` (without `node` and the script) and resolves
 * with its exit code. Never throws.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'sandbox':
        return await sandbox(rest, io);
      case undefined:
      case 'help':
      case '-h':
      case '--help': {
        const topic = rest[0];
        io.stdout(topic === 'check' ? CHECK_HELP : topic === 'sandbox' ? SANDBOX_HELP : HELP);
        return command === undefined ? EXIT.error : EXIT.allowed;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      io.stderr(`phone-guard: ${(err as Error).message}\nRun "phone-guard help" for usage.\n`);
      return EXIT.error;
    }
    io.stderr(
      `phone-guard: ${isPhoneGuardError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n`,
    );
    return EXIT.error;
  }
}

type PresetName = 'signup' | 'passwordReset';

async function check(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      'use-case': { type: 'string' },
      preset: { type: 'string' },
      country: { type: 'string' },
      sandbox: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT.allowed;
  }
  if (positionals.length !== 1) throw new UsageError('check takes exactly one phone number');
  const useCase = values['use-case']?.toUpperCase();
  if (useCase !== undefined && !(USE_CASES as readonly string[]).includes(useCase)) {
    throw new UsageError(`--use-case must be one of ${USE_CASES.join(', ')}`);
  }
  const preset: PresetName =
    values.preset === undefined
      ? useCase === 'PWRT'
        ? 'passwordReset'
        : 'signup'
      : parsePreset(values.preset);
  const country = values.country?.toUpperCase() as CountryCode | undefined;
  const timeoutMs = values.timeout === undefined ? 5000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new UsageError('--timeout must be a positive whole number of milliseconds');
  }

  let normalized: ReturnType<typeof normalizePhone>;
  try {
    normalized = normalizePhone(positionals[0], { defaultCountry: country });
  } catch {
    throw new UsageError(
      `--country "${values.country}" is not a country code (use e.g. US, GB, DE)`,
    );
  }
  if (!normalized.ok) {
    if (values.json) io.stdout(`${JSON.stringify({ ok: false, error: normalized.error })}\n`);
    else io.stderr(`phone-guard: ${normalized.error.code}: ${normalized.error.message}\n`);
    return EXIT.error;
  }
  const phone = normalized.phone;

  let box: Sandbox | undefined;
  const credentials = values.sandbox
    ? undefined
    : {
        customerId: io.env.TELESIGN_CUSTOMER_ID,
        apiKey: io.env.TELESIGN_API_KEY,
        baseUrl: io.env.TELESIGN_BASE_URL,
      };
  if (credentials && (!credentials.customerId || !credentials.apiKey)) {
    throw new UsageError(
      'set TELESIGN_CUSTOMER_ID and TELESIGN_API_KEY (and TELESIGN_BASE_URL if needed), or pass --sandbox',
    );
  }
  if (values.sandbox) box = await startSandbox();
  const client = createTelesignClient({
    customerId: credentials?.customerId ?? SANDBOX_CUSTOMER_ID,
    apiKey: credentials?.apiKey ?? SANDBOX_API_KEY,
    ...(box ? { baseUrl: box.url } : credentials?.baseUrl ? { baseUrl: credentials.baseUrl } : {}),
    timeoutMs,
  });
  try {
    const lookupUseCase = (useCase ?? (preset === 'passwordReset' ? 'PWRT' : 'BACS')) as UseCase;
    const status = await client.getLiveStatus(phone.e164, { useCase: lookupUseCase });
    const decisions = await decideWithPresets(phone, status, lookupUseCase);
    const deciding = decisions[preset];
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ ok: true, phone, status, decisions, decidedBy: preset }, null, 2)}\n`,
      );
    } else {
      io.stdout(formatText(phone, status, decisions, preset));
    }
    return deciding.action === 'block' ? EXIT.blocked : EXIT.allowed;
  } finally {
    await client.close();
    await box?.close();
  }
}

function parsePreset(value: string): PresetName {
  if (value === 'signup' || value === 'passwordReset') return value;
  throw new UsageError('--preset must be signup or passwordReset');
}

/** Runs both presets on one status, through the real guard, without a second look-up. */
async function decideWithPresets(
  phone: NormalizedPhone,
  status: LiveStatus,
  useCase: UseCase,
): Promise<Record<PresetName, Decision>> {
  const provider = { getLiveStatus: async () => status };
  const out = {} as Record<PresetName, Decision>;
  for (const preset of ['signup', 'passwordReset'] as const) {
    const guard = createPhoneGuard({ provider, policy: preset, logger: silent });
    try {
      out[preset] = await guard.check(phone.e164, { useCase });
    } finally {
      await guard.close();
    }
  }
  return out;
}

const silent = { warn() {}, error() {} };

function formatText(
  phone: NormalizedPhone,
  status: LiveStatus,
  decisions: Record<PresetName, Decision>,
  preset: PresetName,
): string {
  const row = (label: string, value: string) => `${label.padEnd(16)}${value}\n`;
  const roaming =
    status.roaming === 'YES'
      ? `YES${status.roamingCountry ? ` (${status.roamingCountry}${status.roamingCountryIso2 ? `, ${status.roamingCountryIso2}` : ''})` : ''}`
      : status.roaming;
  const decision = (name: PresetName) => {
    const d = decisions[name];
    const mark = name === preset ? '  <- exit code' : '';
    return `${d.action.padEnd(6)}${d.reasons.length ? d.reasons.join(', ') : '-'}${mark}`;
  };
  return [
    row(
      'Number',
      `${phone.e164}${phone.country ? ` (${phone.country}` : ' ('}${phone.type ? `, ${phone.type})` : ')'}`,
    ),
    row('Subscriber', status.subscriberStatus),
    row('Device', status.deviceStatus),
    row('Roaming', roaming),
    row(
      'Phone type',
      status.phoneType ? `${status.phoneType.description} (${status.phoneType.code})` : '-',
    ),
    row('Carrier', status.carrier ?? '-'),
    row('Reference', status.referenceId ?? '-'),
    '\n',
    row('signup', decision('signup')),
    row('passwordReset', decision('passwordReset')),
  ].join('');
}

async function sandbox(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(SANDBOX_HELP);
    return EXIT.allowed;
  }
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('--port must be a whole number from 0 to 65535');
  }
  const box = await startSandbox({ port, host: values.host ?? '127.0.0.1' });
  io.stdout(
    [
      `Telesign sandbox listening on ${box.url}`,
      `  TELESIGN_BASE_URL=${box.url}`,
      `  TELESIGN_CUSTOMER_ID=${SANDBOX_CUSTOMER_ID}`,
      `  TELESIGN_API_KEY=${SANDBOX_API_KEY}`,
      'Test numbers:',
      ...Object.entries(TEST_NUMBERS)
        .filter(([name]) => !name.startsWith('err') && !name.startsWith('fault'))
        .map(([name, number]) => `  ${number}  ${name}`),
      '  (errors and faults: see the @phone-guard/sandbox README)',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await (io.untilStopped ?? untilSignal)();
  await box.close();
  return EXIT.allowed;
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
