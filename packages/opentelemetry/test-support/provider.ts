import type { LiveStatus, LiveStatusProvider, SubscriberStatus } from '@phone-guard/core';

/** A LiveStatus for `phone`: reachable mobile, not roaming, with the given subscriber status. */
export function liveStatus(
  phone: string,
  subscriberStatus: SubscriberStatus = 'ACTIVE',
): LiveStatus {
  return {
    phone,
    subscriberStatus,
    deviceStatus: subscriberStatus === 'ACTIVE' ? 'REACHABLE' : 'UNAVAILABLE',
    roaming: 'NO',
    roamingCountry: null,
    roamingCountryIso2: null,
    phoneType: { code: '2', description: 'MOBILE' },
    carrier: null,
    referenceId: null,
    statusCode: 300,
    errors: [],
    checkedAt: Date.now(),
  };
}

/**
 * An in-process provider: answers after `delayMs`, DISCONNECTED for the numbers in
 * `disconnected`, and throws `fail()`'s error while `fail` returns one.
 */
export function testProvider(
  options: { delayMs?: number; disconnected?: string[]; fail?: () => Error | null } = {},
): LiveStatusProvider & { calls: number } {
  const p = {
    calls: 0,
    async getLiveStatus(phone: string): Promise<LiveStatus> {
      p.calls++;
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const error = options.fail?.();
      if (error) throw error;
      return liveStatus(phone, options.disconnected?.includes(phone) ? 'DISCONNECTED' : 'ACTIVE');
    },
  };
  return p;
}
