/**
 * The add-on record cache: per number and kind (number deactivation, SIM swap), a bounded
 * in-process LRU with one freshness per kind, a shared store behind it (its record API),
 * and coalesced requests: concurrent checks of one number share one add-on request, and a
 * check joins a request already asking for the kind it needs. Each waiter leaves on its
 * own deadline or abort; a request is cancelled when no waiter remains.
 */
import { LRUCache } from 'lru-cache';
import type { PhoneIdAddons } from '../model/identity-signals.js';
import type { StatusStore } from '../model/types.js';
import { callStore } from '../resilience/store-call.js';
import {
  AddonFlight,
  type AddonResult,
  type Answers,
  type Found,
  waitForFlights,
} from './addon-flight.js';
import {
  type AddonKind,
  type AddonTtls,
  addonTtl,
  type CachedAddonRecord,
  type CachedDeactivation,
  type CachedSimSwap,
  recordFromStore,
  STORE_KINDS,
  toCachedRecord,
} from './addon-records.js';
import { type FlightInfo, runFlight } from './flight.js';

/** What one add-on request asks for. */
export interface AddonRequest {
  readonly numberDeactivation: boolean | { readonly lastVerifiedAt: Date };
  readonly simSwap: boolean;
}

/** Performs one add-on request (breaker, budget and provider are the guard's business). */
export type AddonLoader = (
  e164: string,
  request: AddonRequest,
  signal: AbortSignal,
  flight: FlightInfo,
) => Promise<PhoneIdAddons>;

/** What one check needs. */
export interface AddonAsk {
  readonly deactivation: boolean;
  readonly simSwap: boolean;
  /** Sent as `last_verified` if this check starts the deactivation request. */
  readonly lastVerifiedAt: { readonly at: number; readonly day: number } | undefined;
}

export type { AddonResult } from './addon-flight.js';

/** The kinds a check asked for (a kind not asked is absent). */
export interface AddonAnswer {
  deactivation?: AddonResult<CachedDeactivation>;
  simSwap?: AddonResult<CachedSimSwap>;
}

/** Options of {@link createAddonCache}. */
export interface AddonCacheConfig {
  readonly max: number;
  readonly ttl: AddonTtls;
  readonly now: () => number;
  readonly load: AddonLoader;
  readonly store?: StatusStore | undefined;
  readonly storeTimeoutMs: number;
  readonly onStoreError?: ((operation: string, error: unknown) => void) | undefined;
}

/** The guard's add-on record cache. */
export interface AddonCache {
  /** The fresh in-process record of `kind` for `e164`, if any. No I/O. */
  peek(kind: 'deactivation', e164: string): CachedDeactivation | undefined;
  peek(kind: 'simSwap', e164: string): CachedSimSwap | undefined;
  /**
   * The records `ask` needs: fresh in-process ones, else from a request in flight, else
   * from a new one (store first, then upstream for what the store lacks). Settles at once
   * when `signal` aborts or `timeoutMs` passes.
   */
  load(
    e164: string,
    ask: AddonAsk,
    options: { signal?: AbortSignal | undefined; timeoutMs: number },
  ): Promise<AddonAnswer>;
  /** Requests in flight. */
  readonly inFlight: number;
  /** Drops the number's records from the in-process cache (the store's go with `delete`). */
  forget(e164: string): void;
  /** Empties the in-process cache; requests in flight still answer their waiters. */
  clear(): void;
  /** Cancels every request and empties the cache. */
  close(): void;
}

const KINDS: readonly AddonKind[] = ['deactivation', 'simSwap'];
const keyOf = (kind: AddonKind, e164: string): string =>
  `${kind === 'simSwap' ? 's' : 'd'}:${e164}`;

/**
 * Creates the add-on record cache.
 *
 * @example
 * ```ts
 * const addons = createAddonCache({ max: 10_000, ttl: { numberDeactivation: 604_800_000,
 *   simSwap: 60_000 }, now: Date.now, load, storeTimeoutMs: 250 });
 * const answer = await addons.load('+13105550100', { deactivation: true, simSwap: true,
 *   lastVerifiedAt: { at, day } }, { timeoutMs: 3000 });
 * ```
 */
