import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, isRecordKind, MAX_RECORD_LENGTH } from './record-codec.js';

describe('record codec', () => {
  it('round-trips a JSON value until it expires', () => {
    const value = { lastDeactivatedAt: 1_764_200_000_000, carrier: 'Example', verdict: null };
    const raw = encodeRecord(value, 2000) as string;
    expect(JSON.parse(raw)).toEqual({ v: 1, x: 2000, d: value });
    expect(decodeRecord(raw, 1999)).toEqual({ state: 'fresh', value });
    expect(decodeRecord(raw, 2000)).toEqual({ state: 'expired' });
    expect(decodeRecord(encodeRecord(0, 5) as string, 1)).toEqual({ state: 'fresh', value: 0 });
  });

  it('refuses values that JSON cannot hold, or that are too long', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(encodeRecord(undefined, 1)).toBeUndefined();
    expect(encodeRecord(() => 1, 1)).toBeUndefined();
    expect(encodeRecord(cyclic, 1)).toBeUndefined();
    expect(encodeRecord(10n, 1)).toBeUndefined();
    expect(encodeRecord('x'.repeat(MAX_RECORD_LENGTH), 1)).toBeUndefined();
  });

  it('reads anything else as invalid, never throwing', () => {
    for (const raw of [
      null,
      '',
      'garbage{',
      '[]',
      '{"v":2,"x":9,"d":1}',
      '{"v":1,"d":1}',
      '{"v":1,"x":9}',
      'x'.repeat(MAX_RECORD_LENGTH + 1),
    ]) {
      expect(decodeRecord(raw, 1)).toEqual({ state: 'invalid' });
    }
  });

  it('accepts short lower-case kinds only', () => {
    expect(['deactivation', 'sim-swap', 'a', 'k9'].every(isRecordKind)).toBe(true);
    expect(['', 'Sim', 'sim_swap', '9a', 'a'.repeat(33), 's:x', 3].some(isRecordKind)).toBe(false);
  });
});
