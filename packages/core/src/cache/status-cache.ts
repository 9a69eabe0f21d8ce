import { LRUCache } from 'lru-cache';
import type { Decision } from '../model/decision.js';
import type { NormalizedPhone } from '../model/phone.js';
import type { LiveStatus, StatusStore, UseCase } from '../model/types.js';
import { Flight, type FlightInfo, runFlight, waitAsWaiter } from './flight.js';
import { sanitizeStatus } from './sanitize-status.js';
import { type ForgetOutcome, linkStatusStore, type StatusStoreLink } from './status-store.js';
import { type StatusTtls, ttlFor } from './status-ttl.js';

export type { FlightInfo } from './flight.js';
export type { ForgetOutcome } from './status-store.js';
export { type StatusTtls, ttlFor } from './status-ttl.js';

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

/** A status look-up in flight. */
class StatusFlight extends Flight {
  origin: LookupOrigin = 'upstream';
  /** The provider's full answer (with `referenceId`), reported to its waiters. */
  fullStatus: LiveStatus | undefined;

  constructor() {
    super('look-up');
  }
}

interface FetchContext {
  useCase: UseCase;
  phone: NormalizedPhone;
  /** Real-time deadline of the first waiter, bounding the lock wait. */
  deadline: number;
}

/** What {@link resolveEntry} works with. */
interface ResolveParts {
  readonly shared: StatusStoreLink;
  readonly load: UpstreamLoader;
  readonly ttl: StatusTtls;
  readonly now: () => number;
  readonly makeEntry: (status: LiveStatus, phone: NormalizedPhone) => CacheEntry;
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
  const { ttl, now, precompute } = config;
  const staleWindow = Math.max(config.staleWhileRevalidateMs, config.staleIfErrorMs);
  const flights = new Map<string, StatusFlight>();
  const shared = linkStatusStore({
    store: config.store,
    ttl,
    now,
    storeTimeoutMs: config.storeTimeoutMs,
    lockTtlMs: config.lockTtlMs,
    onStoreError: config.onStoreError,
  });
  const makeEntry = (status: LiveStatus, phone: NormalizedPhone): CacheEntry => ({
    status,
    decision: precompute?.(status, phone),
  });
  const parts: ResolveParts = { shared, load: config.load, ttl, now, makeEntry };

  const lru = new LRUCache<string, CacheEntry, FetchContext>({
    max: config.max,
    // Every waiter that leaves decides for itself; the upstream call is cancelled by the
    // flight's own controller, never by lru-cache (eviction must not cancel a look-up).
    ignoreFetchAbort: true,
    // A failed refresh keeps the stale entry, for stale-if-error.
    noDeleteOnFetchRejection: true,
    fetchMethod: (key, _stale, { context }) => {
      const flight = new StatusFlight();
      return runFlight(flights, [key], flight, () => resolveEntry(key, context, flight, parts));
    },
  });

  const peek = (key: string): CacheEntry | undefined => lru.get(key);

  const lookup = (key: string, options: LookupCallOptions): Promise<LookupResult> => {
    const { useCase, phone } = options;
    const before = flights.get(key);
    const deadline = performance.now() + options.timeoutMs;
    let fetched: Promise<CacheEntry | undefined>;
    try {
      fetched = lru.fetch(key, { forceRefresh: true, context: { useCase, phone, deadline } });
    } catch (error) {
      return Promise.resolve({ ok: false, reason: 'failed', error, coalesced: false });
    }
    const flight = flights.get(key);
    const coalesced = before !== undefined && before === flight;
    return waitAsWaiter<LookupResult>(
      flight === undefined ? [] : [flight],
      options,
      (answer) =>
        fetched.then(
          (entry) => answer(lookupAnswer(entry, flight, coalesced)),
          (error: unknown) => answer({ ok: false, reason: 'failed', error, coalesced }),
        ),
      (reason, error) => ({ ok: false, reason, error, coalesced }),
    );
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
    forget(key) {
      lru.delete(key);
      return shared.delete(key);
    },
    clear() {
      lru.clear();
    },
    close() {
      for (const flight of flights.values()) flight.close();
      lru.clear();
    },
  };
}

/**
 * The entry one flight settles with: the store's fresh answer; else the upstream's
 * (written to the store), after claiming the cluster look-up lock or waiting briefly for
 * the instance that holds it to store its answer.
 */
async function resolveEntry(
  key: string,
  context: FetchContext,
  flight: StatusFlight,
  parts: ResolveParts,
): Promise<CacheEntry> {
  const { shared, ttl, now, makeEntry } = parts;
  const signal = flight.controller.signal;
  let stored = await shared.read(key);
  let locked = false;
  if (stored === undefined && shared.locks && !signal.aborted) {
    const claim = await shared.acquireLock(key);
    if (claim === true) locked = true;
    // Another instance is looking this number up: wait briefly for its answer.
    else if (claim === false) stored = await shared.awaitPeerAnswer(key, context.deadline, signal);
  }
  if (stored !== undefined) {
    flight.origin = 'store';
    return makeEntry(stored, context.phone);
  }
  let written: Promise<unknown> | undefined;
  try {
    if (signal.aborted) throw signal.reason;
    const raw = await parts.load(key, context.useCase, signal, flight);
    const full = sanitizeStatus(raw, key, false);
    if (full === null)
      throw new TypeError('The provider returned something that is not a LiveStatus');
    const slim = sanitizeStatus(full, key, true, now()) as LiveStatus;
    flight.fullStatus = full;
    // Not awaited: the checks waiting on this look-up get their answer now.
    written = shared.write(key, slim, ttlFor(ttl, slim));
    return makeEntry(slim, context.phone);
  } finally {
    // Released after the write, so that instances polling for it find the answer.
    if (locked) shared.releaseLockAfter(key, written);
  }
}

/** What a waiter learns when the flight it joined settles with `entry`. */
function lookupAnswer(
  entry: CacheEntry | undefined,
  flight: StatusFlight | undefined,
  coalesced: boolean,
): LookupResult {
  if (entry === undefined) {
    return { ok: false, reason: 'failed', error: new Error('look-up cancelled'), coalesced };
  }
  const origin = flight?.origin ?? 'upstream';
  const status = origin === 'upstream' && flight?.fullStatus ? flight.fullStatus : entry.status;
  return { ok: true, entry, status, origin, coalesced };
}
