import type { StatusStore } from '../model/types.js';

/** Options of {@link createLookupBudget}. */
export interface LookupBudgetConfig {
  /** Look-ups allowed per window. */
  limit: number;
  /** Window length in milliseconds (fixed windows aligned on multiples of it). */
  windowMs: number;
  /** The clock, in milliseconds. */
  now: () => number;
  /**
   * A store with `consumeBudget`: the budget is then shared by every instance using it.
   * When the store fails, this instance falls back to its own count.
   */
  store?: StatusStore | undefined;
  /**
   * Keeps this budget's shared counter apart from other budgets on the same store (the
   * guard passes its `name`): two named guards never share a counter.
   */
  scope?: string | undefined;
  /** Runs a store call with a deadline; resolves `undefined` on failure or timeout. */
  callStore?: (<T>(call: () => Promise<T>) => Promise<T | undefined>) | undefined;
}

/** A cap of `limit` upstream look-ups per `windowMs`. */
export interface LookupBudget {
  /** Takes one look-up from the budget; `false` when it is spent. */
  consume(): Promise<boolean>;
  /** Look-ups counted by this instance in the current window. */
  readonly used: number;
  readonly limit: number;
  readonly windowMs: number;
  /** Whether the budget is shared through the store. */
  readonly shared: boolean;
  /** Milliseconds until the current window ends and the budget is whole again. */
  retryAfterMs(): number;
}

/**
 * Creates a fixed-window look-up budget. Every upstream look-up is billed, so this bounds
 * what an attacker cycling through fresh numbers can spend. With a store that has
 * `consumeBudget`, the count is cluster-wide.
 *
 * @example
 * ```ts
 * const budget = createLookupBudget({ limit: 100, windowMs: 60_000, now: Date.now });
 * if (!(await budget.consume())) throw new Error('over budget');
 * ```
 */
export function createLookupBudget(config: LookupBudgetConfig): LookupBudget {
  const { limit, windowMs, now, store, callStore, scope } = config;
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  const roll = (): void => {
    const t = now();
    if (t - windowStart >= windowMs || t < windowStart) {
      windowStart = t - (t % windowMs);
      used = 0;
    }
  };
  const localConsume = (): boolean => {
    roll();
    if (used >= limit) return false;
    used++;
    return true;
  };
  const shared = typeof store?.consumeBudget === 'function';
  return {
    async consume() {
      if (shared && store?.consumeBudget && callStore) {
        const consumeBudget = store.consumeBudget.bind(store);
        const ok = await callStore(() =>
          scope === undefined
            ? consumeBudget(limit, windowMs)
            : consumeBudget(limit, windowMs, scope),
        );
        if (ok !== undefined) {
          roll();
          if (ok) used++;
          return ok === true;
        }
      }
      return localConsume();
    },
    get used() {
      roll();
      return used;
    },
    limit,
    windowMs,
    shared,
    retryAfterMs() {
      // Windows are aligned on multiples of windowMs, locally and in the shared store.
      const t = now();
      return windowMs - (((t % windowMs) + windowMs) % windowMs);
    },
  };
}
