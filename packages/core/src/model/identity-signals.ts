/**
 * Identity signals beyond live status: the Phone ID add-ons "number deactivation" (was
 * this number disconnected, and so possibly handed to a new owner, since a given day?)
 * and "SIM swap" (did the SIM behind the number change recently?). Nouns only: the
 * Telesign client fills them in (telesign/phoneid-addons.ts), the guard judges them.
 */

/**
 * What an add-on status means for the caller:
 * - `data`: the add-on answered (Telesign status 2800); the record's fields hold its data.
 * - `unknown`: no usable answer for this number: out of coverage (2803), not applicable
 *   (2804), no information (2805), a status this version does not know, a block missing
 *   from the response, an add-on the chosen endpoint cannot answer, or data phone-guard
 *   cannot read (its description then starts with `Unreadable answer: `).
 * - `retryable`: a passing failure at Telesign (2802 temporarily unavailable, 2810
 *   data-collection failure, 2811 processing timeout); still no answer, but asking again
 *   later may give one, so cache it briefly if at all.
 * - `config_error`: the add-on is not enabled for this account (2806). Log it as a
 *   configuration error: no request will ever succeed until Telesign enables it.
 * - `bug`: Telesign rejected the add-on's parameters (2801, 2807): a phone-guard bug.
 */
export type AddonOutcome = 'data' | 'unknown' | 'retryable' | 'config_error' | 'bug';

/**
 * How the description of an add-on status starts when Telesign answered with data that
 * phone-guard cannot read (a date in an unknown form): the record's outcome is then
 * `unknown`, never data read as "never deactivated".
 */
export const UNREADABLE_ADDON_ANSWER = 'Unreadable answer: ';

/** The status of one add-on in one response. */
export interface AddonStatus {
  /**
   * Telesign's add-on status code (2800–2811), the transaction status of the legacy
   * endpoint (300 or 2300) for its deactivation record, or `null` when none came.
   */
  code: number | null;
  /** What the status means (see {@link AddonOutcome}). */
  outcome: AddonOutcome;
  /** Telesign's description (numbers masked, at most 200 characters), or `null`. */
  description: string | null;
}

/**
 * Telesign's own answer to "was the number recycled since `last_verified`", present
 * only when a `lastVerifiedAt` was sent (and then only for that date).
 */
export type TelesignRecycledVerdict = 'recycled' | 'not_recycled' | 'cannot_be_determined';

/**
 * The number-deactivation add-on's record. Data fields are `null` unless
 * `status.outcome` is `'data'`. Telesign's dates so far are midnight UTC: the data is
 * day-granular.
 */
export interface NumberDeactivationRecord {
  status: AddonStatus;
  /** The most recent deactivation seen (epoch ms), or `null` when none was ever seen. */
  lastDeactivatedAt: number | null;
  /**
   * Since when deactivations of this number are tracked (epoch ms), or `null` when not
   * said. A deactivation before this moment would not be visible.
   */
  trackingSince: number | null;
  /** The carrier name Telesign reports with the record, or `null`. */
  carrier: string | null;
  /**
   * Telesign's verdict for the `lastVerifiedAt` that was sent, or `null` (none sent, the
   * legacy endpoint, or an unrecognised value). Valid only for that date: never reuse it
   * for another.
   */
  telesignVerdict: TelesignRecycledVerdict | null;
}

/**
 * Telesign's SIM-swap risk: 1 very low (no swap, or more than 15 days ago), 2 low (3–14
 * days), 3 medium (within 72 hours), 4 high (the same day).
 */
export type SimSwapRisk = 1 | 2 | 3 | 4;

/** The SIM-swap add-on's record. Data fields are `null` unless `status.outcome` is `'data'`. */
export interface SimSwapRecord {
  status: AddonStatus;
  /** The risk indicator, or `null` when absent or outside 1–4. */
  risk: SimSwapRisk | null;
  /** When the last swap happened (epoch ms; midnight UTC when only a date came), or `null`. */
  swappedAt: number | null;
}

/** The answer of one Phone ID add-on request, normalised. */
export interface PhoneIdAddons {
  /** The number looked up, E.164 (`+14155552671`). */
  phone: string;
  /** The number-deactivation record, or `null` when it was not asked for. */
  numberDeactivation: NumberDeactivationRecord | null;
  /** The SIM-swap record, or `null` when it was not asked for. */
  simSwap: SimSwapRecord | null;
  /** Telesign's `reference_id`, or `null` (also when no request was needed). */
  referenceId: string | null;
  /** Telesign's transaction status code (300, 301, 2300 …), or `null`. */
  statusCode: number | null;
  /** When the answer was obtained, in milliseconds since the epoch. */
  checkedAt: number;
}

/** Options of one add-on request. At least one add-on must be asked for. */
export interface PhoneIdAddonsOptions {
  /**
   * Ask for the number-deactivation add-on. An object asks for it too; its
   * `lastVerifiedAt` (when the user last proved the number) is sent as `last_verified`
   * so that Telesign adds its own verdict.
   * @default false
   */
  numberDeactivation?: boolean | { lastVerifiedAt?: Date | undefined } | undefined;
  /**
   * Ask for the SIM-swap add-on.
   * @default false
   */
  simSwap?: boolean | undefined;
  /** Cancels the request. */
  signal?: AbortSignal | undefined;
}

/** Anything that can answer Phone ID add-on requests (the Telesign client is one). */
export interface PhoneIdAddonsProvider {
  /**
   * The add-on records asked for. Resolves with records whose `status` says what came
   * back; rejects with a `PhoneGuardError` when the request failed as a whole.
   */
  getPhoneIdAddons(phone: string, options: PhoneIdAddonsOptions): Promise<PhoneIdAddons>;
}
