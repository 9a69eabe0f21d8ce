/** `guard.clear()` and `guard.close()`: what each empties, cancels and releases. */
import type { GuardParts } from './assemble-guard.js';

/** Empties the in-process cache, the add-on records and the hot-path memos. */
export function clearGuard(parts: GuardParts): void {
  parts.cache.clear();
  parts.addons?.clear();
  parts.memo.clear();
  parts.outcomes.clear();
  parts.policies.clearHits();
}

/**
 * Marks the guard closed, cancels the look-ups in flight, empties the caches, stops the
 * hit clock and closes the provider when the guard created it.
 */
export async function closeGuard(parts: GuardParts): Promise<void> {
  parts.lifecycle.closed = true;
  parts.cache.close();
  parts.addons?.close();
  parts.memo.clear();
  parts.clock.stop();
  if (parts.ownsProvider) await parts.provider.close?.();
}
