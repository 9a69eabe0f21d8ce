/** A fixed-window counter held in this process, used while Redis cannot be reached. */
export interface LocalBudget {
  /** Count one look-up; true while at most `limit` were counted in the current window. */
  consume(limit: number, windowMs: number): boolean;
}

/**
 * Creates a {@link LocalBudget}: one counter per window length, reset when the window
 * (aligned to multiples of `windowMs` since the epoch, like the Redis one) changes.
 *
 * @example
 * ```ts
 * const budget = createLocalBudget(Date.now);
 * budget.consume(100, 60_000); // true for the first 100 calls of each minute
 * ```
 */
export function createLocalBudget(now: () => number): LocalBudget {
  const windows = new Map<number, { index: number; used: number }>();
  return {
    consume(limit, windowMs) {
      const index = Math.floor(now() / windowMs);
      let window = windows.get(windowMs);
      if (!window || window.index !== index) {
        window = { index, used: 0 };
        windows.set(windowMs, window);
      }
      window.used += 1;
      return window.used <= limit;
    },
  };
}
