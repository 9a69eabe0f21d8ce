import { randomUUID } from 'node:crypto';
import type { LiveStatus, StatusStore } from '@phone-guard/core';
import { type Cluster, Redis } from 'ioredis';
import { createKeyHasher, DEFAULT_KEY_SECRET } from './key-hasher.js';
import { createLocalBudget } from './local-budget.js';
import { CONSUME_BUDGET_SCRIPT, RELEASE_LOCK_SCRIPT } from './lua-scripts.js';
import { createOutageMonitor } from './outage-monitor.js';
import { type RedisStoreOptions, resolveRedisStoreOptions } from './redis-store-options.js';
import { decodeStatus, encodeStatus } from './status-codec.js';
import { withTimeout } from './with-timeout.js';

/**
 * A {@link StatusStore} on Redis with every optional method implemented. No method ever
 * rejects: when Redis is slow or down they fall back (see {@link createRedisStore}).
 */
export interface RedisStore extends StatusStore {
  get(phone: string): Promise<LiveStatus | undefined>;
  set(phone: string, status: LiveStatus, ttlMs: number): Promise<void>;
  acquireLookup(phone: string, ttlMs: number): Promise<boolean>;
  releaseLookup(phone: string): Promise<void>;
  consumeBudget(limit: number, windowMs: number): Promise<boolean>;
  /** Closes the client the store created from `url`; a caller's `client` stays open. */
  close(): Promise<void>;
}

/** ioredis connection states in which a command should wait for `ready` (first connect). */
const CONNECTING_STATES = new Set(['wait', 'connecting', 'connect']);
/** Longest wait for an owned client's QUIT before it is disconnected. */
const QUIT_TIMEOUT_MS = 1000;

let warnedAboutDefaultSecret = false;

