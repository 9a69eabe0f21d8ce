import { LRUCache } from 'lru-cache';
import type { Decision } from '../model/decision.js';
import type { NormalizedPhone } from '../model/phone.js';
import type { LiveStatus, StatusStore, UseCase } from '../model/types.js';
import { callStore } from '../resilience/store-call.js';
import { sanitizeStatus } from './sanitize-status.js';

/** Freshness per outcome, in milliseconds. */
export interface StatusTtls {
  readonly active: number;
  readonly transient: number;
  readonly disconnected: number;
  readonly unknown: number;
}

/**
 * One cached number. `status` is a slimmed, frozen copy (no `referenceId`, interned
 * strings) whose `checkedAt` is when the guard received it, on the guard's clock: the
 * entry is fresh until `checkedAt` + the TTL of its outcome (see
 * {@link StatusCache.freshUntil}), so no per-entry expiry is stored.
 */
export interface CacheEntry {
  readonly status: LiveStatus;
  /**
   * The precomputed cache-hit decision for the guard's default use case (static policies
   * only). It holds the number's `NormalizedPhone`, whose `e164` is the cache key itself.
   */
  decision: Decision | undefined;
}

/** Where a look-up's answer came from. */
export type LookupOrigin = 'store' | 'upstream';

/** The outcome of {@link StatusCache.lookup}; never thrown. */
export type LookupResult =
  | {
      readonly ok: true;
      readonly entry: CacheEntry;
      /** The status to report: the full one for an upstream answer, else the cached one. */
      readonly status: LiveStatus;
      readonly origin: LookupOrigin;
      readonly coalesced: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: 'aborted' | 'timeout' | 'failed';
      readonly error: unknown;
      readonly coalesced: boolean;
    };

/** Performs one upstream look-up (breaker, budget and provider are the guard's business). */
export type UpstreamLoader = (
  e164: string,
  useCase: UseCase,
  signal: AbortSignal,
  flight: FlightInfo,
) => Promise<LiveStatus>;

/** What a loader may ask about the flight it serves. */
export interface FlightInfo {
  /** Why the flight's signal was aborted: every waiter left by timeout, or by caller abort. */
  readonly abortCause: 'timeout' | 'aborted' | 'closed' | null;
}

/** Options of {@link createStatusCache}. */
export interface StatusCacheConfig {
  max: number;
  ttl: StatusTtls;
  staleWhileRevalidateMs: number;
  staleIfErrorMs: number;
  now: () => number;
  load: UpstreamLoader;
  store?: StatusStore | undefined;
  /** Deadline of each store call. */
  storeTimeoutMs: number;
  /** Lock time-to-live for `acquireLookup` (the longest a look-up can take). */
  lockTtlMs: number;
  /**
   * Computes an entry's cache-hit decision when it is created, or returns `undefined`
   * (dynamic policy): the hit path then only reads it.
   */
  precompute?: ((status: LiveStatus, phone: NormalizedPhone) => Decision | undefined) | undefined;
  /** Called when a store call fails or times out (it was treated as a miss). */
  onStoreError?: ((operation: string, error: unknown) => void) | undefined;
}

/** Per-call options of {@link StatusCache.lookup}. */
export interface LookupCallOptions {
  useCase: UseCase;
  /** The number looked up (its `e164` is the key). */
  phone: NormalizedPhone;
  /** The waiter leaves (and settles) at once when this aborts. */
  signal?: AbortSignal | undefined;
  /** The waiter leaves after this many milliseconds (real time). */
  timeoutMs: number;
}

/**
 * The guard's cache: a bounded lru-cache of {@link CacheEntry} keyed by E.164, with one
 * freshness per outcome, optional stale serving, a {@link StatusStore} behind it, and
 * coalesced look-ups (lru-cache's `fetch()`) that each waiter can leave on its own.
 */
export interface StatusCache {
  /**
   * The entry for `e164`, if any, without a clock read: it may be stale (compare
   * `freshUntil()`) or even expired (past `freshUntil() + staleWindow`).
   */
  peek(e164: string): CacheEntry | undefined;
  /**
   * Joins (or starts) the look-up of `e164`: store, then cluster lock, then upstream.
   * Settles at once when `signal` aborts or `timeoutMs` passes; the shared look-up is
   * cancelled only when no waiter remains.
   */
  lookup(e164: string, options: LookupCallOptions): Promise<LookupResult>;
  /** Starts a background refresh (stale-while-revalidate); bounded by `timeoutMs`. */
  refresh(phone: NormalizedPhone, useCase: UseCase, timeoutMs: number): void;
  /** When `entry` stops being fresh (clock ms): its `checkedAt` plus its outcome's TTL. */
  freshUntil(entry: CacheEntry): number;
  /** How long after `freshUntil` an entry may still be served stale. */
  readonly staleWindow: number;
  /** Look-ups in flight. */
  readonly inFlight: number;
  readonly size: number;
  readonly max: number;
  /**
   * Drops `e164` from the cache, then from the store when it has `delete` (with the store
   * deadline). Says what happened in the store: `none` (no store), `unsupported` (no
   * `delete`), `deleted`, or `failed` (reported to `onStoreError` too). A look-up already
   * in flight for the number still answers its waiters but is not cached.
   */
  forget(e164: string): Promise<ForgetOutcome>;
  /** Empties the cache; look-ups in flight still answer their waiters but are not cached. */
  clear(): void;
  /** Cancels every flight and empties the cache. */
  close(): void;
}

