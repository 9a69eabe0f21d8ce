/**
 * Test numbers outside the US: one block per country, one number per live outcome, each a
 * valid number of its country for libphonenumber's exact ("max") metadata, so that an app
 * with `allowedCountries: ['GB']` (or a country picker) can use them.
 *
 * The README of this package lists every number; keep the two in step.
 */

/** The live outcomes every country block covers, in the order of their last digits. */
export const INTERNATIONAL_OUTCOMES = [
  'active',
  'unreachable',
  'deviceUnavailable',
  'roaming',
  'disconnected',
  'notFound',
  'voip',
  'prepaid',
] as const;

/** A live outcome of {@link INTERNATIONAL_TEST_NUMBERS}, named like the US row that answers the same. */
export type InternationalOutcome = (typeof INTERNATIONAL_OUTCOMES)[number];

/** The countries with their own test numbers (ISO 3166-1 alpha-2). */
export type InternationalCountry = 'GB' | 'DE' | 'FR' | 'IN' | 'BR' | 'AU';

/** A number is `prefix` followed by 100 + the outcome's index (`…100` active … `…107` prepaid). */
const PREFIXES: Readonly<Record<InternationalCountry, string>> = {
  GB: '+447400123', // 07400 123100 …
  DE: '+4915123456', // 01512 3456100 …
  FR: '+33612345', // 06 12 34 51 00 …
  IN: '+919876543', // 098765 43100 …
  BR: '+5511987654', // (11) 98765-4100 …
  AU: '+61491570', // 0491 570 100 … (a range ACMA keeps for fiction)
};

/** Where each country's `roaming` number roams (ISO 3166-1 alpha-2, and the name Telesign sends). */
export const ROAMING_DESTINATIONS: Readonly<
  Record<InternationalCountry, { iso2: string; name: string }>
> = {
  GB: { iso2: 'ES', name: 'SPAIN' },
  DE: { iso2: 'AT', name: 'AUSTRIA' },
  FR: { iso2: 'IT', name: 'ITALY' },
  IN: { iso2: 'AE', name: 'UNITED ARAB EMIRATES' },
  BR: { iso2: 'AR', name: 'ARGENTINA' },
  AU: { iso2: 'NZ', name: 'NEW ZEALAND' },
};

function block(prefix: string): Readonly<Record<InternationalOutcome, string>> {
  return Object.freeze(
    Object.fromEntries(
      INTERNATIONAL_OUTCOMES.map((outcome, i) => [outcome, `${prefix}${100 + i}`]),
    ),
  ) as Readonly<Record<InternationalOutcome, string>>;
}

/**
 * Test numbers (E.164) by country, then by live outcome. They answer like the US row of
 * the same name (`active`, `disconnected` …) with the country's own carrier, city and
 * numbering; the `roaming` ones roam in a neighbouring country ({@link ROAMING_DESTINATIONS}).
 * On the Phone ID add-on endpoint they answer "out of coverage" (2803) for number
 * deactivation, as Telesign does for most non-US numbers, and "no swap" for SIM swap.
 *
 * @example
 * ```ts
 * INTERNATIONAL_TEST_NUMBERS.GB.disconnected; // '+447400123104'
 * ```
 */
export const INTERNATIONAL_TEST_NUMBERS: Readonly<
  Record<InternationalCountry, Readonly<Record<InternationalOutcome, string>>>
> = Object.freeze({
  GB: block(PREFIXES.GB),
  DE: block(PREFIXES.DE),
  FR: block(PREFIXES.FR),
  IN: block(PREFIXES.IN),
  BR: block(PREFIXES.BR),
  AU: block(PREFIXES.AU),
});

/** The name of an international test number in the request log, e.g. `'GB.disconnected'`. */
export type InternationalTestNumberName = `${InternationalCountry}.${InternationalOutcome}`;
