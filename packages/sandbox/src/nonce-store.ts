/**
 * Remembers the Digest nonces seen recently, so that a replayed request answers -30012.
 * A nonce only needs remembering while its request's date is within the tolerated skew
 * (after that the date check rejects a replay anyway), and at most `maxEntries` are
 * kept, the oldest forgotten first, so memory stays bounded under load.
 */
export interface NonceStore {
  /** Records `nonce` until `expiresAt`; returns `false` when it was already recorded and unexpired. */
  remember(nonce: string, expiresAt: number, now: number): boolean;
  /** Forgets every nonce. */
  clear(): void;
  /** How many nonces are remembered. */
  readonly size: number;
}

/**
 * Creates an in-memory {@link NonceStore}.
 *
 * @example
 * const nonces = createNonceStore();
 * nonces.remember('n-1', Date.now() + 60_000, Date.now()); // true
 * nonces.remember('n-1', Date.now() + 60_000, Date.now()); // false: reused
 */
export function createNonceStore(maxEntries = 200_000): NonceStore {
  const seen = new Map<string, number>();
  return {
    remember(nonce, expiresAt, now) {
      const previous = seen.get(nonce);
      if (previous !== undefined && previous > now) return false;
      seen.delete(nonce);
      seen.set(nonce, expiresAt);
      // Entries are roughly in expiry order: drop expired ones from the front, and the
      // oldest beyond the cap.
      for (const [key, expiry] of seen) {
        if (expiry > now && seen.size <= maxEntries) break;
        seen.delete(key);
      }
      return true;
    },
    clear() {
      seen.clear();
    },
    get size() {
      return seen.size;
    },
  };
}
