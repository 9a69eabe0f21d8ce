/**
 * What the demo prints when it cannot start: one line naming the cause and what to check,
 * never the API key.
 */
import { faultOf, isPhoneGuardError } from '@phone-guard/core';

/** A demo setting that cannot work (`code` says which), found before anything started. */
export class DemoStartupError extends Error {
  readonly code: 'DEMO_CREDENTIALS_INCOMPLETE' | 'DEMO_INVALID_PORT';

  constructor(code: DemoStartupError['code'], message: string) {
    super(message);
    this.name = 'DemoStartupError';
    this.code = code;
  }
}

/**
 * One line saying why the demo could not start: the error's code, whose fault it is and
 * what to check. The API key never appears in it, even if an error message echoed it.
 *
 * @example
 * ```ts
 * startupFailureLine(err, process.env);
 * // 'phone-guard demo: Telesign rejected the credentials (TELESIGN_AUTH_FAILED): check TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY.'
 * ```
 */
export function startupFailureLine(error: unknown, env: NodeJS.ProcessEnv): string {
  return `phone-guard demo: ${redact(describe(error), env.TELESIGN_API_KEY)}`;
}

function describe(error: unknown): string {
  if (error instanceof DemoStartupError) return `${error.message} (${error.code})`;
  if (!isPhoneGuardError(error)) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    return `could not start${typeof code === 'string' ? ` (${code})` : ''}: ${message}`;
  }
  const { code } = error;
  switch (faultOf(error)) {
    case 'config':
      return code === 'TELESIGN_AUTH_FAILED'
        ? `Telesign rejected the credentials (${code}): check TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY.`
        : `Telesign refused the account's look-ups (${code}): ${oneLine(error.message)}`;
    case 'upstream':
      return `Telesign could not be reached (${code}): check TELESIGN_BASE_URL and the network. ${oneLine(error.message)}`;
    default:
      return `the start-up check failed (${code}): ${oneLine(error.message)}`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes every occurrence of the key from `text` (belt and braces: messages are redacted already). */
function redact(text: string, apiKey: string | undefined): string {
  if (apiKey === undefined || apiKey.length < 4) return text;
  return text.split(apiKey).join('[redacted]');
}
