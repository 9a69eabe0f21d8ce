import { type Cluster, Redis } from 'ioredis';
import { createOutageMonitor } from './outage-monitor.js';
import { isOutage, RedisStoreError, replyCode } from './redis-store-error.js';
import type { ResolvedRedisStoreOptions } from './redis-store-options.js';
import { withTimeout } from './with-timeout.js';

/**
 * The store's access to Redis: every call bounded by `commandTimeoutMs`, failures turned
 * into {@link RedisStoreError}s, and outages tracked so that, once one has begun, calls
 * are refused at once (without touching Redis) until a probe finds Redis serving again.
 */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  /** False during an outage (from the first failure until a probe succeeds). */
  readonly available: boolean;
  /**
   * Runs `command` (which uses `key`, or no key), or rejects with a `RedisStoreError`:
   * `REDIS_UNAVAILABLE` / `REDIS_TIMEOUT` (with `logged: true`) during an outage,
   * `REDIS_ERROR` when Redis answered with an error, `STORE_CLOSED` after `close()`.
   */
  run<T>(operation: string, key: string | undefined, command: () => Promise<T>): Promise<T>;
  readonly closed: boolean;
  /** Stops probing and quits the client the connection created (never a caller's). */
  close(): Promise<void>;
}

/** ioredis connection states in which a command should wait for `ready` (first connect). */
const CONNECTING_STATES = new Set(['wait', 'connecting', 'connect']);
/** Longest wait for an owned client's QUIT before it is disconnected. */
const QUIT_TIMEOUT_MS = 1000;

/**
 * Creates the {@link RedisConnection} of one store: uses the caller's client, or creates
 * one from `url` configured to fail fast.
 *
 * @example
 * ```ts
 * const redis = createRedisConnection(resolveRedisStoreOptions({ url }), 'cache misses');
 * await redis.run('get', key, () => redis.client.get(key));
 * ```
 */
export function createRedisConnection(
  options: ResolvedRedisStoreOptions,
  fallbackDescription: string,
): RedisConnection {
  const { commandTimeoutMs, logger, now } = options;
  const owned = options.client === undefined;
  const client: Redis | Cluster =
    options.client ??
    new Redis(options.url as string, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs,
      ...options.redisOptions,
    });
  let closed = false;
  let closing: Promise<void> | undefined;
  let connecting: Promise<void> | undefined;
  /** The error of every call refused during one outage (one object, no stack per call). */
  let refusal: RedisStoreError | undefined;

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

  const bounded = <T>(command: () => Promise<T>): Promise<T> =>
    withTimeout(
      untilConnected().then(() => command()),
      commandTimeoutMs,
    );

  const monitor = createOutageMonitor({
    logger,
    now,
    fallbackDescription,
    probeIntervalMs: options.probeIntervalMs,
    maxProbeIntervalMs: options.maxProbeIntervalMs,
    async probe(key) {
      try {
        await bounded<unknown>(() => (key === undefined ? client.ping() : client.exists(key)));
      } catch (error) {
        // An error reply that is not "down" still means Redis answered.
        if (isOutage(error)) throw error;
      }
      refusal = undefined;
    },
  });

  if (owned) {
    // Without a listener ioredis prints every connection error; the monitor logs once.
    client.on('error', (error: unknown) => {
      if (!closed) monitor.failed(error, undefined);
    });
  }

  const closedError = (operation: string) =>
    new RedisStoreError('STORE_CLOSED', `The Redis store is closed; ${operation} not sent`, {
      fault: 'caller',
    });

  async function run<T>(
    operation: string,
    key: string | undefined,
    command: () => Promise<T>,
  ): Promise<T> {
    if (closed) throw closedError(operation);
    if (!monitor.available) {
      monitor.skipped();
      refusal ??= new RedisStoreError(
        'REDIS_UNAVAILABLE',
        `Redis is unavailable since ${new Date(monitor.downSince ?? now()).toISOString()}; not called until a probe succeeds`,
        { logged: true },
      );
      throw refusal;
    }
    try {
      return await bounded(command);
    } catch (error) {
      if (closed) throw closedError(operation);
      if (!isOutage(error)) {
        throw new RedisStoreError(
          'REDIS_ERROR',
          `Redis refused ${operation} (${replyCode(error)})`,
          {
            cause: error,
          },
        );
      }
      monitor.failed(error, key);
      const timedOut = error instanceof RedisStoreError && error.code === 'REDIS_TIMEOUT';
      throw new RedisStoreError(
        timedOut ? 'REDIS_TIMEOUT' : 'REDIS_UNAVAILABLE',
        timedOut
          ? `Redis did not answer ${operation} within ${commandTimeoutMs} ms`
          : `Redis could not serve ${operation}`,
        { cause: error, logged: true },
      );
    }
  }

  return {
    client,
    get available() {
      return monitor.available;
    },
    get closed() {
      return closed;
    },
    run,
    close() {
      if (closing) return closing;
      closed = true;
      monitor.close();
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
