/** Why an add-on record holds no data, as a signal's `reason` says it. */
import type { SignalUnknownReason } from '../model/decision.js';
import {
  type AddonOutcome,
  type AddonStatus,
  UNREADABLE_ADDON_ANSWER,
} from '../model/identity-signals.js';

/**
 * Add-on statuses whose `unknown` outcome the reason names more precisely. Other
 * statuses are named by their outcome.
 */
const UNKNOWN_BY_CODE: ReadonlyMap<number, SignalUnknownReason> = new Map([
  [2803, 'ADDON_OUT_OF_COVERAGE'],
  [2804, 'ADDON_NOT_APPLICABLE'],
  [2805, 'ADDON_NO_DATA'],
]);

/**
 * The reason a signal is unknown when its add-on answered without data: out of coverage,
 * not applicable, no data, unreadable data, unavailable (retryable), not enabled,
 * rejected, or a status this version does not know.
 *
 * @example addonStatusReason({ code: 2803, outcome: 'unknown', description: null }) // 'ADDON_OUT_OF_COVERAGE'
 */
export function addonStatusReason(status: AddonStatus): SignalUnknownReason {
  switch (status.outcome) {
    case 'data':
      return 'ADDON_NO_DATA'; // only asked when the data fields are missing
    case 'retryable':
      return 'ADDON_UNAVAILABLE';
    case 'config_error':
      return 'ADDON_NOT_ENABLED';
    case 'bug':
      return 'ADDON_REJECTED';
    default:
      if (status.description?.startsWith(UNREADABLE_ADDON_ANSWER)) return 'ADDON_UNREADABLE';
      return (
        (status.code === null ? undefined : UNKNOWN_BY_CODE.get(status.code)) ??
        'ADDON_UNKNOWN_STATUS'
      );
  }
}

/** An add-on request that failed as a whole: the error's code (`TELESIGN_TIMEOUT` …). */
export interface AddonFailure {
  readonly failure: string;
}

/** Tells a failed request from a record. */
export function isAddonFailure(value: object): value is AddonFailure {
  return 'failure' in value;
}

/**
 * Add-on outcomes that say the signal could not be had, rather than that Telesign has no
 * data for the number: a passing failure (2802, 2810, 2811), an add-on not enabled (2806),
 * parameters refused (2801, 2807). A check treats them like a failed request.
 */
const FAILED_OUTCOMES: ReadonlySet<AddonOutcome> = new Set<AddonOutcome>([
  'retryable',
  'config_error',
  'bug',
]);

/** Whether an add-on status means the request for it failed (see {@link FAILED_OUTCOMES}). */
export function isFailedAddonStatus(status: AddonStatus): boolean {
  return FAILED_OUTCOMES.has(status.outcome);
}
