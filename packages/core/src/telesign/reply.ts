/**
 * What one HTTP answer from Telesign means: the product's value, or a typed error. The
 * envelope (`reference_id`, `status`, `errors`) is read here for every product; only the
 * body's product part is left to the product's `parse`.
 */
import type { TelesignError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import type { TelesignApiError } from '../model/types.js';
import { parseRetryAfter } from '../resilience/retry.js';
import {
  isDocumentedTelesignErrorCode,
  TelesignBadResponseError,
  telesignErrorFromResponse,
} from './errors.js';
import { readTelesignEnvelope, type TelesignEnvelope } from './parse-live-status.js';

/** A Telesign answer that a product turns into its value. */
export interface TelesignReply {
  /** The parsed JSON body. */
  readonly json: unknown;
  /** Its envelope. */
  readonly envelope: TelesignEnvelope;
  /** The HTTP status. */
  readonly httpStatus: number;
  /** The number the call was for, E.164. */
  readonly phone: string;
  /** When the answer arrived (the client's `now` clock). */
  readonly checkedAt: number;
}

/** What an attempt received: a status, headers and the body (or why it could not be read). */
export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
  /** Why the body could not be read, when it could not. */
  readError: TelesignError | undefined;
}

/** What {@link interpretReply} needs to know about the call. */
export interface ReplyContext {
  /** `Telesign look-up`, or the product's own label, for messages. */
  readonly label: string;
  /** The number, E.164 (only ever shown masked). */
  readonly phone: string;
  /** The host answering, for messages. */
  readonly host: string;
  /** Telesign error codes that are answers rather than failures (Live's -60001). */
  readonly answerCodes: ReadonlySet<number> | undefined;
  /** The client's clock. */
  readonly now: () => number;
  /** Removes the client's credentials from upstream text (a proxy may echo them). */
  readonly scrubSecrets: (text: string) => string;
}

/** `value` with `scrub` applied to every string in it (objects and arrays rebuilt). */
function scrubStrings(value: unknown, scrub: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null || depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a "__proto__" key stays a plain property, as JSON.parse made it.
    Object.defineProperty(out, key, {
      value: scrubStrings(item, scrub, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function parseJson(
  body: Buffer | undefined,
  scrubSecrets: (text: string) => string,
): { ok: boolean; json: unknown } {
  if (body === undefined) return { ok: false, json: undefined };
  try {
    const text = scrubSecrets(body.toString('utf8'));
    const json: unknown = JSON.parse(text);
    // An escaped form (`\/`, `\u002B`) can hide a secret from the scrub of the raw text.
    return { ok: true, json: text.includes('\\') ? scrubStrings(json, scrubSecrets) : json };
  } catch {
    return { ok: false, json: undefined };
  }
}

/** `Telesign look-up for +1415*****71`: how messages name the call. */
function where(context: ReplyContext): string {
  return `${context.label} for ${maskPhone(context.phone)}`;
}

function toReply(
  json: unknown,
  envelope: TelesignEnvelope,
  httpStatus: number,
  context: ReplyContext,
): TelesignReply {
  return { json, envelope, httpStatus, phone: context.phone, checkedAt: context.now() };
}

/**
 * Reads one answer. Returns the reply to parse when it is a success (a 2xx without a
 * documented error, or an answer code without a documented error and below 500), throws
 * the matching `TelesignError` otherwise.
 */
export function interpretReply(raw: RawReply, context: ReplyContext): TelesignReply {
  const { status, readError } = raw;
  const { ok: jsonOk, json } = parseJson(raw.body, context.scrubSecrets);
  const envelope = jsonOk ? readTelesignEnvelope(json) : undefined;
  let documented: TelesignApiError | undefined;
  let answered = false;
  if (envelope !== undefined) {
    for (const e of envelope.errors) {
      if (context.answerCodes?.has(e.code)) answered = true;
      else if (documented === undefined && isDocumentedTelesignErrorCode(e.code)) documented = e;
    }
  }
  if (status >= 200 && status < 300) {
    if (readError !== undefined) throw readError;
    if (!jsonOk) {
      throw new TelesignBadResponseError(
        'TELESIGN_MALFORMED_RESPONSE',
        `${where(context)}: ${context.host} answered HTTP ${status} with a body that is not JSON.`,
        { httpStatus: status },
      );
    }
    if (envelope === undefined) {
      throw new TelesignBadResponseError(
        'TELESIGN_NO_ENVELOPE',
        `${where(context)}: ${context.host} answered HTTP ${status} with JSON that is not a Telesign response (no "status" or "errors"); check the baseUrl.`,
        { httpStatus: status },
      );
    }
    if (documented === undefined || answered) return toReply(json, envelope, status, context);
  } else if (answered && documented === undefined && status < 500 && envelope !== undefined) {
    return toReply(json, envelope, status, context);
  }

  const first = documented ?? envelope?.errors[0];
  throw telesignErrorFromResponse({
    httpStatus: status,
    telesignCode: first?.code,
    telesignDescription: first?.description || undefined,
    referenceId: envelope?.referenceId ?? undefined,
    retryAfterMs: parseRetryAfter(raw.headers['retry-after'], context.now()),
    maskedPhone: maskPhone(context.phone),
    label: context.label,
    cause: readError,
  });
}
