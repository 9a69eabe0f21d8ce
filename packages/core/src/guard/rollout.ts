/**
 * The enforced share of a shadow rollout (`mode: 'shadow'` with `enforce`): which numbers
 * are enforced is decided per number, by a hash of its E.164 form, never at random, so
 * one number always gets the same answer, in every process, and raising the share only
 * adds numbers to the enforced ones.
 */

/**
 * Where `e164` falls in the rollout, in [0, 1): a 32-bit FNV-1a hash of its characters
 * with MurmurHash3's final mix (so that numbers one digit apart land far apart), divided
 * by 2^32. The same in every process and version of Node.
 */
export function rolloutPoint(e164: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < e164.length; i++) {
    hash ^= e164.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

/**
 * Whether the number `e164` is enforced when a share `enforce` (0 to 1) of numbers is:
 * never for 0, always for 1, else when its {@link rolloutPoint} is below the share.
 *
 * @example
 * ```ts
 * isEnforced('+14155552671', 0.25); // the same answer on every call and in every process
 * ```
 */
export function isEnforced(e164: string, enforce: number): boolean {
  if (enforce <= 0) return false;
  if (enforce >= 1) return true;
  return rolloutPoint(e164) < enforce;
}
