import type { LiveStatus } from '@phone-guard/core';

/** A complete LiveStatus for tests; `overrides` replace single fields. */
export function sampleStatus(overrides: Partial<LiveStatus> = {}): LiveStatus {
  return {
    phone: '+14155552671',
    subscriberStatus: 'ACTIVE',
    deviceStatus: 'REACHABLE',
    roaming: 'NO',
    roamingCountry: null,
    roamingCountryIso2: null,
    phoneType: { code: '2', description: 'MOBILE' },
    carrier: 'Verizon',
    referenceId: '0123456789ABCDEF0123456789ABCDEF',
    statusCode: 300,
    errors: [],
    checkedAt: 1_764_200_000_000,
    ...overrides,
  };
}