/** True for Redis's WRONGTYPE reply: the key holds another type (not our value). */
function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/**
 * Creates a shared {@link StatusStore} on Redis for `createPhoneGuard({ store })`, so that
 * many application instances share one cache, coalesce look-ups of the same number and
 * spend one look-up budget.
 *
 * - Keys: `${keyPrefix}s:${base64url(HMAC-SHA256(keySecret, e164))}` for statuses,
 *   `${keyPrefix}l:${…same hash}` for look-up claims and
 *   `${keyPrefix}b:${windowMs}:${windowIndex}` for budget counters. No key or value holds
 *   the phone number.
 * - Every Redis call is bounded by `commandTimeoutMs`. On failure or timeout: `get` is a
 *   miss, `set` and `releaseLookup` do nothing, `acquireLookup` answers `true` (look it up
 *   yourself), `consumeBudget` follows `budgetFallback`. One warning per outage, one
 *   message on recovery.
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
  const { keyPrefix, commandTimeoutMs, logger, now, budgetFallback } = resolved;

  if (resolved.keySecret === undefined && !warnedAboutDefaultSecret) {
    warnedAboutDefaultSecret = true;
    logger.warn(
      'phone-guard/redis: no keySecret given; Redis keys are hashed with a public default secret and can be reversed to phone numbers. Set keySecret (16+ random bytes, the same on every instance).',
    );
  }
  const hash = createKeyHasher(resolved.keySecret ?? DEFAULT_KEY_SECRET);
  const monitor = createOutageMonitor({
    logger,
    now,
    fallbackDescription: `cache misses, every instance looks numbers up itself, look-up budget ${
      budgetFallback === 'local'
        ? 'counted per instance'
        : budgetFallback === 'allow'
          ? 'not enforced'
          : 'exhausted'
    }`,
  });

  const localBudget = createLocalBudget(now);
  const lockTokens = new Map<string, string>();
  /** Status writes in flight, by key (each settles within `commandTimeoutMs`). */
  const pendingWrites = new Map<string, Promise<void>>();
  let closed = false;
  let closing: Promise<void> | undefined;
  let warnedAboutValue = false;
  let connecting: Promise<void> | undefined;

  const owned = resolved.client === undefined;
  const client: Redis | Cluster =
    resolved.client ??
    new Redis(resolved.url as string, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: resolved.connectTimeoutMs,
      ...resolved.redisOptions,
    });
  if (owned) {
    // Without a listener ioredis prints every connection error; the monitor logs once.
    client.on('error', (error: unknown) => {
      if (!closed) monitor.failed(error);
    });
  }

  /** Resolves once a client that is still making its first connection is ready (or gave up). */
  function untilConnected(): Promise<void> {
    if (!CONNECTING_STATES.has(client.status)) return Promise.resolve();
    if (client.status === 'wait') {
      // A lazyConnect client connects on its first command; start that connection now.
      client.connect().catch(() => {});
    }
    connecting ??= new Promise<void>((resolve) => {
      const done = () => {
        client.off('ready', done);
        client.off('close', done);
        client.off('end', done);
        connecting = undefined;
        resolve();
      };
      client.on('ready', done);
      client.on('close', done);
      client.on('end', done);
    });
    return connecting;
  }

  /** Runs one Redis call within `commandTimeoutMs`, recording success and failure. */
  async function run<T>(command: () => Promise<T>): Promise<T> {
    try {
      const result = await withTimeout(
        untilConnected().then(() => command()),
        commandTimeoutMs,
      );
      monitor.succeeded();
      return result;
    } catch (error) {
      // WRONGTYPE: Redis answered, the key just holds something that is not ours.
      if (isWrongType(error)) monitor.succeeded();
      else if (!closed) monitor.failed(error);
      throw error;
    }
  }

  function warnAboutValue(): void {
    if (warnedAboutValue) return;
    warnedAboutValue = true;
    logger.warn(
      `phone-guard/redis: a value under ${keyPrefix}s: is not a phone-guard status; read as a miss (further ones are not logged)`,
    );
  }

  const statusKey = (phone: string) => `${keyPrefix}s:${hash(phone)}`;
  const lockKey = (phone: string) => `${keyPrefix}l:${hash(phone)}`;
  const validTtl = (ttlMs: number) =>
    typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0;

  function fallbackBudget(limit: number, windowMs: number): boolean {
    if (budgetFallback === 'allow') return true;
    if (budgetFallback === 'deny') return false;
    return localBudget.consume(limit, windowMs);
  }

  return {
    async get(phone) {
      if (closed || typeof phone !== 'string') return undefined;
      const key = statusKey(phone);
      let raw: string | null;
      try {
        raw = await run(() => client.get(key));
      } catch (error) {
        if (isWrongType(error)) warnAboutValue();
        return undefined;
      }
      if (raw === null) return undefined;
      const status = decodeStatus(raw, phone);
      if (status === undefined) warnAboutValue();
      return status;
    },

    async set(phone, status, ttlMs) {
      if (closed || typeof phone !== 'string' || !validTtl(ttlMs)) return;
      let value: string;
      try {
        value = encodeStatus(status);
      } catch {
        return;
      }
      const key = statusKey(phone);
      const write = run(() => client.set(key, value, 'PX', Math.ceil(ttlMs))).then(
        () => {},
        () => {
          // Swallowed: the next get is a miss, which is the same as never having cached.
        },
      );
      pendingWrites.set(key, write);
      await write;
      if (pendingWrites.get(key) === write) pendingWrites.delete(key);
    },

    async acquireLookup(phone, ttlMs) {
      if (closed || typeof phone !== 'string' || !validTtl(ttlMs)) return true;
      const key = lockKey(phone);
      const token = randomUUID();
      try {
        const reply = await run(() => client.set(key, token, 'PX', Math.ceil(ttlMs), 'NX'));
        if (reply !== 'OK') return false;
        lockTokens.set(key, token);
      } catch {
        // Redis cannot arbitrate: look the number up locally.
        return true;
      }
      // The previous holder may have cached its answer and released the claim between
      // our (missed) get and our claim: then there is nothing to look up. Answering false
      // sends the caller to the store, where it finds the answer.
      const cached = statusKey(phone);
      try {
        if ((await run(() => client.exists(cached))) === 1) {
          lockTokens.delete(key);
          await run(() => client.eval(RELEASE_LOCK_SCRIPT, 1, key, token)).catch(() => {});
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
      if (closed) return;
      // Release only after this store's write of the same number was sent, so that an
      // instance that claims the number next finds the answer instead of looking it up.
      await pendingWrites.get(statusKey(phone));
      try {
        await run(() => client.eval(RELEASE_LOCK_SCRIPT, 1, key, token));
      } catch {
        // The claim expires on its own after its ttl.
      }
    },

    async consumeBudget(limit, windowMs) {
      if (typeof limit !== 'number' || Number.isNaN(limit)) return true;
      if (limit === Number.POSITIVE_INFINITY) return true;
      if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) return true;
      const window = Math.max(1, Math.round(windowMs));
      if (closed) return fallbackBudget(limit, window);
      const at = now();
      const index = Math.floor(at / window);
      const key = `${keyPrefix}b:${window}:${index}`;
      // Keep the counter a little past its window's end, then let Redis drop it.
      const expireMs = Math.max(1, (index + 1) * window - at) + 1000;
      try {
        const used = await run(() => client.eval(CONSUME_BUDGET_SCRIPT, 1, key, expireMs));
        if (typeof used !== 'number') return fallbackBudget(limit, window);
        return used <= limit;
      } catch {
        return fallbackBudget(limit, window);
      }
    },

    close() {
      if (closing) return closing;
      closed = true;
      lockTokens.clear();
      pendingWrites.clear();
      closing = (async () => {
        if (!owned) return;
        try {
          await withTimeout(client.quit(), QUIT_TIMEOUT_MS);
        } catch {
          // Not connected or not answering: drop the connection instead.
        } finally {
          client.disconnect();
        }
      })();
      return closing;
    },
  };
}
