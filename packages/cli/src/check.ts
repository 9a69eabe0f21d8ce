/** `phone-guard check <number>`: one look-up through a real guard, its decision, an exit code. */
import { parseArgs } from 'node:util';
import {
  type CheckOptions,
  type CountryCode,
  createPhoneGuard,
  type Decision,
  type NormalizeResult,
  normalizePhone,
  type PhoneGuard,
  USE_CASES,
  type UseCase,
} from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
} from '@phone-guard/sandbox';
import { type CheckReport, jsonReport, type PresetName, textReport } from './check-report.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { logLine } from './log-line.js';
import type { CliIo } from './main.js';
import { UsageError } from './usage-error.js';

/** Help of the `check` command. */
export const CHECK_HELP = `Usage: phone-guard check <number> [options]

Normalizes the number, asks Telesign once (Phone ID Live, and the Phone ID add-ons when
the deciding preset asks for them), and prints what phone-guard decides.

Options:
  --use-case <CODE>         Telesign use case sent as ucid (default: the deciding
                            preset's, BACS for signup, PWRT for passwordReset). One of:
                            ${USE_CASES.join(' ')}
  --preset <name>           the preset whose decision sets the exit code: signup or
                            passwordReset (default: passwordReset with --use-case PWRT
                            or --verified-since, otherwise signup)
  --country <CC>            country of a number written without +country code (e.g. GB)
  --verified-since <date>   when the user last proved the number (ISO date or date-time,
                            or epoch ms): shows whether it was reassigned since
  --sandbox                 use a built-in sandbox instead of Telesign
  --timeout <ms>            deadline of the whole check (default 5000)
  --json                    print one JSON object on stdout, whatever happens
  -h, --help                show this help

Credentials (without --sandbox): TELESIGN_CUSTOMER_ID, TELESIGN_API_KEY and optionally
TELESIGN_BASE_URL from the environment.

Exit codes: 0 allowed, 1 blocked or flagged, 2 usage error or invalid number,
3 look-up failed.
`;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** `--verified-since`: an ISO date (UTC midnight), an ISO date-time (UTC unless a zone is given), or epoch ms. */
export function parseVerifiedSince(value: string): Date {
  const text = value.trim();
  let ms = Number.NaN;
  if (/^\d{1,15}$/.test(text)) ms = Number(text);
  else {
    const match = ISO_DATE.exec(text);
    if (match) ms = Date.parse(text.includes('T') && match[1] === undefined ? `${text}Z` : text);
  }
  if (!Number.isFinite(ms)) {
    throw new UsageError(
      '--verified-since must be an ISO date (2024-03-11), an ISO date-time (2024-03-11T07:30:00Z) or epoch milliseconds',
    );
  }
  return new Date(ms);
}

function parsePreset(value: string): PresetName {
  if (value === 'signup' || value === 'passwordReset') return value;
  throw new UsageError('--preset must be signup or passwordReset');
}

function parseCheckArgs(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      'use-case': { type: 'string' },
      preset: { type: 'string' },
      country: { type: 'string' },
      'verified-since': { type: 'string' },
      sandbox: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError('check takes exactly one phone number');
  const useCase = values['use-case']?.toUpperCase();
  if (useCase !== undefined && !(USE_CASES as readonly string[]).includes(useCase)) {
    throw new UsageError(`--use-case must be one of ${USE_CASES.join(', ')}`);
  }
  const verifiedSince =
    values['verified-since'] === undefined
      ? undefined
      : parseVerifiedSince(values['verified-since']);
  const preset: PresetName =
    values.preset !== undefined
      ? parsePreset(values.preset)
      : useCase === 'PWRT' || verifiedSince !== undefined
        ? 'passwordReset'
        : 'signup';
  const timeoutMs = values.timeout === undefined ? 5000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) {
    throw new UsageError('--timeout must be a positive whole number of milliseconds');
  }
  let normalized: NormalizeResult;
  try {
    const country = values.country?.toUpperCase() as CountryCode | undefined;
    normalized = normalizePhone(positionals[0], { defaultCountry: country });
  } catch {
    throw new UsageError(
      `--country "${values.country}" is not a country code (use e.g. US, GB, DE)`,
    );
  }
  return {
    help: false as const,
    input: positionals[0]!,
    normalized,
    useCase: useCase as UseCase | undefined,
    preset,
    verifiedSince,
    country: values.country,
    timeoutMs,
    sandbox: values.sandbox,
    json: values.json,
  };
}

