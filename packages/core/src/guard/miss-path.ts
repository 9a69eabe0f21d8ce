/**
 * A check the in-process cache could not answer fresh: serve a stale answer while it is
 * refreshed, or look the number up (store, then upstream, coalesced with other checks),
 * and fall back to a stale answer when that fails.
 */
import type { CacheEntry, StatusCache } from '../cache/status-cache.js';
import type { Decision } from '../model/decision.js';
import type { NormalizedPhone } from '../model/phone.js';
import type { UseCase } from '../model/types.js';
import { type CacheEvent, channels, publishGuardEvent } from '../observe/channels.js';
import type { CheckMode } from './check-options.js';
import type { FailMode, ResolvedGuardOptions } from './options.js';
import { GUARD_CLOSED, type Outcomes } from './outcomes.js';
import type { PolicyHandle } from './route-policies.js';
import type { GuardCounters } from './stats.js';

/** What a check needs when it cannot be decided without a look-up. */
export interface PendingCheck {
  readonly policy: PolicyHandle;
  readonly phone: NormalizedPhone;
  /** The number's in-process entry, no longer fresh (it may still be served stale). */
  readonly entry: CacheEntry | undefined;
  /** The clock reading that found the entry not fresh. */
  readonly time: number;
  readonly useCase: UseCase;
  readonly signal: AbortSignal | undefined;
  readonly failMode: FailMode;
  /** The check's labels for its decision event (see `CheckOptions`). */
  readonly route: string | undefined;
  readonly mode: CheckMode | undefined;
  readonly enforce: number;
}

/** What the miss path works with. */
export interface MissPathParts {
  readonly cache: StatusCache;
  readonly outcomes: Outcomes;
  readonly counters: GuardCounters;
  readonly settings: Pick<ResolvedGuardOptions, 'cache' | 'timeoutMs' | 'now' | 'name'>;
  /** Whether the guard is closed (checks then answer `GUARD_CLOSED`). */
  readonly isClosed: () => boolean;
}

/** Creates the function that decides a {@link PendingCheck}. Never rejects on its own. */
export function createMissPath(parts: MissPathParts): (check: PendingCheck) => Promise<Decision> {
  const { cache, outcomes, counters, settings, isClosed } = parts;
  const { staleWhileRevalidateMs, staleIfErrorMs } = settings.cache;
  const { timeoutMs, now, name } = settings;
  const missEvent: CacheEvent = Object.freeze({ result: 'miss', guard: name });

  return async function decideAfterLookup(check) {
    const { policy, phone, entry, time, useCase, signal, failMode } = check;
    counters.misses++;
    if (channels.cache.hasSubscribers) publishGuardEvent('cache', missEvent);
    const freshUntil = entry === undefined ? 0 : cache.freshUntil(entry);
    const stale = entry !== undefined && freshUntil + cache.staleWindow > time ? entry : undefined;
    if (isClosed()) return outcomes.failure(phone, useCase, failMode, GUARD_CLOSED);
    if (stale && staleWhileRevalidateMs > 0 && time < freshUntil + staleWhileRevalidateMs) {
      counters.staleServed++;
      cache.refresh(phone, useCase, timeoutMs);
      return outcomes.decide(policy.policy, stale.status, phone, useCase, 'stale', failMode);
    }
    if (signal?.aborted) return outcomes.aborted(phone, useCase, failMode);

    const result = await cache.lookup(phone.e164, { useCase, phone, signal, timeoutMs });
    if (result.coalesced) {
      counters.coalesced++;
      if (channels.coalesced.hasSubscribers)
        publishGuardEvent('coalesced', { useCase, guard: name });
    }
    if (result.ok) {
      const fromStore = result.origin === 'store';
      if (fromStore) counters.storeHits++;
      const source = fromStore ? 'cache' : 'upstream';
      return outcomes.decide(policy.policy, result.status, phone, useCase, source, failMode);
    }
    const staleIfError =
      result.reason !== 'aborted' &&
      stale !== undefined &&
      staleIfErrorMs > 0 &&
      now() < freshUntil + staleIfErrorMs;
    if (staleIfError) {
      counters.staleServed++;
      return outcomes.decide(policy.policy, stale.status, phone, useCase, 'stale', failMode);
    }
    if (isClosed()) return outcomes.failure(phone, useCase, failMode, GUARD_CLOSED);
    return outcomes.failure(phone, useCase, failMode, outcomes.lookupFailure(result));
  };
}
