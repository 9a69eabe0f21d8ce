import { randomUUID } from 'node:crypto';
import type { LiveStatus, StatusStore } from '@phone-guard/core';
import { createKeyHasher } from './key-hasher.js';
import { RELEASE_LOCK_SCRIPT } from './lua-scripts.js';
import { createBudgetCounter } from './redis-budget.js';
import { createRedisConnection } from './redis-connection.js';
import { createRecordMethods } from './redis-records.js';
import { isWrongType, RedisStoreError } from './redis-store-error.js';
import {
  type BudgetFallback,
  type RedisStoreOptions,
  resolveRedisStoreOptions,
} from './redis-store-options.js';
import { decodeStatus, encodeStatus } from './status-codec.js';

/**
 * A {@link StatusStore} on Redis with every optional method implemented. Methods reject
 * with a {@link RedisStoreError} when Redis fails (see {@link createRedisStore}).
 */
export interface RedisStore extends StatusStore {
  get(phone: string): Promise<LiveStatus | undefined>;
  set(phone: string, status: LiveStatus, ttlMs: number): Promise<void>;
  acquireLookup(phone: string, ttlMs: number): Promise<boolean>;
  releaseLookup(phone: string): Promise<void>;
  consumeBudget(limit: number, windowMs: number, scope?: string): Promise<boolean>;
  delete(phone: string): Promise<void>;
  getRecord(kind: string, phone: string): Promise<unknown>;
  setRecord(kind: string, phone: string, value: unknown, ttlMs: number): Promise<void>;
  /** False during an outage: from the first failed call until a probe finds Redis serving. */
  readonly available: boolean;
  /** Closes the client the store created from `url`; a caller's `client` stays open. */
  close(): Promise<void>;
}

const FALLBACK_BUDGET: Record<BudgetFallback, string> = {
  local: 'counted per instance',
  allow: 'not enforced',
  deny: 'refused',
};

const validTtl = (ttlMs: unknown): ttlMs is number =>
  typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0;

