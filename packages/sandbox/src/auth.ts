/**
 * Telesign-style authentication of one request: HTTP Basic and Digest ("TSA",
 * HMAC-SHA256), each failure answered with its own Telesign error code.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { decodeTelesignApiKey, signTelesignRequest } from '@phone-guard/core';
import { createNonceStore } from './nonce-store.js';
import type { SandboxAuthMode } from './options.js';
import { parseRfc822Date } from './rfc822-date.js';

/** The scheme a request tried to authenticate with (`'none'`: no usable Authorization). */
export type SandboxAuthScheme = 'basic' | 'digest' | 'none';

/** What the sandbox needs of a request to authenticate it. */
export interface AuthInput {
  /** Upper-case HTTP method. */
  method: string;
  /** The path as sent, without the query string (the signed resource). */
  resource: string;
  headers: IncomingHttpHeaders;
  /** The request body as received (empty for GET). */
  body: string;
}

/** The verdict on one request. */
export type AuthResult =
  | { ok: true; scheme: SandboxAuthScheme }
  | {
      ok: false;
      scheme: SandboxAuthScheme;
      /** Telesign error code, e.g. -30006. */
      code: number;
      description: string;
      /** Telesign transaction status: 501 "Not authorized", or 500 for -30008. */
      statusCode: 500 | 501;
    };

/** Authenticates requests and remembers Digest nonces. */
export interface Authenticator {
  authenticate(input: AuthInput): AuthResult;
  /** Forgets every remembered nonce. */
  reset(): void;
}

/** Settings of {@link createAuthenticator}. */
export interface AuthenticatorSettings {
  customerId: string;
  apiKey: string;
  auth: SandboxAuthMode;
  dateSkewMs: number;
  now: () => number;
}

