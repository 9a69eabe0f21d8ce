import { type Logger, PhoneGuardOptionError } from '@phone-guard/core';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

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
   * at least 16 bytes, the same in every instance that should share the cache. Keep it
   * secret: anyone with it and read access to Redis can find out which numbers were
   * checked. Without it the store warns once and uses a fixed, public default, which
   * makes the keys reversible by hashing every possible number.
   * @default a fixed public secret (warns once)
   */
  keySecret?: string | Uint8Array | undefined;
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
   * What `consumeBudget` answers while Redis cannot be reached: `'local'` counts against
   * the same limit in this process only (so N instances may spend up to N × limit during
   * an outage), `'allow'` always permits the look-up, `'deny'` always refuses it.
   * @default 'local'
   */
  budgetFallback?: BudgetFallback | undefined;
  /**
   * Where the store reports an outage (one `warn` when Redis stops answering, one `info`
   * — or `warn` if the logger has no `info` — when it answers again) and unreadable
   * values (once). Never given a phone number or the URL.
   * @default console
   */
  logger?: Logger | undefined;
  /**
   * The clock used to pick the budget window, in ms since the epoch.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

/** The options with defaults applied; exactly one of `client` and `url` is set. */
export interface ResolvedRedisStoreOptions {
  client: Redis | Cluster | undefined;
  url: string | undefined;
  keyPrefix: string;
  keySecret: string | Uint8Array | undefined;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  redisOptions: RedisOptions;
  budgetFallback: BudgetFallback;
  logger: Logger;
  now: () => number;
}

/** Default of `keyPrefix`. */
export const DEFAULT_KEY_PREFIX = 'pg:';
/** Default of `commandTimeoutMs`. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 100;
/** Default of `connectTimeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
/** The shortest `keySecret` accepted, in bytes. */
export const MIN_KEY_SECRET_BYTES = 16;

const KNOWN_OPTIONS = new Set<string>([
  'client',
  'url',
  'keyPrefix',
  'keySecret',
  'commandTimeoutMs',
  'connectTimeoutMs',
  'redisOptions',
  'budgetFallback',
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
  return ['get', 'set', 'eval', 'on', 'off'].every((name) => typeof candidate[name] === 'function');
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
 * resolveRedisStoreOptions({ url: 'redis://127.0.0.1:6379', keySecret: process.env.PG_KEY_SECRET });
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

  const keySecret = input.keySecret;
  if (keySecret !== undefined) {
    let bytes: number;
    if (typeof keySecret === 'string') bytes = Buffer.byteLength(keySecret, 'utf8');
    else if (keySecret instanceof Uint8Array) bytes = keySecret.byteLength;
    else throw new PhoneGuardOptionError('keySecret', 'must be a string or a Buffer');
    if (bytes < MIN_KEY_SECRET_BYTES) {
      throw new PhoneGuardOptionError(
        'keySecret',
        `must be at least ${MIN_KEY_SECRET_BYTES} bytes long (use e.g. 32 random bytes)`,
      );
    }
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

  return {
    client: client as Redis | Cluster | undefined,
    url: url as string | undefined,
    keyPrefix,
    keySecret: keySecret as string | Uint8Array | undefined,
    commandTimeoutMs: positiveMs(
      'commandTimeoutMs',
      input.commandTimeoutMs,
      DEFAULT_COMMAND_TIMEOUT_MS,
    ),
    connectTimeoutMs: positiveMs(
      'connectTimeoutMs',
      input.connectTimeoutMs,
      DEFAULT_CONNECT_TIMEOUT_MS,
    ),
    redisOptions: { ...(redisOptions as RedisOptions) },
    budgetFallback,
    logger,
    now: now as () => number,
  };
}
