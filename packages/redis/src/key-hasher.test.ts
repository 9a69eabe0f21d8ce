import { describe, expect, it } from 'vitest';
import { createKeyHasher } from './key-hasher.js';

describe('createKeyHasher', () => {
  const secret = 'a-test-secret-of-enough-bytes';

  it('is deterministic, 43 base64url characters, and hides the number', () => {
    const hash = createKeyHasher(secret);
    const key = hash('+14155552671');
    expect(key).toBe(hash('+14155552671'));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('4155552671');
    expect(hash('+14155552672')).not.toBe(key);
  });

  it('depends on the secret, and a string and its bytes agree', () => {
    const a = createKeyHasher(secret)('+14155552671');
    expect(createKeyHasher(Buffer.from(secret))('+14155552671')).toBe(a);
    expect(createKeyHasher(`${secret}!`)('+14155552671')).not.toBe(a);
  });

  it('copies a Buffer secret', () => {
    const bytes = Buffer.from(secret);
    const hash = createKeyHasher(bytes);
    const before = hash('+14155552671');
    bytes.fill(0);
    expect(hash('+14155552671')).toBe(before);
  });
});

describe('the old public default secret', () => {
  it('is still exported (deprecated) but refused as a key secret', async () => {
    const { DEFAULT_KEY_SECRET, createRedisStore } = await import('./index.js');
    expect(typeof DEFAULT_KEY_SECRET).toBe('string');
    expect(() =>
      createRedisStore({ url: 'redis://127.0.0.1:1', keySecret: DEFAULT_KEY_SECRET }),
    ).toThrow(/public default/);
  });
});
