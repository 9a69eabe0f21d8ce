import type { StatusStore } from '@phone-guard/core';
import { SET_RECORD_SCRIPT } from './lua-scripts.js';
import { decodeRecord, encodeRecord, isRecordKind } from './record-codec.js';
import type { RedisConnection } from './redis-connection.js';
import { isWrongType, RedisStoreError } from './redis-store-error.js';

/** What {@link createRecordMethods} needs from its store. */
export interface RecordContext {
  readonly redis: RedisConnection;
  /** The record hash of a number: `${keyPrefix}r:${h}`. */
  readonly recordKey: (phone: string) => string;
  readonly now: () => number;
  /** Called when a stored value is not one the store wrote (read as a miss). */
  readonly onForeignValue: () => void;
}

const badKind = () =>
  new RedisStoreError(
    'STORE_VALUE_INVALID',
    'record kinds are 1-32 of a-z, 0-9 and -, starting with a letter',
    { fault: 'internal' },
  );

/**
 * The store's `getRecord` and `setRecord`: every record of a number is one field of its
 * record hash (field = kind), JSON with its own expiry; the hash lives as long as its
 * longest record (see `record-codec.ts`).
 *
 * @example
 * ```ts
 * const { getRecord, setRecord } = createRecordMethods({ redis, recordKey, now, onForeignValue });
 * await setRecord('sim-swap', '+14155552671', { risk: 1 }, 600_000);
 * ```
 */
export function createRecordMethods(
  context: RecordContext,
): Required<Pick<StatusStore, 'getRecord' | 'setRecord'>> {
  const { redis, recordKey, now, onForeignValue } = context;
  return {
    async getRecord(kind, phone) {
      if (!isRecordKind(kind)) throw badKind();
      if (typeof phone !== 'string') return undefined;
      const key = recordKey(phone);
      let raw: string | null;
      try {
        raw = await redis.run('getRecord', key, () => redis.client.hget(key, kind));
      } catch (error) {
        if (!isWrongType(error)) throw error;
        onForeignValue();
        return undefined;
      }
      if (raw === null) return undefined;
      const record = decodeRecord(raw, now());
      if (record.state === 'fresh') return record.value;
      if (record.state === 'invalid') onForeignValue();
      return undefined;
    },

    async setRecord(kind, phone, value, ttlMs) {
      if (!isRecordKind(kind)) throw badKind();
      if (typeof phone !== 'string') return;
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) return;
      const ttl = Math.ceil(ttlMs);
      const encoded = encodeRecord(value, now() + ttl);
      if (encoded === undefined) {
        throw new RedisStoreError(
          'STORE_VALUE_INVALID',
          'a record must be JSON-serialisable and at most 8 KiB as JSON',
          { fault: 'internal' },
        );
      }
      const key = recordKey(phone);
      await redis.run('setRecord', key, () =>
        redis.client.eval(SET_RECORD_SCRIPT, 1, key, kind, encoded, ttl),
      );
    },
  };
}
