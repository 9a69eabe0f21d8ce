/**
 * The Lua scripts the store runs with EVAL. Each touches exactly one key, passed in
 * KEYS, so they also work on Redis Cluster.
 */

/** Deletes KEYS[1] only when its value is ARGV[1] (the caller's lock token). Returns 1 or 0. */
export const RELEASE_LOCK_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * Increments the window counter KEYS[1] and, when it has no expiry yet, gives it one of
 * ARGV[1] milliseconds. Returns the count after the increment.
 */
export const CONSUME_BUDGET_SCRIPT = `local used = redis.call('INCR', KEYS[1])
if used == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return used`;

/**
 * Sets field ARGV[1] of the hash KEYS[1] to ARGV[2] and makes the hash live at least
 * ARGV[3] milliseconds (never shortens it: another record of the number may live longer).
 */
export const SET_RECORD_SCRIPT = `redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1`;
