/**
 * Telesign's same-number behaviour for the sandbox: remembers when each number last got
 * live data, for `repeatWindowMs` only, so that a repeat inside the window can answer
 * -60001. Memory stays bounded however many distinct numbers a benchmark sends: nothing
 * is kept when the window is 0 (off), entries older than the window are dropped, and at
 * most `maxEntries` are kept (the oldest forgotten first).
 */
export interface RepeatWindow {
  /** Records that `digits` got live data at `now`. */
  record(digits: string, now: number): void;
  /** Whether `digits` got live data less than the window ago. */
  isRepeat(digits: string, now: number): boolean;
  /** Forgets every number. */
  clear(): void;
  /** How many numbers are remembered. */
  readonly size: number;
}

/**
 * Creates a {@link RepeatWindow} of `windowMs` milliseconds (0: off, remembers nothing).
 *
 * @example
 * const repeats = createRepeatWindow(10_000);
 * repeats.record('14155550100', 0);
 * repeats.isRepeat('14155550100', 5_000); // true
 * repeats.isRepeat('14155550100', 10_000); // false
 */
export function createRepeatWindow(windowMs: number, maxEntries = 100_000): RepeatWindow {
  const lastLiveAt = new Map<string, number>();
  return {
    record(digits, now) {
      if (windowMs <= 0) return;
      // Re-inserted so that the map stays in the order of the last live answer.
      lastLiveAt.delete(digits);
      lastLiveAt.set(digits, now);
      for (const [key, at] of lastLiveAt) {
        if (now - at < windowMs && lastLiveAt.size <= maxEntries) break;
        lastLiveAt.delete(key);
      }
    },
    isRepeat(digits, now) {
      if (windowMs <= 0) return false;
      const at = lastLiveAt.get(digits);
      return at !== undefined && now - at < windowMs;
    },
    clear() {
      lastLiveAt.clear();
    },
    get size() {
      return lastLiveAt.size;
    },
  };
}
