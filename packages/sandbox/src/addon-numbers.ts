/**
 * Test numbers for the Phone ID add-ons (number deactivation and SIM swap). All are valid
 * US numbers in a range kept for fiction (+1 310 555 01xx). Their Live answer is ACTIVE,
 * REACHABLE, not roaming: what a recycled number looks like to Live.
 *
 * Dates are relative to the sandbox clock (`now`) and day-granular like Telesign's: "10
 * days ago" is midnight UTC of the calendar day ten days before today (UTC). A check with
 * `lastVerifiedAt` 11 days ago sees `reassigned` as reassigned; one with today's date sees
 * it as not reassigned.
 *
 * The README of this package documents each row; keep the two in step.
 */
export const ADDON_TEST_NUMBERS = {
  /** Deactivated 10 days ago, tracked for 10 years: reassigned since any verification 10 or more days ago. */
  reassigned: '+13105550100',
  /** Deactivated 3 years (1,095 days) ago, tracked for 10 years: before any plausible verification. */
  deactivatedLongAgo: '+13105550101',
  /** Never deactivated (`last_deactivated: null`), tracked for 10 years. */
  neverDeactivated: '+13105550102',
  /** Never deactivated, with `last_deactivated` left out of the block (not `null`). */
  neverDeactivatedAbsent: '+13105550103',
  /** Never deactivated, but tracked only for 5 days: a coverage gap for older verifications. */
  coverageGap: '+13105550104',
  /** No `tracking_since` at all (and never deactivated): coverage unknown. */
  trackingUnknown: '+13105550105',
  /** Deactivated 3 years ago, yet Telesign's verdict (with `last_verified`) is `recycled`. */
  verdictRecycled: '+13105550106',
  /** Deactivated 10 days ago, yet Telesign's verdict (with `last_verified`) is `not_recycled`. */
  verdictNotRecycled: '+13105550107',
  /** Never deactivated, tracked for 10 years, yet Telesign's verdict is `cannot_be_determined`. */
  verdictCannotBeDetermined: '+13105550108',
  /** Deactivated 10 days ago; Telesign sends no verdict even when `last_verified` is sent. */
  reassignedNoVerdict: '+13105550109',

  /** Both add-ons answer status 2801, invalid add-on parameter. */
  addonInvalidParameter: '+13105550121',
  /** Both add-ons answer status 2802, temporarily unavailable. */
  addonUnavailable: '+13105550122',
  /** Both add-ons answer status 2803, number out of coverage. */
  addonOutOfCoverage: '+13105550123',
  /** Both add-ons answer status 2804, number not applicable. */
  addonNotApplicable: '+13105550124',
  /** Both add-ons answer status 2805, no information for this number. */
  addonNoData: '+13105550125',
  /** Both add-ons answer status 2806, add-on not enabled for this account (a configuration error). */
  addonNotEnabled: '+13105550126',
  /** Both add-ons answer status 2807, invalid add-on parameters. */
  addonInvalidParameters: '+13105550127',
  /** Number deactivation answers (never deactivated); SIM swap answers 2806, not enabled. */
  simSwapNotEnabled: '+13105550128',
  /** Number deactivation answers 2806, not enabled; SIM swap answers (no swap). */
  deactivationNotEnabled: '+13105550129',
  /** Both add-ons answer status 2810, data-collection failure. */
  addonCollectionFailure: '+13105550130',
  /** Both add-ons answer status 2811, processing timeout. */
  addonTimeout: '+13105550131',

  /** SIM never swapped: risk 1, `swap_date: null`. */
  simSwapNever: '+13105550140',
  /** SIM swapped 30 days ago: risk 1. */
  simSwapRisk1: '+13105550141',
  /** SIM swapped 7 days ago: risk 2. */
  simSwapRisk2: '+13105550142',
  /** SIM swapped 48 hours ago: risk 3. */
  simSwapRisk3: '+13105550143',
  /** SIM swapped today (UTC), at most an hour ago: risk 4. */
  simSwapRisk4: '+13105550144',
  /** As `simSwapRisk3`, with `risk_indicator` the string "3" and `swap_date` a full timestamp (no `swap_time`). */
  simSwapRisk3Text: '+13105550145',
  /** As `simSwapRisk4`, with `risk_indicator` the string "4" and `swap_date` a full timestamp (no `swap_time`). */
  simSwapRisk4Text: '+13105550146',

  /** The add-on endpoint answers after 300 ms (never deactivated, no swap); Live answers at once. */
  addonSlow: '+13105550150',
} as const;

/** The name of an add-on test number, e.g. `'reassigned'`. */
export type AddonTestNumberName = keyof typeof ADDON_TEST_NUMBERS;

/** How long the `addonSlow` number's add-on answer takes, in milliseconds. */
export const SLOW_ADDON_MS = 300;
