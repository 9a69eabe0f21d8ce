import { isPhoneGuardError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import type { Logger } from '../model/types.js';

/** Replaces anything that looks like a phone number in a message by its masked form. */
export function scrub(message: string): string {
  return message.replace(/\+?\d[\d\s().-]{5,}\d/g, (digits) => maskPhone(digits));
}

/**
 * What the logger is given for an error phone-guard did not make itself (an `onDecision`
 * hook's, an internal one): a copy whose message and stack have phone numbers masked —
 * such errors may quote the number or the decision — and, for a thrown non-Error, only
 * its type (it may be the decision itself).
 */
export function redactError(error: unknown): Error {
  if (!(error instanceof Error)) {
    return new Error(`a non-Error value was thrown (${error === null ? 'null' : typeof error})`);
  }
  const copy: Error & { code?: string } = new Error(scrub(error.message));
  copy.name = error.name;
  copy.stack = scrub(error.stack ?? '');
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string') copy.code = code;
  return copy;
}

const ABORT_NAMES: ReadonlySet<string> = new Set(['AbortError', 'TimeoutError']);

/**
 * A stable code for any error: a phone-guard error's own `code`, `AbortError` or
 * `TimeoutError` for the platform's abort reasons, else `UNKNOWN_ERROR`.
 */
export function errorCodeOf(error: unknown): string {
  if (isPhoneGuardError(error)) return error.code;
  if (error instanceof Error && ABORT_NAMES.has(error.name)) return error.name;
  return 'UNKNOWN_ERROR';
}

/**
 * The guard's voice: warnings and errors that are said once per key (express-rate-limit
 * style), and a logger that can never break a check by throwing.
 */
export class GuardLog {
  private readonly said = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Warns, unless a warning or error with this key was already logged. */
  warnOnce(key: string, message: string, ...details: unknown[]): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.warn(message, ...details);
  }

  /** Logs an error, unless a warning or error with this key was already logged. */
  errorOnce(key: string, message: string, ...details: unknown[]): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    try {
      this.logger.error(message, ...details);
    } catch {
      // a broken logger must not break a check
    }
  }

  /** Warns every time (for events that are rare by nature, such as breaker changes). */
  warn(message: string, ...details: unknown[]): void {
    try {
      this.logger.warn(message, ...details);
    } catch {
      // a broken logger must not break a check
    }
  }
}
