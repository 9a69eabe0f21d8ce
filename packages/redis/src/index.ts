export { createKeyHasher, DEFAULT_KEY_SECRET, type KeyHasher } from './key-hasher.js';
export { createRedisStore, type RedisStore } from './redis-store.js';
export {
  type BudgetFallback,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  MIN_KEY_SECRET_BYTES,
  type RedisStoreOptions,
} from './redis-store-options.js';
export { decodeStatus, encodeStatus, type StoredStatus } from './status-codec.js';