/**
 * Creates a shared {@link StatusStore} on Redis for `createPhoneGuard({ store })`, so that
 * many application instances share one cache (statuses and add-on records), coalesce
 * look-ups of the same number and spend one look-up budget.
 *
 * - Keys: `${keyPrefix}s:${h}` statuses, `${keyPrefix}r:${h}` records (a hash, one field
 *   per kind), `${keyPrefix}l:${h}` look-up claims, where `h` is
 *   `base64url(HMAC-SHA256(keySecret, e164))`; budget counters
 *   `${keyPrefix}b:${namespace}:${tag}:${limit}:${windowMs}:${window}`. No key or value
 *   holds the phone number. Without a key secret (option or environment) it throws.
 * - Every Redis call is bounded by `commandTimeoutMs`. A failed call rejects with a
 *   {@link RedisStoreError}; the first one of an outage logs one warning, after which
 *   the store does not call Redis (calls reject at once) until a probe succeeds, which
 *   logs one message. The guard counts each rejection in `stats().storeErrors` and
 *   treats it as a miss.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createPhoneGuard } from '@phone-guard/core';
 * import { createRedisStore } from '@phone-guard/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * const store = createRedisStore({ client: redis, keySecret: process.env.PHONE_GUARD_KEY_SECRET });
 * const guard = createPhoneGuard({ store });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const resolved = resolveRedisStoreOptions(options);
  const { keyPrefix, logger, now, budgetFallback, namespace } = resolved;
  const hash = createKeyHasher(resolved.keySecret.secret);
  const redis = createRedisConnection(
    resolved,
    `each call fails at once and the guard treats it as a miss (counted in stats().storeErrors, not logged): every instance looks numbers up itself; look-up budget ${FALLBACK_BUDGET[budgetFallback]}`,
  );
  const { client, run } = redis;
  try {
    logger.debug?.(`phone-guard/redis: key secret from ${resolved.keySecret.source}`);
  } catch {
    // A broken logger must not break construction.
  }

  const lockTokens = new Map<string, string>();
  /** Status writes in flight, by key (each settles within `commandTimeoutMs`). */
  const pendingWrites = new Map<string, Promise<void>>();
  let warnedAboutValue = false;

  function warnAboutValue(): void {
    if (warnedAboutValue) return;
    warnedAboutValue = true;
    try {
      logger.warn(
        `phone-guard/redis: a value under ${keyPrefix} is not one phone-guard wrote; read as a miss (further ones are not logged)`,
      );
    } catch {
      // ignore
    }
  }

  const statusKey = (phone: string) => `${keyPrefix}s:${hash(phone)}`;
  const recordKey = (phone: string) => `${keyPrefix}r:${hash(phone)}`;
  const lockKey = (phone: string) => `${keyPrefix}l:${hash(phone)}`;
  const records = createRecordMethods({ redis, recordKey, now, onForeignValue: warnAboutValue });
  const consumeBudget = createBudgetCounter({
    redis,
    // The tag ties counters to the key secret: stores with different secrets never share one.
    keyBase: `${keyPrefix}b:${namespace}:${hash('\u0000budget').slice(0, 12)}`,
    fallback: budgetFallback,
    now,
  });

  return {
    ...records,
    consumeBudget,
    get available() {
      return redis.available;
    },

    async get(phone) {
      if (typeof phone !== 'string') return undefined;
      const key = statusKey(phone);
      let raw: string | null;
      try {
        raw = await run('get', key, () => client.get(key));
      } catch (error) {
        if (!isWrongType(error)) throw error;
        warnAboutValue();
        return undefined;
      }
      if (raw === null) return undefined;
      const status = decodeStatus(raw, phone);
      if (status === undefined) warnAboutValue();
      return status;
    },

    async set(phone, status, ttlMs) {
      if (typeof phone !== 'string' || !validTtl(ttlMs)) return;
      let value: string;
      try {
        value = encodeStatus(status);
      } catch (error) {
        const what = error instanceof Error ? error.name : typeof error;
        throw new RedisStoreError('STORE_VALUE_INVALID', `not a LiveStatus (${what})`, {
          fault: 'internal',
        });
      }
      const key = statusKey(phone);
      const write = run('set', key, () => client.set(key, value, 'PX', Math.ceil(ttlMs)));
      const sent = write.then(
        () => {},
        () => {},
      );
      pendingWrites.set(key, sent);
      try {
        await write;
      } finally {
        if (pendingWrites.get(key) === sent) pendingWrites.delete(key);
      }
    },

    async acquireLookup(phone, ttlMs) {
      // Nothing to arbitrate with: the caller looks the number up itself.
      if (typeof phone !== 'string' || !validTtl(ttlMs)) return true;
      const key = lockKey(phone);
      const token = randomUUID();
      const reply = await run('acquireLookup', key, () =>
        client.set(key, token, 'PX', Math.ceil(ttlMs), 'NX'),
      );
      if (reply !== 'OK') return false;
      lockTokens.set(key, token);
      // The previous holder may have cached its answer and released the claim between
      // our (missed) get and our claim: then there is nothing to look up. Answering false
      // sends the caller to the store, where it finds the answer.
      const cached = statusKey(phone);
      try {
        if ((await run('acquireLookup', cached, () => client.exists(cached))) === 1) {
          lockTokens.delete(key);
          await run('releaseLookup', key, () =>
            client.eval(RELEASE_LOCK_SCRIPT, 1, key, token),
          ).catch(() => {});
          return false;
        }
      } catch {
        // Keep the claim and look it up.
      }
      return true;
    },

    async releaseLookup(phone) {
      if (typeof phone !== 'string') return;
      const key = lockKey(phone);
      const token = lockTokens.get(key);
      if (token === undefined) return;
      lockTokens.delete(key);
      // Release only after this store's write of the same number was sent, so that an
      // instance that claims the number next finds the answer instead of looking it up.
      await pendingWrites.get(statusKey(phone));
      // On failure the claim expires on its own after its ttl.
      await run('releaseLookup', key, () => client.eval(RELEASE_LOCK_SCRIPT, 1, key, token));
    },

    async delete(phone) {
      if (typeof phone !== 'string') return;
      const keys = [statusKey(phone), recordKey(phone)];
      // One DEL per key: on a cluster the two keys may live on different nodes.
      await Promise.all(keys.map((key) => run('delete', key, () => client.del(key))));
    },

    close() {
      lockTokens.clear();
      pendingWrites.clear();
      return redis.close();
    },
  };
}
