import { type Logger, PhoneGuardOptionError } from '@phone-guard/core';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { type ResolvedKeySecret, resolveKeySecret } from './key-secret.js';

/** What `consumeBudget` answers while Redis cannot be reached. */
export type BudgetFallback = 'local' | 'allow' | 'deny';

/**
 * Options of {@link createRedisStore}. Give exactly one of `client` and `url`.
 */
export interface RedisStoreOptions {
  /**
   * An ioredis client (or Cluster) the application already has. The store uses it as it
   * is, adds no listeners that outlive a call, and never closes it. For fail-fast
   * behaviour create it with `enableOfflineQueue: false` (otherwise commands issued while
   * Redis is down wait in ioredis's queue; the store still gives up on them after
   * `commandTimeoutMs`).
   */
  client?: Redis | Cluster | undefined;
  /**
   * A Redis URL (`redis://user:pass@host:6379/0`, `rediss://…`) or a Unix socket path.
   * The store creates its own ioredis client from it, configured to fail fast, and closes
   * it in `close()`.
   */
  url?: string | undefined;
  /**
   * Prepended to every key the store writes, so several applications (or tests) can share
   * one Redis database.
   * @default 'pg:'
   */
  keyPrefix?: string | undefined;
  /**
   * The HMAC-SHA256 key that turns phone numbers into Redis keys: a string or Buffer of
   * at least 16 bytes (32 random bytes recommended), the same in every instance that
   * should share the cache. Keep it secret: anyone with it and read access to Redis can
   * find out which numbers were checked. When it is not given, the store reads
   * `PHONE_GUARD_KEY_SECRET`, else derives one from `TELESIGN_API_KEY` (HKDF-SHA256);
   * with neither, `createRedisStore` throws. There is no public default.
   * @default process.env.PHONE_GUARD_KEY_SECRET, else derived from process.env.TELESIGN_API_KEY
   */
  keySecret?: string | Uint8Array | undefined;
  /**
   * Names this store's look-up budget. Budget counters are kept apart by key prefix, key
   * secret, namespace, limit and window: stores share a budget only when all five match.
   * Give each service (or each guard that should spend its own budget) its own namespace
   * when they share a Redis, a prefix and a secret. 1 to 64 characters of `A-Z a-z 0-9 _ . -`.
   * @default 'default'
   */
  namespace?: string | undefined;
  /**
   * The longest any single Redis call may take before the store gives up on it and falls
   * back (miss, local look-up, budget fallback).
   * @default 100
   */
  commandTimeoutMs?: number | undefined;
  /**
   * Connect timeout of the client the store creates from `url` (ioredis
   * `connectTimeout`). Only with `url`.
   * @default 1000
   */
  connectTimeoutMs?: number | undefined;
  /**
   * Extra ioredis options for the client the store creates from `url`, applied over the
   * store's fail-fast defaults (`enableOfflineQueue: false`, `maxRetriesPerRequest: 1`,
   * `connectTimeout`). Only with `url`.
   * @default {}
   */
  redisOptions?: RedisOptions | undefined;
  /**
   * What `consumeBudget` does while Redis cannot be reached: `'local'` rejects like every
   * other method, so that the guard counts the failure and falls back to its own
   * per-process count of the same limit (N instances may then spend up to N × limit);
   * `'allow'` answers `true` and `'deny'` answers `false` without rejecting.
   * @default 'local'
   */
  budgetFallback?: BudgetFallback | undefined;
  /**
   * The pause after an outage begins before the store probes Redis again. Each probe that
   * fails doubles it, up to `maxProbeIntervalMs`; calls made meanwhile are not sent.
   * @default 1000
   */
  probeIntervalMs?: number | undefined;
  /**
   * The longest pause between two probes during an outage; at least `probeIntervalMs`.
   * @default 30000 (or `probeIntervalMs` when that is larger)
   */
  maxProbeIntervalMs?: number | undefined;
  /**
   * Where the store reports an outage (one `warn` when Redis stops answering, one `info`
   * — or `warn` if the logger has no `info` — when a probe finds it serving again) and
   * unreadable values (once). Never given a phone number, a key, a secret or the URL.
   * @default console
   */
  logger?: Logger | undefined;
  /**
   * The clock used to pick the budget window and to expire records, in ms since the epoch.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

/** The options with defaults applied; exactly one of `client` and `url` is set. */
export interface ResolvedRedisStoreOptions {
  client: Redis | Cluster | undefined;
  url: string | undefined;
  keyPrefix: string;
  keySecret: ResolvedKeySecret;
  namespace: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  redisOptions: RedisOptions;
  budgetFallback: BudgetFallback;
  probeIntervalMs: number;
  maxProbeIntervalMs: number;
  logger: Logger;
  now: () => number;
}

/** Default of `keyPrefix`. */
export const DEFAULT_KEY_PREFIX = 'pg:';
/** Default of `commandTimeoutMs`. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 100;
/** Default of `connectTimeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
/** Default of `namespace`. */
export const DEFAULT_NAMESPACE = 'default';
/** Default of `probeIntervalMs`. */
export const DEFAULT_PROBE_INTERVAL_MS = 1000;
/** Default of `maxProbeIntervalMs`. */
export const DEFAULT_MAX_PROBE_INTERVAL_MS = 30_000;

const KNOWN_OPTIONS = new Set<string>([
  'client',
  'url',
  'keyPrefix',
  'keySecret',
  'namespace',
  'commandTimeoutMs',
  'connectTimeoutMs',
  'redisOptions',
  'budgetFallback',
  'probeIntervalMs',
  'maxProbeIntervalMs',
  'logger',
  'now',
]);

const MAX_TIMEOUT_MS = 2_147_483_647;

function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new PhoneGuardOptionError(name, `must be a positive number of milliseconds`);
  }
  if (value > MAX_TIMEOUT_MS) {
    throw new PhoneGuardOptionError(name, `must be at most ${MAX_TIMEOUT_MS} ms`);
  }
  return value;
}

