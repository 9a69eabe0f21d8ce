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

/** How often a condition that lasts (breaker open, budget spent, a bad key) is logged again. */
export const EPISODE_REMINDER_MS = 60_000;

/** One lasting condition being reported. */
interface Episode {
  readonly startedAt: number;
  lastLoggedAt: number;
  /** Checks or look-ups it affected since it began. */
  occurrences: number;
}

/**
 * The guard's voice: warnings and errors that are said once per key (express-rate-limit
 * style), lasting conditions logged when they begin, every minute while they last and
 * once when they end, and a logger that can never break a check by throwing.
 */
export class GuardLog {
  private readonly said = new Set<string>();
  private readonly episodes = new Map<string, Episode>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Reports that the lasting condition `key` happened again: logged (as `level`) when it
   * begins and then at most every {@link EPISODE_REMINDER_MS}, with how long it has
   * lasted and how often it struck. `describe` builds the message only when it is logged.
   */
  episode(key: string, level: 'warn' | 'error', describe: () => string): void {
    const t = this.now();
    let episode = this.episodes.get(key);
    if (episode === undefined) {
      episode = { startedAt: t, lastLoggedAt: t, occurrences: 1 };
      this.episodes.set(key, episode);
      this.write(level, describe());
      return;
    }
    episode.occurrences++;
    if (t - episode.lastLoggedAt < EPISODE_REMINDER_MS) return;
    episode.lastLoggedAt = t;
    const seconds = Math.round((t - episode.startedAt) / 1000);
    this.write(level, `${describe()} (still so after ${seconds} s; ${episode.occurrences} times)`);
  }

  /** Ends the condition `key`, logging `message` once if it was being reported. */
  endEpisode(key: string, message: string): void {
    if (!this.episodes.delete(key)) return;
    this.write('warn', message);
  }

  /** Ends every condition whose key starts with `prefix`; `message` names the key. */
  endEpisodes(prefix: string, message: (key: string) => string): void {
    if (this.episodes.size === 0) return;
    for (const key of [...this.episodes.keys()]) {
      if (key.startsWith(prefix)) this.endEpisode(key, message(key));
    }
  }

  private write(level: 'warn' | 'error', message: string): void {
    try {
      if (level === 'error') this.logger.error(message);
      else this.logger.warn(message);
    } catch {
      // a broken logger must not break a check
    }
  }

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
