import { createHash } from 'node:crypto';
import type { StatusStore } from '@phone-guard/core';
import { CONSUME_BUDGET_SCRIPT } from './lua-scripts.js';
import type { RedisConnection } from './redis-connection.js';
import { RedisStoreError } from './redis-store-error.js';
import type { BudgetFallback } from './redis-store-options.js';

/** A short, key-safe tag for a budget scope (the guard's name). */
function scopeTag(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 12);
}

/** What {@link createBudgetCounter} needs from its store. */
export interface BudgetContext {
  readonly redis: RedisConnection;
  /** `${keyPrefix}b:${namespace}:${tag}`: the part of every counter key that is fixed. */
  readonly keyBase: string;
  readonly fallback: BudgetFallback;
  readonly now: () => number;
}

/**
 * The store's `consumeBudget`: a fixed-window counter per limit and window under
 * `keyBase`, incremented by a Lua script that also sets its expiry. When Redis fails it
 * rejects (`fallback: 'local'`, the guard then counts in its own process) or answers
 * `true` (`'allow'`) or `false` (`'deny'`).
 *
 * @example
 * ```ts
 * const consumeBudget = createBudgetCounter({ redis, keyBase: 'pg:b:default:AbC', fallback: 'local', now: Date.now });
 * await consumeBudget(100, 60_000); // true for the first 100 calls of each minute, cluster-wide
 * ```
 */
export function createBudgetCounter(
  context: BudgetContext,
): Required<StatusStore>['consumeBudget'] {
  const { redis, keyBase, fallback, now } = context;
  return async (limit, windowMs, scope) => {
    if (typeof limit !== 'number' || Number.isNaN(limit)) return true;
    if (limit === Number.POSITIVE_INFINITY) return true;
    if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) return true;
    const window = Math.max(1, Math.round(windowMs));
    const at = now();
    const index = Math.floor(at / window);
    // A guard's name keeps its counter apart; hashed so any name makes a safe key part.
    const scoped = typeof scope === 'string' && scope !== '' ? `:g${scopeTag(scope)}` : '';
    const key = `${keyBase}${scoped}:${limit}:${window}:${index}`;
    // Keep the counter a little past its window's end, then let Redis drop it.
    const expireMs = Math.max(1, (index + 1) * window - at) + 1000;
    try {
      const used = await redis.run('consumeBudget', key, () =>
        redis.client.eval(CONSUME_BUDGET_SCRIPT, 1, key, expireMs),
      );
      if (typeof used !== 'number') {
        throw new RedisStoreError('REDIS_ERROR', 'Redis answered the budget script oddly');
      }
      return used <= limit;
    } catch (error) {
      if (fallback === 'allow') return true;
      if (fallback === 'deny') return false;
      throw error;
    }
  };
}