/** The exit code of a decision: 3 when no answer could be had, else by its action. */
function exitCodeOf(decision: Decision): ExitCode {
  if (decision.reasons.includes('LOOKUP_FAILED')) return EXIT.lookupFailed;
  if (decision.reasons.includes('PHONE_INVALID')) return EXIT.invalid;
  return decision.action === 'allow' ? EXIT.allowed : EXIT.blocked;
}

/** Runs `phone-guard check` and resolves with its exit code. */
export async function check(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseCheckArgs(args);
  if (a.help) {
    io.stdout(CHECK_HELP);
    return EXIT.allowed;
  }
  const print = (report: CheckReport, text: () => string, toStderr = false) => {
    if (a.json) io.stdout(jsonReport(report));
    else if (toStderr) io.stderr(text());
    else io.stdout(text());
    return report.exitCode;
  };
  if (!a.normalized.ok) {
    const error = a.normalized.error;
    return print(
      { exitCode: EXIT.invalid, error },
      () => logLine(error.message, `${error.code}: `),
      true,
    );
  }
  const phone = a.normalized.phone;
  const { TELESIGN_CUSTOMER_ID: customerId, TELESIGN_API_KEY: apiKey } = io.env;
  const baseUrl = io.env.TELESIGN_BASE_URL || undefined;
  if (!a.sandbox && (!customerId || !apiKey)) {
    throw new UsageError(
      'set TELESIGN_CUSTOMER_ID and TELESIGN_API_KEY (and TELESIGN_BASE_URL if needed), or pass --sandbox',
    );
  }
  let box: Sandbox | undefined;
  let guard: PhoneGuard | undefined;
  try {
    box = a.sandbox ? await startSandbox() : undefined;
    guard = createPhoneGuard({
      telesign: box
        ? { baseUrl: box.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY }
        : {
            customerId: customerId ?? '',
            apiKey: apiKey ?? '',
            ...(baseUrl === undefined ? {} : { baseUrl }),
          },
      policy: a.preset,
      failMode: 'open',
      timeoutMs: a.timeoutMs,
      logger: {
        warn: (message: unknown) => io.stderr(logLine(message, 'warning: ')),
        error: (message: unknown) => io.stderr(logLine(message)),
      },
    });
    const options: CheckOptions = {};
    if (a.useCase) options.useCase = a.useCase;
    if (a.verifiedSince) options.lastVerifiedAt = a.verifiedSince;
    const deciding = await guard.check(phone.e164, options);
    const decisions: Partial<Record<PresetName, Decision>> = { [a.preset]: deciding };
    const exitCode = exitCodeOf(deciding);
    if (exitCode === EXIT.lookupFailed) {
      const error = deciding.error ?? { code: 'LOOKUP_FAILED', message: 'The look-up failed.' };
      return print(
        { exitCode, phone, decidedBy: a.preset, decisions, error },
        () => logLine(error.message, `look-up failed: ${error.code}: `),
        true,
      );
    }
    // The signup preset never asks for the billed add-ons: with the status cached, it is free.
    if (a.preset === 'passwordReset') {
      decisions.signup = await guard.check(phone.e164, { ...options, policy: 'signup' });
    }
    return print({ exitCode, phone, decidedBy: a.preset, decisions, error: null }, () =>
      textReport(phone, deciding.status, decisions, a.preset),
    );
  } finally {
    await guard?.close();
    await box?.close();
  }
}
