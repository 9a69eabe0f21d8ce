/**
 * Turns Telesign's Phone ID add-on bodies (number deactivation, SIM swap) and the legacy
 * number-deactivation body into typed records, tolerating every variant Telesign's spec,
 * docs and SDK fixtures show: dates or timestamps, `swap_time` apart, numbers as strings,
 * `null`/absent dates, unknown statuses. Never throws.
 */
import {
  type AddonOutcome,
  type AddonStatus,
  type NumberDeactivationRecord,
  type PhoneIdAddons,
  type SimSwapRecord,
  type SimSwapRisk,
  type TelesignRecycledVerdict,
  UNREADABLE_ADDON_ANSWER,
} from '../model/identity-signals.js';
import {
  epochMs,
  isBareDate,
  isBlank,
  isObject,
  type JsonObject,
  numeric,
  text,
  timeOfDayMs,
} from './json-values.js';
import { readTelesignEnvelope } from './parse-live-status.js';
import { redactUpstreamText } from './upstream-text.js';

/**
 * Telesign's add-on statuses and what each means. Any other code is `unknown`.
 *
 * | code | meaning | outcome |
 * |---|---|---|
 * | 2800 | request successfully completed | `data` |
 * | 2801, 2807 | invalid add-on parameter(s) | `bug` |
 * | 2802 | add-on temporarily unavailable | `retryable` |
 * | 2803 | number out of the add-on's coverage | `unknown` |
 * | 2804 | number not applicable | `unknown` |
 * | 2805 | no information for this number | `unknown` |
 * | 2806 | add-on not enabled for this account | `config_error` |
 * | 2810, 2811 | data-collection failure, processing timeout | `retryable` |
 */
export const ADDON_STATUS_OUTCOMES: ReadonlyMap<number, AddonOutcome> = new Map<
  number,
  AddonOutcome
>([
  [2800, 'data'],
  [2801, 'bug'],
  [2802, 'retryable'],
  [2803, 'unknown'],
  [2804, 'unknown'],
  [2805, 'unknown'],
  [2806, 'config_error'],
  [2807, 'bug'],
  [2810, 'retryable'],
  [2811, 'retryable'],
]);

const MAX_DESCRIPTION = 200;
const VERDICTS: ReadonlySet<string> = new Set(['recycled', 'not_recycled', 'cannot_be_determined']);

/** Upstream text for a record: printable, numbers masked, bounded; `null` when absent. */
function description(value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const clean = redactUpstreamText(raw.replace(/[\u0000-\u001f\u007f]/g, ' '));
  return clean.length > MAX_DESCRIPTION ? `${clean.slice(0, MAX_DESCRIPTION)}…` : clean;
}

/**
 * The {@link AddonStatus} of an add-on block's `status` object (`{ code, description }`).
 * A missing or unreadable code, or one outside the table, is `unknown`.
 *
 * @example addonStatusOf({ code: 2806, description: 'Not enabled' }).outcome // 'config_error'
 */
export function addonStatusOf(status: unknown): AddonStatus {
  const block = isObject(status) ? status : {};
  const code = numeric(block['code']);
  const outcome = (code === null ? undefined : ADDON_STATUS_OUTCOMES.get(code)) ?? 'unknown';
  return { code, outcome, description: description(block['description']) };
}

function missing(what: string): AddonStatus {
  return { code: null, outcome: 'unknown', description: `the response has no ${what} block` };
}

function verdictOf(value: unknown): TelesignRecycledVerdict | null {
  const raw = text(value)?.toLowerCase();
  return raw !== undefined && VERDICTS.has(raw) ? (raw as TelesignRecycledVerdict) : null;
}

/** A value as an unreadable-answer description quotes it: short, and never an object's content. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/**
 * The status of an answer whose `field` is present but not readable: `unknown` (never data
 * read as absent), the add-on's code kept, and a description starting with
 * {@link UNREADABLE_ADDON_ANSWER}.
 */
function unreadable(status: AddonStatus, field: string, value: unknown, what: string): AddonStatus {
  const detail = `${field} is not ${what} phone-guard can read (${shown(value)})`;
  return {
    code: status.code,
    outcome: 'unknown',
    description: description(`${UNREADABLE_ADDON_ANSWER}${detail}`),
  };
}

/** The first of `fields` that is present but gave no date, or `undefined`. */
function unreadableDate(
  block: JsonObject,
  fields: readonly [string, number | null][],
): string | undefined {
  return fields.find(([field, at]) => at === null && !isBlank(block[field]))?.[0];
}

function deactivationRecord(block: JsonObject, status: AddonStatus): NumberDeactivationRecord {
  if (status.outcome !== 'data') {
    return {
      status,
      lastDeactivatedAt: null,
      trackingSince: null,
      carrier: null,
      telesignVerdict: null,
    };
  }
  const lastDeactivatedAt = epochMs(block['last_deactivated']);
  const trackingSince = epochMs(block['tracking_since']);
  const carrier =
    text(block['carrier_name']) ??
    (isObject(block['carrier']) ? text(block['carrier']['name']) : null);
  const telesignVerdict = verdictOf(block['recycled_since_last_verification']);
  // A date that is there but unreadable must not read as "never deactivated" (or as
  // "tracked since forever"): the outcome becomes unknown. The dates that could be read
  // are kept (a readable deactivation after the verification still means reassigned),
  // and so is Telesign's verdict, since its `recycled` decides alone.
  const bad = unreadableDate(block, [
    ['last_deactivated', lastDeactivatedAt],
    ['tracking_since', trackingSince],
  ]);
  if (bad !== undefined) {
    return {
      status: unreadable(status, bad, block[bad], 'a date'),
      lastDeactivatedAt,
      trackingSince,
      carrier,
      telesignVerdict,
    };
  }
  return { status, lastDeactivatedAt, trackingSince, carrier, telesignVerdict };
}

