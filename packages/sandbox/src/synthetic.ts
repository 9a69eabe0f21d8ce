/**
 * Deterministic, realistic answers for numbers outside the test-number table: a hash of
 * the digits picks the outcome (about 88 % ACTIVE / REACHABLE, 7 % DISCONNECTED, 5 %
 * -60001), the phone type, the carrier and the city. The same digits always answer the
 * same way, on every machine and every run.
 */
import { createHash } from 'node:crypto';
import { type AddonScenario, deactivated, swapped } from './addon-scenarios.js';
import { countryOf, type LiveProfile } from './envelope.js';
import { FALLBACK_CARRIERS } from './geo.js';
import type { Scenario } from './scenarios.js';

const PHONE_TYPES = [
  { upTo: 70, type: { code: '2', description: 'MOBILE' } },
  { upTo: 82, type: { code: '1', description: 'FIXED_LINE' } },
  { upTo: 92, type: { code: '3', description: 'PREPAID' } },
  { upTo: 100, type: { code: '5', description: 'VOIP' } },
] as const;

/**
 * The answer for a number outside the test table.
 *
 * @example syntheticScenario('447700900123').kind // 'live' (or, for some numbers, 'not-found')
 */
export function syntheticScenario(digits: string): Scenario {
  const hash = createHash('sha256').update(`phone-guard-sandbox:${digits}`).digest();
  const outcome = hash.readUInt32BE(0) % 100;
  const typeRoll = hash.readUInt32BE(4) % 100;
  const country = countryOf(digits);
  const carriers = country?.carriers ?? FALLBACK_CARRIERS;
  const carrier = carriers[hash.readUInt32BE(8) % carriers.length] ?? null;
  const city = country
    ? (country.cities[hash.readUInt32BE(12) % country.cities.length] ?? null)
    : null;
  const phoneType = (PHONE_TYPES.find((t) => typeRoll < t.upTo) ?? PHONE_TYPES[0]).type;

  const disconnected = outcome >= 88 && outcome < 95;
  const profile: LiveProfile = {
    live: disconnected
      ? {
          subscriber_status: 'DISCONNECTED',
          device_status: 'UNAVAILABLE',
          roaming: 'UNAVAILABLE',
          roaming_country: null,
          roaming_country_iso2: null,
        }
      : {
          subscriber_status: 'ACTIVE',
          device_status: 'REACHABLE',
          roaming: 'NO',
          roaming_country: null,
          roaming_country_iso2: null,
        },
    phoneType: { ...phoneType },
    carrier,
    city,
    country,
  };
  return outcome >= 95 ? { kind: 'not-found', profile } : { kind: 'live', profile };
}

/**
 * The add-on answer for a number outside the test table: US numbers (+1) were never
 * deactivated (a DISCONNECTED one: 2 days ago) and are tracked for 10 years; other
 * countries are out of the deactivation add-on's coverage (2803); nobody swapped a SIM;
 * a number without live data has no add-on data either (2805).
 */
export function syntheticAddonScenario(digits: string, live: Scenario): AddonScenario {
  if (live.kind === 'not-found') {
    return { kind: 'addons', deactivation: { status: 2805 }, simSwap: { status: 2805 } };
  }
  const disconnected =
    live.kind === 'live' && live.profile.live.subscriber_status === 'DISCONNECTED';
  return {
    kind: 'addons',
    deactivation: digits.startsWith('1') ? deactivated(disconnected ? 2 : null) : { status: 2803 },
    simSwap: swapped(null, 1),
  };
}
