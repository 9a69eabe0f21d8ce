/**
 * Pinned outcomes: "this number answers like that test row" at run time, on every endpoint.
 * A pin wins over the number's own row and over the synthetic answer of other numbers.
 */
import { PhoneGuardOptionError } from '@phone-guard/core';
import { countryOf } from './envelope.js';
import { FALLBACK_CARRIERS } from './geo.js';
import { BEHAVIOUR_BY_OUTCOME, type Behaviour, type SandboxPinOutcome } from './rows.js';
import type { Scenario } from './scenarios.js';

/** One pin, as `pins()` lists it. */
export interface SandboxPin {
  /** E.164 of the pinned number. */
  readonly number: string;
  readonly outcome: SandboxPinOutcome;
}

/** The pins of one sandbox. */
export interface PinStore {
  pin(number: string, outcome: SandboxPinOutcome): SandboxPin;
  unpin(number: string): boolean;
  unpinAll(): void;
  list(): SandboxPin[];
  /** The pinned behaviour of `digits`, or `undefined`. */
  lookup(digits: string): { outcome: SandboxPinOutcome; behaviour: Behaviour } | undefined;
}

const SEPARATORS = /[\s().-]/g;

/**
 * The digits of a number given as E.164 (`+447400123104`), digits only, or either with
 * spaces, dots, dashes or parentheses; `undefined` when it is not 6–15 digits.
 */
export function pinDigits(number: unknown): string | undefined {
  if (typeof number !== 'string' || number.length > 40) return undefined;
  const compact = number.replace(SEPARATORS, '');
  const digits = compact.startsWith('+') ? compact.slice(1) : compact;
  return /^\d{6,15}$/.test(digits) ? digits : undefined;
}

/** Whether `value` names something a number can be pinned to. */
export function isPinOutcome(value: unknown): value is SandboxPinOutcome {
  return typeof value === 'string' && BEHAVIOUR_BY_OUTCOME.has(value);
}

/** Moves a live answer to the pinned number's own country (carrier, city, numbering). */
function localize(scenario: Scenario, digits: string): Scenario {
  if (scenario.kind !== 'live' && scenario.kind !== 'not-found') return scenario;
  const country = countryOf(digits);
  if (country === scenario.profile.country) return scenario;
  const carrier =
    scenario.profile.carrier === null ? null : (country?.carriers[0] ?? FALLBACK_CARRIERS[0]!);
  return {
    ...scenario,
    profile: { ...scenario.profile, country, city: country?.cities[0] ?? null, carrier },
  };
}

/** Creates an empty pin store. Throws `PhoneGuardOptionError` for a bad number or outcome. */
export function createPinStore(): PinStore {
  const pins = new Map<string, { outcome: SandboxPinOutcome; behaviour: Behaviour }>();
  return {
    pin(number, outcome) {
      const digits = pinDigits(number);
      if (digits === undefined) {
        throw new PhoneGuardOptionError(
          'number',
          'must be a phone number of 6 to 15 digits, e.g. "+447400123100"',
        );
      }
      if (!isPinOutcome(outcome)) {
        throw new PhoneGuardOptionError(
          'outcome',
          `must name a test number of TEST_NUMBERS or ADDON_TEST_NUMBERS (e.g. 'disconnected', 'reassigned'), got ${JSON.stringify(outcome)}`,
        );
      }
      const row = BEHAVIOUR_BY_OUTCOME.get(outcome)!;
      // Deleted first so that `list()` keeps the order of the latest pin.
      pins.delete(digits);
      pins.set(digits, {
        outcome,
        behaviour: { live: localize(row.live, digits), phoneid: row.phoneid, legacy: row.legacy },
      });
      return { number: `+${digits}`, outcome };
    },
    unpin(number) {
      const digits = pinDigits(number);
      return digits !== undefined && pins.delete(digits);
    },
    unpinAll() {
      pins.clear();
    },
    list() {
      return [...pins].map(([digits, { outcome }]) => ({ number: `+${digits}`, outcome }));
    },
    lookup(digits) {
      return pins.get(digits);
    },
  };
}
