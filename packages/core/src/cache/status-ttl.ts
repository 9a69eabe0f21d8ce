/** How long a cached live status stays fresh: one freshness per outcome. */
import type { LiveStatus } from '../model/types.js';

/** Freshness per outcome, in milliseconds. */
export interface StatusTtls {
  readonly active: number;
  readonly transient: number;
  readonly disconnected: number;
  readonly unknown: number;
}

/** The freshness that applies to `status`. */
export function ttlFor(ttl: StatusTtls, status: LiveStatus): number {
  if (status.subscriberStatus === 'DISCONNECTED') return ttl.disconnected;
  if (status.subscriberStatus !== 'ACTIVE') return ttl.unknown;
  if (status.deviceStatus === 'UNREACHABLE' || status.roaming === 'YES') return ttl.transient;
  return ttl.active;
}