/** The number-deactivation block of a Phone ID response (or its absence). */
export function parseNumberDeactivation(block: unknown): NumberDeactivationRecord {
  if (!isObject(block)) return deactivationRecord({}, missing('number_deactivation'));
  return deactivationRecord(block, addonStatusOf(block['status']));
}

function riskOf(value: unknown): SimSwapRisk | null {
  const risk = numeric(value);
  return risk === 1 || risk === 2 || risk === 3 || risk === 4 ? risk : null;
}

/** `swap_date` (a date, or a timestamp) plus `swap_time` when the date came bare. */
function swappedAt(block: JsonObject): number | null {
  const date = epochMs(block['swap_date']);
  if (date === null || !isBareDate(block['swap_date'])) return date;
  return date + (timeOfDayMs(block['swap_time']) ?? 0);
}

/** The SIM-swap block of a Phone ID response (or its absence). */
export function parseSimSwap(block: unknown): SimSwapRecord {
  if (!isObject(block)) return { status: missing('sim_swap'), risk: null, swappedAt: null };
  const status = addonStatusOf(block['status']);
  if (status.outcome !== 'data') return { status, risk: null, swappedAt: null };
  const risk = riskOf(block['risk_indicator']);
  const at = swappedAt(block);
  // Neither a risk nor a date to derive one from, though one of them came: unreadable,
  // not "no swap".
  if (risk === null && at === null) {
    if (!isBlank(block['risk_indicator'])) {
      const value = block['risk_indicator'];
      return {
        status: unreadable(status, 'risk_indicator', value, 'a risk (1-4)'),
        risk,
        swappedAt: at,
      };
    }
    if (!isBlank(block['swap_date'])) {
      const value = block['swap_date'];
      return { status: unreadable(status, 'swap_date', value, 'a date'), risk, swappedAt: at };
    }
  }
  return { status, risk, swappedAt: at };
}

/** What {@link parsePhoneIdAddons} needs besides the body. */
export interface ParsePhoneIdAddonsContext {
  /** The number, E.164 with the plus. */
  phone: string;
  /** When the answer arrived, milliseconds since the epoch. */
  checkedAt: number;
  /** Whether number deactivation was asked for (else its record is `null`). */
  numberDeactivation: boolean;
  /** Whether SIM swap was asked for (else its record is `null`). */
  simSwap: boolean;
}

/**
 * Builds {@link PhoneIdAddons} from a `POST /v1/phoneid/{number}` body (already parsed).
 * An add-on that was asked for but has no block gets an `unknown` record; one that was not
 * asked for is `null`, whatever came.
 *
 * @example
 * ```ts
 * parsePhoneIdAddons(json, { phone: '+14155552671', checkedAt: Date.now(), numberDeactivation: true, simSwap: false })
 *   .numberDeactivation?.lastDeactivatedAt // 1522972800000 (2018-04-06)
 * ```
 */
export function parsePhoneIdAddons(
  body: unknown,
  context: ParsePhoneIdAddonsContext,
): PhoneIdAddons {
  const root = isObject(body) ? body : {};
  const envelope = readTelesignEnvelope(root);
  return {
    phone: context.phone,
    numberDeactivation: context.numberDeactivation
      ? parseNumberDeactivation(root['number_deactivation'])
      : null,
    simSwap: context.simSwap ? parseSimSwap(root['sim_swap']) : null,
    referenceId: envelope?.referenceId ?? null,
    statusCode: envelope?.statusCode ?? null,
    checkedAt: context.checkedAt,
  };
}

/** The SIM-swap record of a call to the legacy endpoint, which cannot answer it. */
export const LEGACY_SIM_SWAP_STATUS: AddonStatus = Object.freeze({
  code: null,
  outcome: 'unknown',
  description: 'SIM swap is not available on the legacy number_deactivation endpoint',
});

/**
 * Builds {@link PhoneIdAddons} from a legacy `GET /v1/phoneid/number_deactivation/{number}`
 * body. Success (HTTP 2xx, no `errors`, a `number_deactivation` object) is a `data`
 * record whose status code is the transaction status (300 or 2300 have both been seen);
 * anything else is `unknown`. There is no Telesign verdict; `simSwap`, when asked for, is
 * always `unknown` ({@link LEGACY_SIM_SWAP_STATUS}).
 */
export function parseLegacyNumberDeactivation(
  body: unknown,
  context: ParsePhoneIdAddonsContext,
): PhoneIdAddons {
  const root = isObject(body) ? body : {};
  const envelope = readTelesignEnvelope(root);
  const block = root['number_deactivation'];
  const statusCode = envelope?.statusCode ?? null;
  const ok = envelope !== undefined && envelope.errors.length === 0 && isObject(block);
  const firstError = envelope?.errors[0];
  const status: AddonStatus = ok
    ? { code: statusCode, outcome: 'data', description: description(envelope.statusDescription) }
    : {
        code: statusCode,
        outcome: 'unknown',
        description:
          description(firstError?.description) ??
          (isObject(block) ? null : 'the response has no number_deactivation block'),
      };
  const record = deactivationRecord(isObject(block) ? block : {}, status);
  return {
    phone: context.phone,
    numberDeactivation: context.numberDeactivation ? { ...record, telesignVerdict: null } : null,
    simSwap: context.simSwap
      ? { status: LEGACY_SIM_SWAP_STATUS, risk: null, swappedAt: null }
      : null,
    referenceId: envelope?.referenceId ?? null,
    statusCode,
    checkedAt: context.checkedAt,
  };
}
