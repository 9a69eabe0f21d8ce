export { createKeyHasher, type KeyHasher } from './key-hasher.js';
export {
  DEFAULT_KEY_SECRET,
  KEY_SECRET_ENV,
  type KeySecretSource,
  MIN_KEY_SECRET_BYTES,
} from './key-secret.js';
export { MAX_RECORD_LENGTH, RECORD_KIND_PATTERN } from './record-codec.js';
export { createRedisStore, type RedisStore } from './redis-store.js';
export { RedisStoreError, type RedisStoreErrorCode } from './redis-store-error.js';
export {
  type BudgetFallback,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_MAX_PROBE_INTERVAL_MS,
  DEFAULT_NAMESPACE,
  DEFAULT_PROBE_INTERVAL_MS,
  type RedisStoreOptions,
} from './redis-store-options.js';
export { decodeStatus, encodeStatus, type StoredStatus } from './status-codec.js';
