/**
 * Event payloads → OpenTelemetry attributes. Payloads arrive as `unknown` (any copy or
 * version of `@phone-guard/core` in the process may publish), so every field is checked;
 * a field of the wrong type is left out, never passed on. Free-form text is capped and has
 * anything that looks like a phone number masked, so no attribute can carry a full number.
 */
import type { Attributes } from '@opentelemetry/api';
import { maskPhone } from '@phone-guard/core';
import { PHONE_GUARD_ATTRIBUTES as A } from './names.js';

/** A payload as received: any object. */
export type Payload = Readonly<Record<string, unknown>>;

/** The payload as an object, or `null` when it is not one. */
export function asPayload(message: unknown): Payload | null {
  return typeof message === 'object' && message !== null ? (message as Payload) : null;
}

const MAX_TEXT = 128;
const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g;
// Text seen before (routes, codes, names repeat): checked once, then reused.
const checked = new Map<string, string>();

/** `value` when it is a non-empty string, capped and with phone-like digit runs masked. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let safe = checked.get(value);
  if (safe === undefined) {
    const capped = value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
    safe = capped.replace(PHONE_LIKE, (m) => maskPhone(m));
    if (checked.size >= 1024) checked.clear();
    checked.set(value, safe);
  }
  return safe;
}

/**
 * A number that is already masked (at most six digits left) is kept; anything else that
 * holds digits is masked here, so a publisher that forgot to mask leaks nothing.
 */
export function maskedPhone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits === 0) return undefined;
  return digits <= 6 ? value.slice(0, 32) : maskPhone(value);
}

/** Copies `value` under `key` when it is defined. */
function put(attributes: Attributes, key: string, value: string | boolean | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/** The guard name of a payload, as recorded (checked text). */
export function guardName(p: Payload): string | undefined {
  return text(p.guard);
}

/** A new attribute set holding the guard name, when the payload has one. */
export function baseAttributes(p: Payload): Attributes {
  const attributes: Attributes = {};
  put(attributes, A.guardName, guardName(p));
  return attributes;
}

/** Attributes of `phone_guard.decisions`. */
export function decisionAttributes(p: Payload): Attributes {
  const attributes = baseAttributes(p);
  put(attributes, A.action, text(p.action));
  const reasons = p.reasons;
  if (Array.isArray(reasons)) put(attributes, A.reason, text(reasons[0]));
  put(attributes, A.source, text(p.source));
  if (typeof p.failedOpen === 'boolean') attributes[A.failedOpen] = p.failedOpen;
  put(attributes, A.useCase, text(p.useCase));
  put(attributes, A.route, text(p.route));
  put(attributes, A.mode, text(p.mode));
  return attributes;
}

/** Attributes of `phone_guard.cache.hits` and `.misses`. */
export const cacheAttributes = baseAttributes;

/** Attributes of `phone_guard.lookup.coalesced`. */
export function coalescedAttributes(p: Payload): Attributes {
  const attributes = baseAttributes(p);
  put(attributes, A.useCase, text(p.useCase));
  return attributes;
}

/** Attributes of `phone_guard.budget.exhausted`. */
export function budgetAttributes(p: Payload): Attributes {
  const attributes = baseAttributes(p);
  if (typeof p.shared === 'boolean') attributes[A.budgetShared] = p.shared;
  return attributes;
}

/** Attributes of `phone_guard.breaker.transitions`. */
export function breakerAttributes(p: Payload): Attributes {
  const attributes = baseAttributes(p);
  put(attributes, A.breakerState, text(p.state));
  put(attributes, A.breakerPreviousState, text(p.previous));
  return attributes;
}

/** Attributes of `phone_guard.store.errors`. */
export function storeErrorAttributes(p: Payload): Attributes {
  const attributes = baseAttributes(p);
  put(attributes, A.storeOperation, text(p.operation));
  put(attributes, A.errorType, text(p.errorCode));
  return attributes;
}

/** Attributes of `phone_guard.lookup.duration` (and of the look-up span). */
export function lookupAttributes(p: Payload): Attributes {
  const attributes = baseAttributes(p);
  const outcome = text(p.outcome);
  put(attributes, A.outcome, outcome);
  if (outcome !== 'ok') put(attributes, A.errorType, text(p.errorCode));
  put(attributes, A.useCase, text(p.useCase));
  put(attributes, A.product, text(p.product));
  return attributes;
}
