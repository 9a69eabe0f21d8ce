/**
 * The status cache's side of the shared {@link StatusStore}: read-through with the
 * guard's own freshness, write-behind, the cluster look-up lock (one instance looks a
 * number up while the others poll the store for its answer), and deletion. Every call
 * has the store deadline; a failed call is reported and counts as a miss.
 */
import type { LiveStatus, StatusStore } from '../model/types.js';
import { callStore } from '../resilience/store-call.js';
import { sanitizeStatus } from './sanitize-status.js';
import { type StatusTtls, ttlFor } from './status-ttl.js';

/** How often and how long to poll the store while another instance holds the look-up lock. */
const LOCK_POLL_MS = 50;
const LOCK_WAIT_MAX_MS = 1000;

/** What {@link StatusCache.forget} did in the store. */
export type ForgetOutcome = 'none' | 'unsupported' | 'deleted' | 'failed';

/** Options of {@link linkStatusStore}. */
export interface StatusStoreLinkConfig {
  readonly store: StatusStore | undefined;
  readonly ttl: StatusTtls;
  readonly now: () => number;
  /** Deadline of each store call. */
  readonly storeTimeoutMs: number;
  /** Lock time-to-live for `acquireLookup` (the longest a look-up can take). */
  readonly lockTtlMs: number;
  /** Called when a store call fails or times out (it was treated as a miss). */
  readonly onStoreError: ((operation: string, error: unknown) => void) | undefined;
}

/** The store operations of the status cache; each is a no-op without a store. */
export interface StatusStoreLink {
  /** The stored status of `e164` if it is still fresh by the guard's TTLs (slimmed). */
  read(e164: string): Promise<LiveStatus | undefined>;
  /** Whether the store has the cluster look-up lock (`acquireLookup`). */
  readonly locks: boolean;
  /**
   * Claims the cluster look-up of `e164`: `true` claimed, `false` another instance holds
   * it, `undefined` no lock in the store (or the call failed).
   */
  acquireLock(e164: string): Promise<boolean | undefined>;
  /**
   * Polls the store for the answer of the instance holding the lock, until `signal`
   * aborts, a second has passed, or half the time left before `deadline` (real time).
   */
  awaitPeerAnswer(
    e164: string,
    deadline: number,
    signal: AbortSignal,
  ): Promise<LiveStatus | undefined>;
  /** Writes `status` fresh for `freshFor` ms, when positive; the write, if any. */
  write(e164: string, status: LiveStatus, freshFor: number): Promise<unknown> | undefined;
  /** Releases a claimed lock once `written` has settled, so pollers find the answer. */
  releaseLockAfter(e164: string, written: Promise<unknown> | undefined): void;
  /** Deletes `e164` from the store, when the store can. */
  delete(e164: string): Promise<ForgetOutcome>;
}

/** Wraps `config.store` for the status cache. */
export function linkStatusStore(config: StatusStoreLinkConfig): StatusStoreLink {
  const { store, ttl, now, storeTimeoutMs, lockTtlMs, onStoreError } = config;
  const callStoreWithin = <T>(operation: string, call: () => Promise<T>) =>
    callStore(operation, call, storeTimeoutMs, onStoreError);

  const read = async (e164: string): Promise<LiveStatus | undefined> => {
    if (!store) return undefined;
    const raw = await callStoreWithin('get', () => store.get(e164));
    return raw === undefined ? undefined : freshStoredStatus(raw, e164, ttl, now());
  };

  return {
    read,
    get locks() {
      return Boolean(store?.acquireLookup);
    },
    acquireLock(e164) {
      if (!store?.acquireLookup) return Promise.resolve(undefined);
      const acquire = store.acquireLookup.bind(store);
      return callStoreWithin('acquireLookup', () => acquire(e164, lockTtlMs));
    },
    async awaitPeerAnswer(e164, deadline, signal) {
      const waitUntil = Math.min(
        performance.now() + LOCK_WAIT_MAX_MS,
        deadline - Math.min(1000, (deadline - performance.now()) / 2),
      );
      while (!signal.aborted && performance.now() + LOCK_POLL_MS < waitUntil) {
        await sleep(LOCK_POLL_MS, signal);
        if (signal.aborted) break;
        const status = await read(e164);
        if (status) return status;
      }
      return undefined;
    },
    write(e164, status, freshFor) {
      if (!store || freshFor <= 0) return undefined;
      return callStoreWithin('set', () => store.set(e164, status, freshFor));
    },
    releaseLockAfter(e164, written) {
      if (!store?.releaseLookup) return;
      const release = store.releaseLookup.bind(store);
      void Promise.resolve(written).then(() =>
        callStoreWithin('releaseLookup', () => release(e164)),
      );
    },
    async delete(e164) {
      if (!store) return 'none';
      if (!store.delete) return 'unsupported';
      const remove = store.delete.bind(store);
      let failed = false;
      await callStore(
        'delete',
        () => remove(e164),
        storeTimeoutMs,
        (operation, error) => {
          failed = true;
          onStoreError?.(operation, error);
        },
      );
      return failed ? 'failed' : 'deleted';
    },
  };
}

/** A store answer, slimmed, if it is still fresh at `time` by our TTLs; else undefined. */
function freshStoredStatus(
  raw: unknown,
  e164: string,
  ttl: StatusTtls,
  time: number,
): LiveStatus | undefined {
  let status = sanitizeStatus(raw, e164, true);
  if (status === null || !Number.isFinite(status.checkedAt)) return undefined;
  // An answer from an instance whose clock runs ahead counts as received now.
  if (status.checkedAt > time) status = sanitizeStatus(status, e164, true, time) as LiveStatus;
  if (status.checkedAt + ttlFor(ttl, status) <= time) return undefined;
  return status;
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
