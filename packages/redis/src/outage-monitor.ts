import type { Logger } from '@phone-guard/core';
import { describeFailure } from './redis-store-error.js';

/**
 * Tracks whether Redis serves. The first failure starts an outage: it is logged once, the
 * store stops calling Redis, and a probe runs after a pause that doubles after each failed
 * probe (e.g. 1 s, 2 s, 4 s … up to 30 s). The first probe that succeeds ends the outage,
 * which is logged once too. Nothing else is logged, and calls that succeed during an
 * outage (e.g. on a healthy node of a cluster) do not end it: only the probe does.
 */
export interface OutageMonitor {
  /** False from the first failure until a probe succeeds. */
  readonly available: boolean;
  /** When the current outage began (clock ms), or `undefined`. */
  readonly downSince: number | undefined;
  /** Record a failed call; `key` is the key it used, probed later (`undefined`: PING). */
  failed(error: unknown, key: string | undefined): void;
  /** Count a call that was not made because of the outage. */
  skipped(): void;
  /** Stop probing (the store is closing). */
  close(): void;
}

/** Options of {@link createOutageMonitor}. */
export interface OutageMonitorOptions {
  logger: Logger;
  /** What happens while Redis is down, appended to the outage message. */
  fallbackDescription: string;
  /** Resolves when Redis serves `key` (or answers PING when `undefined`); rejects if not. */
  probe: (key: string | undefined) => Promise<void>;
  /** The first pause before probing. */
  probeIntervalMs: number;
  /** The longest pause between probes. */
  maxProbeIntervalMs: number;
  /** Clock for the outage duration. @default Date.now */
  now?: (() => number) | undefined;
}

function log(logger: Logger, level: 'warn' | 'info', message: string): void {
  try {
    if (level === 'info' && logger.info) logger.info(message);
    else logger.warn(message);
  } catch {
    // A broken logger must not break the request path.
  }
}

/**
 * Creates an {@link OutageMonitor}. Its probe timer does not keep the process alive.
 *
 * @example
 * ```ts
 * const monitor = createOutageMonitor({
 *   logger: console, fallbackDescription: 'cache misses', probeIntervalMs: 1000,
 *   maxProbeIntervalMs: 30_000, probe: async (key) => { await client.exists(key ?? '') },
 * });
 * monitor.failed(new Error('ECONNREFUSED'), 'pg:s:…'); // logs once, probes from now on
 * ```
 */
export function createOutageMonitor(options: OutageMonitorOptions): OutageMonitor {
  const { logger, fallbackDescription, probe, probeIntervalMs, maxProbeIntervalMs } = options;
  const now = options.now ?? Date.now;
  let downSince: number | undefined;
  let probeKey: string | undefined;
  let pause = probeIntervalMs;
  let timer: NodeJS.Timeout | undefined;
  let skippedCalls = 0;
  let closed = false;

  const schedule = (): void => {
    if (closed) return;
    timer = setTimeout(runProbe, pause);
    timer.unref();
  };

  const recover = (): void => {
    const lasted = Math.max(0, now() - (downSince ?? now()));
    log(
      logger,
      'info',
      `phone-guard/redis: Redis serves again after ${lasted} ms (${skippedCalls} store calls skipped meanwhile); shared cache resumed`,
    );
    downSince = undefined;
    probeKey = undefined;
    pause = probeIntervalMs;
    skippedCalls = 0;
  };

  function runProbe(): void {
    timer = undefined;
    if (closed || downSince === undefined) return;
    probe(probeKey).then(
      () => {
        if (!closed && downSince !== undefined) recover();
      },
      () => {
        pause = Math.min(pause * 2, maxProbeIntervalMs);
        schedule();
      },
    );
  }

  return {
    get available() {
      return downSince === undefined;
    },
    get downSince() {
      return downSince;
    },
    failed(error, key) {
      if (closed) return;
      if (downSince !== undefined) {
        // Probe the key that failed first: on a cluster, its node is the one that is down.
        probeKey ??= key;
        return;
      }
      downSince = now();
      probeKey = key;
      log(
        logger,
        'warn',
        `phone-guard/redis: Redis unavailable (${describeFailure(error)}); not called again until a probe succeeds (first in ${probeIntervalMs} ms, then at growing intervals up to ${maxProbeIntervalMs} ms). Meanwhile: ${fallbackDescription}`,
      );
      schedule();
    },
    skipped() {
      skippedCalls++;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