/** Longest accepted `x-ts-nonce`, in characters (a UUID is 36). */
const MAX_NONCE_LENGTH = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time string equality (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

const fail = (
  scheme: SandboxAuthScheme,
  code: number,
  description: string,
  statusCode: 500 | 501 = 501,
): AuthResult => ({ ok: false, scheme, code, description, statusCode });

/**
 * Creates the sandbox's authenticator.
 *
 * Digest signatures are recomputed with `signTelesignRequest` from `@phone-guard/core`,
 * once with the content type the client sent and once with an empty one (the official
 * SDKs sign an empty content type for GET while sending a Content-Type header); either
 * match is accepted. A request with a body is checked against the content type it sent
 * only, so that its body is always covered by the signature. Requests authenticated with `x-ts-date` are verified locally with
 * the same HMAC rule, since `signTelesignRequest` has no `x-ts-date` input.
 *
 * @example
 * const auth = createAuthenticator({ customerId, apiKey, auth: 'any', dateSkewMs: 900_000, now: Date.now });
 * auth.authenticate({ method: 'GET', resource: '/v1/phoneid/live/14155550100', headers, body: '' });
 */
export function createAuthenticator(settings: AuthenticatorSettings): Authenticator {
  const { customerId, apiKey, auth, dateSkewMs, now } = settings;
  const expectedCustomer = customerId.toUpperCase();
  const nonces = createNonceStore();

  function basic(credentials: string): AuthResult {
    if (!BASE64.test(credentials)) {
      return fail('basic', -30005, "Required 'Authorization' header is not in the correct format");
    }
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) {
      return fail('basic', -30005, "Required 'Authorization' header is not in the correct format");
    }
    if (decoded.slice(0, colon).toUpperCase() !== expectedCustomer) {
      return fail('basic', -30000, 'Invalid Customer ID.');
    }
    if (!sameSecret(decoded.slice(colon + 1), apiKey)) {
      return fail('basic', -30015, 'Invalid API Key.');
    }
    return { ok: true, scheme: 'basic' };
  }

  function digestCandidates(input: AuthInput, date: string, nonce: string): string[] {
    const sent = header(input.headers, 'content-type') ?? '';
    // A request with a body (Phone ID's JSON) must sign the content type it sends: an empty
    // one would leave the body out of the signature.
    const contentTypes = sent === '' || input.body !== '' ? [sent] : [sent, ''];
    const xTsDate = header(input.headers, 'x-ts-date');
    const signatures: string[] = [];
    for (const contentType of contentTypes) {
      if (xTsDate === undefined) {
        try {
          const signed = signTelesignRequest(
            {
              method: input.method,
              resource: input.resource,
              contentType,
              body: input.body,
              date,
              nonce,
            },
            { customerId, apiKey, authMethod: 'digest' },
          );
          const sig = signed.authorization.slice(signed.authorization.lastIndexOf(':') + 1);
          signatures.push(sig);
        } catch {
          // An input signTelesignRequest refuses (control characters …) cannot match.
        }
        continue;
      }
      // x-ts-date variant: the DATE line is the Date header value or empty (both readings
      // exist), followed by an x-ts-date line.
      const dateLines = new Set([header(input.headers, 'date') ?? '', '']);
      for (const dateLine of dateLines) {
        const s =
          `${input.method}\n${contentType}\n${dateLine}\n` +
          `x-ts-auth-method:HMAC-SHA256\nx-ts-date:${xTsDate}\nx-ts-nonce:${nonce}` +
          (input.body.length > 0 ? `\n${input.body}` : '') +
          `\n${input.resource}`;
        signatures.push(
          createHmac('sha256', decodeTelesignApiKey(apiKey)).update(s, 'utf8').digest('base64'),
        );
      }
    }
    return signatures;
  }

  function digest(credentials: string, input: AuthInput): AuthResult {
    const colon = credentials.indexOf(':');
    const id = colon < 0 ? '' : credentials.slice(0, colon);
    const signature = colon < 0 ? '' : credentials.slice(colon + 1);
    if (id === '' || !BASE64.test(signature)) {
      return fail('digest', -30005, "Required 'Authorization' header is not in the correct format");
    }
    if (id.toUpperCase() !== expectedCustomer)
      return fail('digest', -30000, 'Invalid Customer ID.');
    if (header(input.headers, 'x-ts-auth-method') !== 'HMAC-SHA256') {
      return fail('digest', -30008, "Invalid 'x-ts-auth-method' header.", 500);
    }
    const date = header(input.headers, 'date');
    const effectiveDate = header(input.headers, 'x-ts-date') ?? date;
    if (effectiveDate === undefined || effectiveDate === '') {
      return fail('digest', -30007, "Missing required 'Date' or 'x-ts-date' header");
    }
    const dateMs = parseRfc822Date(effectiveDate);
    if (dateMs === null) {
      return fail('digest', -30009, "'Date' or 'x-ts-date' header is not RFC822 compliant");
    }
    const nowMs = now();
    if (Math.abs(nowMs - dateMs) > dateSkewMs) {
      return fail('digest', -30010, "'Date' or 'x-ts-date' header is not within tolerable range");
    }
    const nonce = header(input.headers, 'x-ts-nonce') ?? '';
    if (nonce.length === 0 || nonce.length > MAX_NONCE_LENGTH) {
      return fail('digest', -30011, "'x-ts-nonce' header value is either too long or too short");
    }
    const given = Buffer.from(signature, 'utf8');
    const matches = digestCandidates(input, date ?? '', nonce).some((expected) => {
      const e = Buffer.from(expected, 'utf8');
      return e.length === given.length && timingSafeEqual(e, given);
    });
    if (!matches) return fail('digest', -30006, 'Invalid Signature');
    // Remembered only once the signature is valid, so forged requests cannot burn nonces.
    const expiresAt = Math.max(nowMs, dateMs) + dateSkewMs + 1000;
    if (!nonces.remember(nonce, expiresAt, nowMs)) {
      return fail('digest', -30012, "'x-ts-nonce' header value has been used recently");
    }
    return { ok: true, scheme: 'digest' };
  }

  return {
    authenticate(input) {
      const authorization = header(input.headers, 'authorization')?.trim();
      if (authorization === undefined || authorization === '') {
        return fail('none', -30004, "Missing required 'Authorization' header");
      }
      const match = /^(\S+)\s+(\S+)$/.exec(authorization);
      const word = match?.[1]?.toLowerCase();
      const scheme: SandboxAuthScheme =
        word === 'basic' ? 'basic' : word === 'tsa' ? 'digest' : 'none';
      if (!match || scheme === 'none') {
        return fail('none', -30005, "Required 'Authorization' header is not in the correct format");
      }
      if (auth !== 'any' && auth !== scheme) {
        return fail(
          scheme,
          -30005,
          `Required 'Authorization' header is not in the correct format (this sandbox accepts ${auth === 'basic' ? 'Basic' : 'Digest (TSA)'} only)`,
        );
      }
      return scheme === 'basic' ? basic(match[2]!) : digest(match[2]!, input);
    },
    reset() {
      nonces.clear();
    },
  };
}
