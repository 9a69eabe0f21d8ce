/**
 * Phone ID add-ons on the shared transport: number deactivation and SIM swap.
 * `'phoneid'` (default): `POST /v1/phoneid/{digits}` with a JSON body naming the add-ons,
 * signed with its content type and body. `'legacy'`: `GET
 * /v1/phoneid/number_deactivation/{digits}?ucid=PWRT` (number deactivation only).
 */

import { PhoneGuardOptionError } from '../model/errors.js';
import type { PhoneIdAddons, PhoneIdAddonsOptions } from '../model/identity-signals.js';
import { booleanOption, optionObject } from '../options/checks.js';
import { readCallOptions, readPhoneArgument } from './call-input.js';
import type { TelesignAddonsEndpoint } from './client-options.js';
import {
  LEGACY_SIM_SWAP_STATUS,
  type ParsePhoneIdAddonsContext,
  parseLegacyNumberDeactivation,
  parsePhoneIdAddons,
} from './parse-phoneid-addons.js';
import type { TelesignCall, TelesignReply, TelesignTransport } from './transport.js';

const METHOD = 'getPhoneIdAddons';
const OPTION_KEYS = ['numberDeactivation', 'simSwap', 'signal'] as const;
const LABEL = 'Telesign add-on look-up';

/** What the add-on request needs from the client's options. */
export interface AddonsSettings {
  readonly endpoint: TelesignAddonsEndpoint;
  /** Content type of the legacy GET (the client's `contentType`). */
  readonly contentType: string;
  readonly now: () => number;
}

/** The add-ons one call asks for, validated. */
export interface AddonsWanted {
  readonly numberDeactivation: boolean;
  /** Sent as `last_verified` (number deactivation only). */
  readonly lastVerifiedAt: Date | undefined;
  readonly simSwap: boolean;
}

function readLastVerifiedAt(value: unknown): Date | undefined {
  const options = optionObject(value, 'numberDeactivation', ['lastVerifiedAt']);
  const date = options?.['lastVerifiedAt'];
  if (date === undefined) return undefined;
  const year = date instanceof Date ? date.getUTCFullYear() : Number.NaN;
  // RFC 3339 has four-digit years only.
  if (!(year >= 0 && year <= 9999)) {
    throw new PhoneGuardOptionError(
      'numberDeactivation.lastVerifiedAt',
      'must be a valid Date (years 0–9999).',
    );
  }
  return date as Date;
}

/** Validates the options of one add-on call. Throws `PhoneGuardOptionError`. */
function readAddonsWanted(options: PhoneIdAddonsOptions | undefined): AddonsWanted {
  const checked = readCallOptions(options, METHOD, OPTION_KEYS);
  const deactivation: unknown = checked?.numberDeactivation;
  let lastVerifiedAt: Date | undefined;
  if (typeof deactivation === 'object' && deactivation !== null && !Array.isArray(deactivation)) {
    lastVerifiedAt = readLastVerifiedAt(deactivation);
  } else if (deactivation !== undefined && typeof deactivation !== 'boolean') {
    throw new PhoneGuardOptionError(
      'numberDeactivation',
      'must be true, false or an object { lastVerifiedAt?: Date }.',
    );
  }
  const wanted: AddonsWanted = {
    numberDeactivation: deactivation !== undefined && deactivation !== false,
    lastVerifiedAt,
    simSwap: booleanOption(checked?.simSwap, 'simSwap', false),
  };
  if (!wanted.numberDeactivation && !wanted.simSwap) {
    throw new PhoneGuardOptionError(
      `${METHOD} options`,
      'must ask for numberDeactivation, simSwap or both (every add-on request is billed).',
    );
  }
  return wanted;
}

/** RFC 3339 in UTC without milliseconds: `2024-03-11T07:30:00Z`. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The JSON body of the add-on request: only the add-ons asked for, `last_verified` only
 * when given, and the consent the official SDKs send by default.
 *
 * @example addonsRequestBody({ numberDeactivation: true, lastVerifiedAt: undefined, simSwap: true })
 * // '{"addons":{"number_deactivation":{},"sim_swap":{}},"consent":{"method":1}}'
 */
function addonsRequestBody(wanted: AddonsWanted): string {
  const addons: Record<string, Record<string, string>> = {};
  if (wanted.numberDeactivation) {
    addons['number_deactivation'] =
      wanted.lastVerifiedAt === undefined ? {} : { last_verified: rfc3339(wanted.lastVerifiedAt) };
  }
  if (wanted.simSwap) addons['sim_swap'] = {};
  return JSON.stringify({ addons, consent: { method: 1 } });
}

/** True when every add-on asked for answered "temporarily unavailable" (2802, 2810, 2811). */
function onlyRetryable(value: PhoneIdAddons): boolean {
  const records = [value.numberDeactivation, value.simSwap].filter((r) => r !== null);
  return records.length > 0 && records.every((r) => r.status.outcome === 'retryable');
}

function contextOf(reply: TelesignReply, wanted: AddonsWanted): ParsePhoneIdAddonsContext {
  return {
    phone: reply.phone,
    checkedAt: reply.checkedAt,
    numberDeactivation: wanted.numberDeactivation,
    simSwap: wanted.simSwap,
  };
}

function phoneIdCall(
  digits: string,
  e164: string,
  wanted: AddonsWanted,
  signal: AbortSignal | undefined,
): TelesignCall<PhoneIdAddons> {
  return {
    method: 'POST',
    resource: `/v1/phoneid/${digits}`,
    contentType: 'application/json',
    body: addonsRequestBody(wanted),
    phone: e164,
    signal,
    label: LABEL,
    parse: (reply) => parsePhoneIdAddons(reply.json, contextOf(reply, wanted)),
    retryAnswer: onlyRetryable,
  };
}

function legacyCall(
  digits: string,
  e164: string,
  wanted: AddonsWanted,
  signal: AbortSignal | undefined,
  contentType: string,
): TelesignCall<PhoneIdAddons> {
  return {
    method: 'GET',
    resource: `/v1/phoneid/number_deactivation/${digits}`,
    query: 'ucid=PWRT',
    contentType,
    phone: e164,
    signal,
    label: LABEL,
    parse: (reply) => parseLegacyNumberDeactivation(reply.json, contextOf(reply, wanted)),
  };
}

/** `getPhoneIdAddons` over `transport`. */
export function createPhoneIdAddonsLookup(
  transport: TelesignTransport,
  settings: AddonsSettings,
): (phone: string, options: PhoneIdAddonsOptions) => Promise<PhoneIdAddons> {
  return async function getPhoneIdAddons(phone, options) {
    const wanted = readAddonsWanted(options);
    const { digits, e164 } = readPhoneArgument(phone);
    const signal = options?.signal;
    if (settings.endpoint === 'phoneid') {
      return transport.send(phoneIdCall(digits, e164, wanted, signal));
    }
    if (!wanted.numberDeactivation) {
      // The legacy endpoint cannot answer SIM swap: nothing worth paying for.
      return {
        phone: e164,
        numberDeactivation: null,
        simSwap: { status: LEGACY_SIM_SWAP_STATUS, risk: null, swappedAt: null },
        referenceId: null,
        statusCode: null,
        checkedAt: settings.now(),
      };
    }
    return transport.send(legacyCall(digits, e164, wanted, signal, settings.contentType));
  };
}
