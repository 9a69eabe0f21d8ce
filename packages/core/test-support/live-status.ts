import type { LiveStatus } from '../src/model/types.js';

/**
 * A LiveStatus for tests: active, reachable, not roaming, mobile, fields Telesign may omit
 * set to null. `patch` overrides any field.
 */
export function liveStatus(phone = '+14155552671', patch: Partial<LiveStatus> = {}): LiveStatus {
  return {
    phone,
    subscriberStatus: 'ACTIVE',
    deviceStatus: 'REACHABLE',
    roaming: 'NO',
    roamingCountry: null,
    roamingCountryIso2: null,
    phoneType: { code: '2', description: 'MOBILE' },
    carrier: null,
    referenceId: null,
    statusCode: 300,
    errors: [],
    checkedAt: 0,
    ...patch,
  };
}
