import type { Logger } from '@phone-guard/core';

/** Tracks whether Redis answers, logging once when it stops and once when it is back. */
export interface OutageMonitor {
  /** True until a call fails; true again after the next call that succeeds. */
  readonly available: boolean;
  /** Record a successful call (logs the recovery if there was an outage). */
  succeeded(): void;
  /** Record a failed call (logs the outage if it is the first failure). */
  failed(error: unknown): void;
}

/** Options of {@link createOutageMonitor}. */
export interface OutageMonitorOptions {
  logger: Logger;
  /** What the store does while Redis is down, appended to the outage message. */
  fallbackDescription: string;
  /** Clock for the outage duration. @default Date.now */
  now?: () => number;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Creates an {@link OutageMonitor}: the first failure after a success logs one `warn`,
 * the first success after a failure logs one `info` (or `warn` when the logger has no
 * `info`). Calls in between log nothing.
 *
 * @example
 * ```ts
 * const monitor = createOutageMonitor({ logger: console, fallbackDescription: 'cache misses' });
 * monitor.failed(new Error('ECONNREFUSED')); // logs once
 * monitor.succeeded(); // logs the recovery once
 * ```
 */
export function createOutageMonitor(options: OutageMonitorOptions): OutageMonitor {
  const { logger, fallbackDescription } = options;
  const now = options.now ?? Date.now;
  let available = true;
  let downSince = 0;
  return {
    get available() {
      return available;
    },
    succeeded() {
      if (available) return;
      available = true;
      const message = `phone-guard/redis: Redis answers again after ${Math.max(0, now() - downSince)} ms; shared cache resumed`;
      try {
        if (logger.info) logger.info(message);
        else logger.warn(message);
      } catch {
        // A broken logger must not break the request path.
      }
    },
    failed(error) {
      if (!available) return;
      available = false;
      downSince = now();
      try {
        logger.warn(
          `phone-guard/redis: Redis unavailable (${describeError(error)}); until it answers again: ${fallbackDescription}`,
        );
      } catch {
        // A broken logger must not break the request path.
      }
    },
  };
}