/** What {@link StatusCache.forget} did in the store. */
export type ForgetOutcome = 'none' | 'unsupported' | 'deleted' | 'failed';

class Flight implements FlightInfo {
  readonly controller = new AbortController();
  waiters = 0;
  settled = false;
  origin: LookupOrigin = 'upstream';
  fullStatus: LiveStatus | undefined;
  abortCause: 'timeout' | 'aborted' | 'closed' | null = null;

  leave(cause: 'timeout' | 'aborted' | null): void {
    this.waiters--;
    if (this.waiters <= 0 && !this.settled && cause !== null && this.abortCause === null) {
      this.abortCause = cause;
      this.controller.abort(
        cause === 'timeout'
          ? new DOMException('Every check waiting on this look-up timed out', 'TimeoutError')
          : new DOMException('Every check waiting on this look-up was aborted', 'AbortError'),
      );
    }
  }
}

/** The freshness that applies to `status`. */
export function ttlFor(ttl: StatusTtls, status: LiveStatus): number {
  if (status.subscriberStatus === 'DISCONNECTED') return ttl.disconnected;
  if (status.subscriberStatus !== 'ACTIVE') return ttl.unknown;
  if (status.deviceStatus === 'UNREACHABLE' || status.roaming === 'YES') return ttl.transient;
  return ttl.active;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** How often and how long to poll the store while another instance holds the look-up lock. */
const LOCK_POLL_MS = 50;
const LOCK_WAIT_MAX_MS = 1000;

interface FetchContext {
  useCase: UseCase;
  phone: NormalizedPhone;
  /** Real-time deadline of the first waiter, bounding the lock wait. */
  deadline: number;
}

/**
 * Creates the guard's status cache.
 *
 * @example
 * ```ts
 * const cache = createStatusCache({ max: 10_000, ttl, staleWhileRevalidateMs: 0,
 *   staleIfErrorMs: 86_400_000, now: Date.now, load, storeTimeoutMs: 250, lockTtlMs: 3000 });
 * const r = await cache.lookup('+14155552671', { useCase: 'BACS', timeoutMs: 3000 });
 * ```
 */
export function createStatusCache(config: StatusCacheConfig): StatusCache {
  const { ttl, now, load, store, storeTimeoutMs, lockTtlMs, onStoreError, precompute } = config;
  const staleWindow = Math.max(config.staleWhileRevalidateMs, config.staleIfErrorMs);
  const flights = new Map<string, Flight>();

  const callStoreWithin = <T>(operation: string, call: () => Promise<T>) =>
    callStore(operation, call, storeTimeoutMs, onStoreError);

  const makeEntry = (status: LiveStatus, phone: NormalizedPhone): CacheEntry => ({
    status,
    decision: precompute?.(status, phone),
  });

  /** A store answer still fresh by our TTLs, as an entry; else undefined. */
  const fromStore = (raw: unknown, phone: NormalizedPhone): CacheEntry | undefined => {
    const key = phone.e164;
    let status = sanitizeStatus(raw, key, true);
    if (status === null || !Number.isFinite(status.checkedAt)) return undefined;
    const t = now();
    // An answer from an instance whose clock runs ahead counts as received now.
    if (status.checkedAt > t) status = sanitizeStatus(status, key, true, t) as LiveStatus;
    if (status.checkedAt + ttlFor(ttl, status) <= t) return undefined;
    return makeEntry(status, phone);
  };

  const readStore = async (phone: NormalizedPhone): Promise<CacheEntry | undefined> => {
    if (!store) return undefined;
    const raw = await callStoreWithin('get', () => store.get(phone.e164));
    return raw === undefined ? undefined : fromStore(raw, phone);
  };

  const resolve = async (key: string, ctx: FetchContext, flight: Flight): Promise<CacheEntry> => {
    const signal = flight.controller.signal;
    let entry = await readStore(ctx.phone);
    if (entry) {
      flight.origin = 'store';
      return entry;
    }
    let locked = false;
    if (store?.acquireLookup && !signal.aborted) {
      const acquire = store.acquireLookup.bind(store);
      const got = await callStoreWithin('acquireLookup', () => acquire(key, lockTtlMs));
      if (got === true) locked = true;
      else if (got === false) {
        // Another instance is looking this number up: wait briefly for its answer.
        const waitUntil = Math.min(
          performance.now() + LOCK_WAIT_MAX_MS,
          ctx.deadline - Math.min(1000, (ctx.deadline - performance.now()) / 2),
        );
        while (!signal.aborted && performance.now() + LOCK_POLL_MS < waitUntil) {
          await sleep(LOCK_POLL_MS, signal);
          if (signal.aborted) break;
          entry = await readStore(ctx.phone);
          if (entry) {
            flight.origin = 'store';
            return entry;
          }
        }
      }
    }
    let written: Promise<unknown> | undefined;
    try {
      if (signal.aborted) throw signal.reason;
      const raw = await load(key, ctx.useCase, signal, flight);
      const full = sanitizeStatus(raw, key, false);
      if (full === null)
        throw new TypeError('The provider returned something that is not a LiveStatus');
      const slim = sanitizeStatus(full, key, true, now()) as LiveStatus;
      const freshFor = ttlFor(ttl, slim);
      flight.fullStatus = full;
      // Not awaited: the checks waiting on this look-up get their answer now.
      if (store && freshFor > 0)
        written = callStoreWithin('set', () => store.set(key, slim, freshFor));
      return makeEntry(slim, ctx.phone);
    } finally {
      if (locked && store?.releaseLookup) {
        // Released after the write, so that instances polling for it find the answer.
        const release = store.releaseLookup.bind(store);
        void Promise.resolve(written).then(() =>
          callStoreWithin('releaseLookup', () => release(key)),
        );
      }
    }
  };

  const lru = new LRUCache<string, CacheEntry, FetchContext>({
    max: config.max,
    // Every waiter that leaves decides for itself; the upstream call is cancelled by the
    // flight's own controller, never by lru-cache (eviction must not cancel a look-up).
    ignoreFetchAbort: true,
    // A failed refresh keeps the stale entry, for stale-if-error.
    noDeleteOnFetchRejection: true,
    fetchMethod: async (key, _stale, { context }) => {
      const flight = new Flight();
      flights.set(key, flight);
      try {
        return await resolve(key, context, flight);
      } finally {
        flight.settled = true;
        if (flights.get(key) === flight) flights.delete(key);
      }
    },
  });

  const peek = (key: string): CacheEntry | undefined => lru.get(key);

  const lookup = (key: string, options: LookupCallOptions): Promise<LookupResult> => {
    const { signal, timeoutMs, useCase, phone } = options;
    const before = flights.get(key);
    const deadline = performance.now() + timeoutMs;
    let p: Promise<CacheEntry | undefined>;
    try {
      p = lru.fetch(key, { forceRefresh: true, context: { useCase, phone, deadline } });
    } catch (error) {
      return Promise.resolve({ ok: false, reason: 'failed', error, coalesced: false });
    }
    const flight = flights.get(key);
    const coalesced = before !== undefined && before === flight;
    if (flight) flight.waiters++;
    return new Promise<LookupResult>((settle) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: LookupResult, cause: 'timeout' | 'aborted' | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        flight?.leave(cause);
        settle(result);
      };
      const onAbort = (): void =>
        finish({ ok: false, reason: 'aborted', error: signal?.reason, coalesced }, 'aborted');
      p.then(
        (entry) => {
          if (entry === undefined) {
            finish(
              { ok: false, reason: 'failed', error: new Error('look-up cancelled'), coalesced },
              null,
            );
            return;
          }
          const origin = flight?.origin ?? 'upstream';
          const status =
            origin === 'upstream' && flight?.fullStatus ? flight.fullStatus : entry.status;
          finish({ ok: true, entry, status, origin, coalesced }, null);
        },
        (error: unknown) => finish({ ok: false, reason: 'failed', error, coalesced }, null),
      );
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      timer = setTimeout(
        () => finish({ ok: false, reason: 'timeout', error: undefined, coalesced }, 'timeout'),
        timeoutMs,
      );
    });
  };

  return {
    peek,
    lookup,
    refresh(phone, useCase, timeoutMs) {
      if (flights.has(phone.e164)) return;
      void lookup(phone.e164, { useCase, phone, timeoutMs });
    },
    get inFlight() {
      return flights.size;
    },
    get size() {
      return lru.size;
    },
    max: config.max,
    staleWindow,
    freshUntil: (entry) => entry.status.checkedAt + ttlFor(ttl, entry.status),
    async forget(key) {
      lru.delete(key);
      if (!store) return 'none';
      if (!store.delete) return 'unsupported';
      const remove = store.delete.bind(store);
      let failed = false;
      await callStore(
        'delete',
        () => remove(key),
        storeTimeoutMs,
        (operation, error) => {
          failed = true;
          onStoreError?.(operation, error);
        },
      );
      return failed ? 'failed' : 'deleted';
    },
    clear() {
      lru.clear();
    },
    close() {
      for (const flight of flights.values()) {
        if (!flight.settled && flight.abortCause === null) {
          flight.abortCause = 'closed';
          flight.controller.abort(new DOMException('The guard was closed', 'AbortError'));
        }
      }
      lru.clear();
    },
  };
}