function isRedisClient(value: unknown): value is Redis | Cluster {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['get', 'set', 'del', 'exists', 'hget', 'eval', 'on', 'off'].every(
    (name) => typeof candidate[name] === 'function',
  );
}

function isLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.warn === 'function' && typeof candidate.error === 'function';
}

/**
 * Validates the options of {@link createRedisStore} once and applies the defaults.
 * Throws {@link PhoneGuardOptionError} for unknown keys and impossible values; never
 * modifies `options`.
 *
 * @example
 * ```ts
 * resolveRedisStoreOptions({ url: 'redis://127.0.0.1:6379', keySecret: process.env.PHONE_GUARD_KEY_SECRET });
 * ```
 */
export function resolveRedisStoreOptions(options: unknown): ResolvedRedisStoreOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PhoneGuardOptionError('options', 'must be an object with `client` or `url`');
  }
  const input = options as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new PhoneGuardOptionError(key, 'is not an option of createRedisStore');
    }
  }

  const { client, url } = input;
  if ((client === undefined) === (url === undefined)) {
    throw new PhoneGuardOptionError('client', 'or `url` is required, and only one of the two');
  }
  if (client !== undefined && !isRedisClient(client)) {
    throw new PhoneGuardOptionError('client', 'must be an ioredis client (Redis or Cluster)');
  }
  if (url !== undefined) {
    if (typeof url !== 'string' || url.trim() === '') {
      throw new PhoneGuardOptionError('url', 'must be a non-empty string');
    }
    if (!/^(rediss?:\/\/|\/)/i.test(url)) {
      throw new PhoneGuardOptionError(
        'url',
        'must start with redis:// or rediss:// (or be a Unix socket path)',
      );
    }
  }

  const keyPrefix = input.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof keyPrefix !== 'string' || keyPrefix.length > 200) {
    throw new PhoneGuardOptionError('keyPrefix', 'must be a string of at most 200 characters');
  }

  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(namespace)) {
    throw new PhoneGuardOptionError(
      'namespace',
      'must be 1 to 64 characters of A-Z, a-z, 0-9, `_`, `.` and `-`',
    );
  }

  if (client !== undefined) {
    for (const name of ['connectTimeoutMs', 'redisOptions'] as const) {
      if (input[name] !== undefined) {
        throw new PhoneGuardOptionError(
          name,
          'only applies to the client created from `url`; configure your own client instead',
        );
      }
    }
  }
  const redisOptions = input.redisOptions ?? {};
  if (typeof redisOptions !== 'object' || redisOptions === null || Array.isArray(redisOptions)) {
    throw new PhoneGuardOptionError('redisOptions', 'must be an object of ioredis options');
  }

  const budgetFallback = input.budgetFallback ?? 'local';
  if (budgetFallback !== 'local' && budgetFallback !== 'allow' && budgetFallback !== 'deny') {
    throw new PhoneGuardOptionError('budgetFallback', "must be 'local', 'allow' or 'deny'");
  }

  const logger = input.logger ?? console;
  if (!isLogger(logger)) {
    throw new PhoneGuardOptionError('logger', 'must have `warn` and `error` methods');
  }

  const now = input.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new PhoneGuardOptionError('now', 'must be a function returning ms since the epoch');
  }

  const probeIntervalMs = positiveMs(
    'probeIntervalMs',
    input.probeIntervalMs,
    DEFAULT_PROBE_INTERVAL_MS,
  );
  const maxProbeIntervalMs = positiveMs(
    'maxProbeIntervalMs',
    input.maxProbeIntervalMs,
    Math.max(DEFAULT_MAX_PROBE_INTERVAL_MS, probeIntervalMs),
  );
  if (maxProbeIntervalMs < probeIntervalMs) {
    throw new PhoneGuardOptionError('maxProbeIntervalMs', 'must be at least probeIntervalMs');
  }

  const commandTimeoutMs = positiveMs(
    'commandTimeoutMs',
    input.commandTimeoutMs,
    DEFAULT_COMMAND_TIMEOUT_MS,
  );
  const connectTimeoutMs = positiveMs(
    'connectTimeoutMs',
    input.connectTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  // Last: every other mistake is reported first, and no secret is read for a bad call.
  const keySecret = resolveKeySecret(input.keySecret);

  return {
    client: client as Redis | Cluster | undefined,
    url: url as string | undefined,
    keyPrefix,
    keySecret,
    namespace,
    commandTimeoutMs,
    connectTimeoutMs,
    redisOptions: { ...(redisOptions as RedisOptions) },
    budgetFallback,
    probeIntervalMs,
    maxProbeIntervalMs,
    logger,
    now: now as () => number,
  };
}
