/**
 * Phone ID add-on records as the guard caches them: the raw facts Telesign gave (dates,
 * risk, status), never a verdict of ours — the reassignment verdict depends on each
 * check's `lastVerifiedAt`. Also their freshness, and how they are read back from a
 * shared store (untrusted JSON).
 */
import type {
  AddonOutcome,
  AddonStatus,
  NumberDeactivationRecord,
  PhoneIdAddons,
  SimSwapRecord,
  SimSwapRisk,
  TelesignRecycledVerdict,
} from '../model/identity-signals.js';

/** The add-ons the guard asks for. */
export type AddonKind = 'deactivation' | 'simSwap';

/** The record kinds used with `StatusStore.getRecord` / `setRecord`. */
export const STORE_KINDS: Readonly<Record<AddonKind, string>> = Object.freeze({
  deactivation: 'deactivation',
  simSwap: 'sim-swap',
});

/** A cached number-deactivation record. Dates are epoch ms. */
export interface CachedDeactivation {
  readonly kind: 'deactivation';
  readonly status: AddonStatus;
  readonly lastDeactivatedAt: number | null;
  readonly trackingSince: number | null;
  readonly carrier: string | null;
  /** Telesign's verdict for the `last_verified` sent, or `null`. */
  readonly telesignVerdict: TelesignRecycledVerdict | null;
  /** Midnight UTC of the `last_verified` that verdict answers, or `null`. */
  readonly telesignVerdictDay: number | null;
  /** When the guard received it (the guard's clock): freshness counts from here. */
  readonly receivedAt: number;
}

/** A cached SIM-swap record. */
export interface CachedSimSwap {
  readonly kind: 'simSwap';
  readonly status: AddonStatus;
  readonly risk: SimSwapRisk | null;
  readonly swappedAt: number | null;
  readonly receivedAt: number;
}

/** Either cached record. */
export type CachedAddonRecord = CachedDeactivation | CachedSimSwap;

/** Freshness of add-on records by kind, in milliseconds (the guard's `cache.ttl`). */
export interface AddonTtls {
  readonly numberDeactivation: number;
  readonly simSwap: number;
}

/**
 * Longest freshness of a record that is not an answer about the number: a passing failure
 * at Telesign (2802, 2810, 2811), an add-on not enabled (2806: seen again soon after it is
 * fixed) or parameters refused (2801, 2807).
 */
export const BRIEF_TTL_MS = 30_000;

const ANSWERS: ReadonlySet<AddonOutcome> = new Set<AddonOutcome>(['data', 'unknown']);

/**
 * How long `record` stays fresh: its kind's TTL for an answer about the number (data, or
 * no data / out of coverage / not applicable, which change as seldom), at most
 * {@link BRIEF_TTL_MS} otherwise.
 */
export function addonTtl(ttls: AddonTtls, record: CachedAddonRecord): number {
  const ttl = record.kind === 'deactivation' ? ttls.numberDeactivation : ttls.simSwap;
  return ANSWERS.has(record.status.outcome) ? ttl : Math.min(ttl, BRIEF_TTL_MS);
}

const MISSING: AddonStatus = Object.freeze({
  code: null,
  outcome: 'unknown',
  description: 'The answer had no block for this add-on.',
});

/**
 * The record of `kind` in an add-on answer, as cached.
 *
 * @param lastVerifiedDay Midnight UTC of the `last_verified` sent, if any.
 */
export function toCachedRecord(
  answer: PhoneIdAddons,
  kind: AddonKind,
  lastVerifiedDay: number | null,
  receivedAt: number,
): CachedAddonRecord {
  if (kind === 'simSwap') {
    const r: SimSwapRecord | null = answer.simSwap;
    return Object.freeze({
      kind,
      status: r?.status ?? MISSING,
      risk: r?.risk ?? null,
      swappedAt: r?.swappedAt ?? null,
      receivedAt,
    });
  }
  const r: NumberDeactivationRecord | null = answer.numberDeactivation;
  const verdict = r?.telesignVerdict ?? null;
  return Object.freeze({
    kind,
    status: r?.status ?? MISSING,
    lastDeactivatedAt: r?.lastDeactivatedAt ?? null,
    trackingSince: r?.trackingSince ?? null,
    carrier: r?.carrier ?? null,
    telesignVerdict: verdict,
    telesignVerdictDay: verdict === null ? null : lastVerifiedDay,
    receivedAt,
  });
}

const OUTCOMES: ReadonlySet<string> = new Set([
  'data',
  'unknown',
  'retryable',
  'config_error',
  'bug',
]);
const VERDICTS: ReadonlySet<string> = new Set(['recycled', 'not_recycled', 'cannot_be_determined']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number or `null`; `undefined` when neither (the value is unusable). */
function msOrNull(value: unknown): number | null | undefined {
  if (value === null) return null;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function statusOf(value: unknown): AddonStatus | undefined {
  if (!isObject(value)) return undefined;
  const { code, outcome, description } = value;
  if (!(code === null || (typeof code === 'number' && Number.isInteger(code)))) return undefined;
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return undefined;
  if (!(description === null || typeof description === 'string')) return undefined;
  return Object.freeze({
    code,
    outcome: outcome as AddonOutcome,
    description: description === null ? null : description.slice(0, 200),
  });
}

/**
 * A record read back from the store, checked field by field (it is untrusted JSON), or
 * `undefined` when it is not one the guard wrote. A `receivedAt` ahead of `now` (another
 * instance's clock runs ahead) counts as received now.
 */
export function recordFromStore(
  kind: AddonKind,
  raw: unknown,
  now: number,
): CachedAddonRecord | undefined {
  if (!isObject(raw) || raw.kind !== kind) return undefined;
  const status = statusOf(raw.status);
  const receivedAt = msOrNull(raw.receivedAt);
  if (status === undefined || typeof receivedAt !== 'number') return undefined;
  const at = Math.min(receivedAt, now);
  if (kind === 'simSwap') {
    const swappedAt = msOrNull(raw.swappedAt);
    const risk = raw.risk;
    if (swappedAt === undefined) return undefined;
    if (!(risk === null || risk === 1 || risk === 2 || risk === 3 || risk === 4)) return undefined;
    return Object.freeze({ kind, status, risk, swappedAt, receivedAt: at });
  }
  const lastDeactivatedAt = msOrNull(raw.lastDeactivatedAt);
  const trackingSince = msOrNull(raw.trackingSince);
  const verdictDay = msOrNull(raw.telesignVerdictDay);
  const verdict = raw.telesignVerdict;
  const carrier = raw.carrier;
  if (lastDeactivatedAt === undefined || trackingSince === undefined || verdictDay === undefined) {
    return undefined;
  }
  if (!(verdict === null || (typeof verdict === 'string' && VERDICTS.has(verdict)))) {
    return undefined;
  }
  if (!(carrier === null || typeof carrier === 'string')) return undefined;
  return Object.freeze({
    kind,
    status,
    lastDeactivatedAt,
    trackingSince,
    carrier: carrier === null ? null : carrier.slice(0, 200),
    telesignVerdict: verdict as TelesignRecycledVerdict | null,
    telesignVerdictDay: verdict === null ? null : verdictDay,
    receivedAt: at,
  });
}
