import { type ErrorFault, PhoneGuardError } from '@phone-guard/core';

/**
 * Codes of {@link RedisStoreError}:
 * - `REDIS_UNAVAILABLE`: Redis (or the cluster node holding the key) could not be reached,
 *   or the call was not made because an outage is in progress;
 * - `REDIS_TIMEOUT`: Redis did not answer within `commandTimeoutMs`;
 * - `REDIS_ERROR`: Redis answered with an error (e.g. `NOPERM`, `OOM`, `READONLY`);
 * - `STORE_CLOSED`: the store was used after `close()`;
 * - `STORE_VALUE_INVALID`: a record kind or value the store cannot hold.
 */
export type RedisStoreErrorCode =
  | 'REDIS_UNAVAILABLE'
  | 'REDIS_TIMEOUT'
  | 'REDIS_ERROR'
  | 'STORE_CLOSED'
  | 'STORE_VALUE_INVALID';

/**
 * What a Redis store method rejects with. `logged` is `true` when the store has already
 * reported the failure itself (an outage is logged once when it begins and once when it
 * ends): the guard then counts and publishes it without logging it again.
 */
export class RedisStoreError extends PhoneGuardError {
  declare readonly code: RedisStoreErrorCode;
  /** Whether the store has logged this failure (as part of an outage). */
  readonly logged: boolean;

  constructor(
    code: RedisStoreErrorCode,
    message: string,
    options: { cause?: unknown; fault?: ErrorFault; logged?: boolean } = {},
  ) {
    super(code, message, { cause: options.cause, fault: options.fault ?? 'upstream' });
    this.name = 'RedisStoreError';
    this.logged = options.logged ?? false;
  }
}

/** Redis error replies that mean "cannot serve now", not "refused this command". */
const UNAVAILABLE_REPLIES = new Set(['CLUSTERDOWN', 'TRYAGAIN', 'MASTERDOWN', 'LOADING', 'BUSY']);

/** The first word of a Redis error reply (`NOPERM`, `WRONGTYPE` …), never keys or values. */
export function replyCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'ReplyError') return undefined;
  const word = /^[A-Z][A-Z_-]{1,30}/.exec(error.message)?.[0];
  return word ?? 'ERR';
}

/** True for a store error caused by Redis's WRONGTYPE reply: the key holds something not ours. */
export function isWrongType(error: unknown): boolean {
  return error instanceof RedisStoreError && replyCode(error.cause) === 'WRONGTYPE';
}

/**
 * Whether `error` means Redis is not serving: anything but an error reply (connection
 * refused or closed, timeouts, ioredis's cluster errors), and the replies of a cluster or
 * server that is down or loading.
 */
export function isOutage(error: unknown): boolean {
  const reply = replyCode(error);
  return reply === undefined || UNAVAILABLE_REPLIES.has(reply);
}

/** A short description of a failure for the outage log line (no keys, no URL). */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 120);
  const code = (error as { code?: unknown }).code;
  const text = error.message.replace(/\s+/g, ' ').slice(0, 160);
  return typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text;
}