export function createAddonCache(config: AddonCacheConfig): AddonCache {
  const { ttl, now } = config;
  const lru = new LRUCache<string, CachedAddonRecord>({ max: config.max });
  const flights = new Map<string, AddonFlight>();
  const parts: RequestParts = { config, lru };

  const fresh = (key: string): CachedAddonRecord | undefined => {
    const record = lru.get(key);
    return record !== undefined && record.receivedAt + addonTtl(ttl, record) > now()
      ? record
      : undefined;
  };

  const start = (e164: string, kinds: readonly AddonKind[], ask: AddonAsk): AddonFlight => {
    const flight = new AddonFlight();
    const keys = kinds.map((kind) => keyOf(kind, e164));
    const request = () => requestAddons(e164, kinds, ask, flight, parts);
    flight.promise = runFlight(flights, keys, flight, request);
    // A flight every waiter has left may still reject: that is not an unhandled rejection.
    flight.promise.catch(() => {});
    return flight;
  };

  const load = (
    e164: string,
    ask: AddonAsk,
    options: { signal?: AbortSignal | undefined; timeoutMs: number },
  ): Promise<AddonAnswer> => {
    const answer: Answers = {};
    const waiting = new Map<AddonKind, AddonFlight>();
    const toStart: AddonKind[] = [];
    for (const kind of KINDS) {
      if (!ask[kind]) continue;
      const key = keyOf(kind, e164);
      const record = fresh(key);
      if (record !== undefined) answer[kind] = { ok: true, record };
      else {
        const flight = flights.get(key);
        if (flight !== undefined) waiting.set(kind, flight);
        else toStart.push(kind);
      }
    }
    if (toStart.length > 0) {
      const flight = start(e164, toStart, ask);
      for (const kind of toStart) waiting.set(kind, flight);
    }
    // Each kind's result holds a record of that kind (records are keyed by kind).
    if (waiting.size === 0) return Promise.resolve(answer as AddonAnswer);
    return waitForFlights(waiting, answer, options) as Promise<AddonAnswer>;
  };

  function peek(kind: 'deactivation', e164: string): CachedDeactivation | undefined;
  function peek(kind: 'simSwap', e164: string): CachedSimSwap | undefined;
  function peek(kind: AddonKind, e164: string): CachedAddonRecord | undefined {
    return fresh(keyOf(kind, e164));
  }

  return {
    peek,
    load,
    get inFlight() {
      return new Set(flights.values()).size;
    },
    forget(e164) {
      for (const kind of KINDS) {
        const key = keyOf(kind, e164);
        lru.delete(key);
        const flight = flights.get(key);
        if (flight !== undefined) flight.discard = true;
      }
    },
    clear() {
      for (const flight of flights.values()) flight.discard = true;
      lru.clear();
    },
    close() {
      for (const flight of flights.values()) flight.close();
      lru.clear();
    },
  };
}

/** What the request of one flight works with. */
interface RequestParts {
  readonly config: AddonCacheConfig;
  /** The in-process records, keyed by {@link keyOf}. */
  readonly lru: LRUCache<string, CachedAddonRecord>;
}

/**
 * One flight's request: the store's fresh records first, then one upstream request for
 * the kinds the store lacks. Keeps what it finds unless the flight was discarded.
 */
async function requestAddons(
  e164: string,
  kinds: readonly AddonKind[],
  ask: AddonAsk,
  flight: AddonFlight,
  parts: RequestParts,
): Promise<Found> {
  const { config, lru } = parts;
  const signal = flight.controller.signal;
  const found: Found = {};
  const stored = await Promise.all(kinds.map((kind) => readStoredRecord(kind, e164, config)));
  for (const record of stored) {
    if (record === undefined) continue;
    found[record.kind] = record;
    if (!flight.discard) lru.set(keyOf(record.kind, e164), record);
  }
  const missing = kinds.filter((kind) => found[kind] === undefined);
  if (missing.length === 0) return found;
  if (signal.aborted) throw signal.reason;
  const verified = ask.lastVerifiedAt;
  const answer = await config.load(e164, upstreamRequest(missing, verified), signal, flight);
  const receivedAt = config.now();
  for (const kind of missing) {
    const record = toCachedRecord(answer, kind, verified?.day ?? null, receivedAt);
    found[kind] = record;
    if (!flight.discard) keepRecord(e164, record, parts);
  }
  return found;
}

/** The upstream request for the `missing` kinds (`last_verified` sent when known). */
function upstreamRequest(
  missing: readonly AddonKind[],
  verified: AddonAsk['lastVerifiedAt'],
): AddonRequest {
  const wantsDeactivation = missing.includes('deactivation');
  return {
    numberDeactivation:
      wantsDeactivation && verified !== undefined
        ? { lastVerifiedAt: new Date(verified.at) }
        : wantsDeactivation,
    simSwap: missing.includes('simSwap'),
  };
}

/** The store's record of `kind` for `e164`, if it is still fresh by the guard's TTLs. */
async function readStoredRecord(
  kind: AddonKind,
  e164: string,
  config: AddonCacheConfig,
): Promise<CachedAddonRecord | undefined> {
  const { store, ttl, now } = config;
  if (!store?.getRecord) return undefined;
  const get = store.getRecord.bind(store);
  const raw = await callStore(
    'getRecord',
    () => get(STORE_KINDS[kind], e164),
    config.storeTimeoutMs,
    config.onStoreError,
  );
  const t = now();
  const record = raw === undefined ? undefined : recordFromStore(kind, raw, t);
  return record !== undefined && record.receivedAt + addonTtl(ttl, record) > t ? record : undefined;
}

/** Keeps an upstream record in process and (not awaited) in the store, if it has a TTL. */
function keepRecord(e164: string, record: CachedAddonRecord, parts: RequestParts): void {
  const { config, lru } = parts;
  const freshFor = addonTtl(config.ttl, record);
  if (freshFor <= 0) return;
  lru.set(keyOf(record.kind, e164), record);
  const store = config.store;
  if (!store?.setRecord) return;
  const set = store.setRecord.bind(store);
  // Not awaited: the checks waiting on this request get their answer now.
  void callStore(
    'setRecord',
    () => set(STORE_KINDS[record.kind], e164, record, freshFor),
    config.storeTimeoutMs,
    config.onStoreError,
  );
}
