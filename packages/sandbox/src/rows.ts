/**
 * Every test number in one place: what it answers on each endpoint, by its digits and by
 * its name, and the exported {@link TEST_NUMBER_TABLE}.
 */
import { ADDON_TEST_NUMBERS, type AddonTestNumberName } from './addon-numbers.js';
import {
  ADDON_ROW_NAMES,
  type AddonScenario,
  addonScenarioOfAddonRow,
  addonScenarioOfLiveRow,
} from './addon-scenarios.js';
import {
  INTERNATIONAL_OUTCOMES,
  INTERNATIONAL_TEST_NUMBERS,
  type InternationalCountry,
  type InternationalOutcome,
  type InternationalTestNumberName,
} from './international-numbers.js';
import {
  internationalScenario,
  LOS_ANGELES_ACTIVE,
  type Scenario,
  TEST_NUMBER_SCENARIOS,
} from './scenarios.js';
import { TEST_NUMBERS, type TestNumberName } from './test-numbers.js';

/** The name of any test number, as `requests[].testNumber` shows it. */
export type SandboxTestNumberName =
  | TestNumberName
  | AddonTestNumberName
  | InternationalTestNumberName;

/** What a number can be pinned to: the name of a US Live row or of an add-on row. */
export type SandboxPinOutcome = TestNumberName | AddonTestNumberName;

/** The kind of a test number: a live answer, an HTTP error, a transport fault, or add-on data. */
export type TestNumberKind = 'live' | 'error' | 'fault' | 'addon';

/** One row of {@link TEST_NUMBER_TABLE}. */
export interface TestNumberRow {
  /** E.164, e.g. `'+447400123104'`. */
  readonly number: string;
  /** ISO 3166-1 alpha-2 country of the number. */
  readonly country: 'US' | InternationalCountry;
  /** What it answers, named like the US row that answers the same (`'disconnected'`, `'reassigned'` …). */
  readonly outcome: SandboxPinOutcome;
  /** Its name in the request log (`'GB.disconnected'` for international numbers). */
  readonly name: SandboxTestNumberName;
  readonly kind: TestNumberKind;
}

/** A number's behaviour on every endpoint. */
export interface Behaviour {
  readonly live: Scenario;
  readonly phoneid: AddonScenario;
  readonly legacy: AddonScenario;
}

interface Row extends TestNumberRow, Behaviour {}

const kindOf = (live: Scenario, addon: boolean): TestNumberKind =>
  addon ? 'addon' : live.kind === 'not-found' ? 'live' : live.kind;

function liveRow(name: TestNumberName): Row {
  const live = TEST_NUMBER_SCENARIOS[name] as Scenario;
  return {
    number: TEST_NUMBERS[name],
    country: 'US',
    outcome: name,
    name,
    kind: kindOf(live, false),
    live,
    phoneid: addonScenarioOfLiveRow(name, live, 'phoneid'),
    legacy: addonScenarioOfLiveRow(name, live, 'number-deactivation'),
  };
}

function addonRow(name: AddonTestNumberName): Row {
  const addons = addonScenarioOfAddonRow(name);
  return {
    number: ADDON_TEST_NUMBERS[name],
    country: 'US',
    outcome: name,
    name,
    kind: 'addon',
    live: LOS_ANGELES_ACTIVE,
    phoneid: addons,
    legacy: addons,
  };
}

/** International numbers: out of the deactivation add-on's coverage (2803), no SIM swap. */
function internationalRow(country: InternationalCountry, outcome: InternationalOutcome): Row {
  const live = internationalScenario(country, outcome);
  const us = addonScenarioOfLiveRow(outcome, live, 'phoneid');
  const addons: AddonScenario =
    us.kind === 'addons' && us.deactivation.status === 2800
      ? { ...us, deactivation: { status: 2803 } }
      : us;
  return {
    number: INTERNATIONAL_TEST_NUMBERS[country][outcome],
    country,
    outcome,
    name: `${country}.${outcome}`,
    kind: kindOf(live, false),
    live,
    phoneid: addons,
    legacy: addons,
  };
}

const ROWS: readonly Row[] = [
  ...(Object.keys(TEST_NUMBERS) as TestNumberName[]).map(liveRow),
  ...(Object.keys(INTERNATIONAL_TEST_NUMBERS) as InternationalCountry[]).flatMap((country) =>
    INTERNATIONAL_OUTCOMES.map((outcome) => internationalRow(country, outcome)),
  ),
  ...ADDON_ROW_NAMES.map(addonRow),
];

/** Rows by digits (E.164 without `+`). */
export const ROWS_BY_DIGITS: ReadonlyMap<string, Row> = new Map(
  ROWS.map((row) => [row.number.slice(1), row]),
);

/** The behaviour of each pin outcome (the US and add-on rows), by name. */
export const BEHAVIOUR_BY_OUTCOME: ReadonlyMap<string, Row> = new Map(
  ROWS.filter((row) => row.country === 'US').map((row) => [row.name, row]),
);

/**
 * Every test number of the sandbox: the US Live rows (`TEST_NUMBERS`), the international
 * ones (`INTERNATIONAL_TEST_NUMBERS`) and the add-on ones (`ADDON_TEST_NUMBERS`), with
 * country and outcome. The README's tables list the same rows.
 *
 * @example
 * ```ts
 * const gb = TEST_NUMBER_TABLE.filter((r) => r.country === 'GB');
 * gb.find((r) => r.outcome === 'disconnected')?.number; // '+447400123104'
 * ```
 */
export const TEST_NUMBER_TABLE: readonly TestNumberRow[] = Object.freeze(
  ROWS.map(({ number, country, outcome, name, kind }) =>
    Object.freeze({ number, country, outcome, name, kind }),
  ),
);
