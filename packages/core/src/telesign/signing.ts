/**
 * Telesign request signing: the `Authorization`, `Date`, `Content-Type`,
 * `x-ts-auth-method` and `x-ts-nonce` headers of one REST request, byte-exact with
 * Telesign's official SDKs for the same date and nonce.
 */
import { createHmac, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { PhoneGuardOptionError } from '../model/errors.js';

/**
 * How requests are authenticated: `'digest'` (Telesign's "TSA" HMAC-SHA256 scheme, the
 * API key never leaves the process) or `'basic'` (HTTP Basic with the key as password).
 */
export type TelesignAuthMethod = 'digest' | 'basic';

/** The parts of one HTTP request that Telesign's signature covers. */
export interface TelesignRequestToSign {
  /** The HTTP method (`GET`, `POST` …). Upper-cased before signing. */
  method: string;
  /**
   * The resource path, e.g. `/v1/phoneid/live/15555551234`. The query string is not
   * signed: anything from a `?` on is ignored.
   */
  resource: string;
  /**
   * The content type, signed and returned as `content-type` exactly as given, so that
   * what is signed is what is sent.
   * @default `''` for GET, HEAD and DELETE (what every official SDK signs);
   *   `'application/x-www-form-urlencoded'` for other methods
   */
  contentType?: string | undefined;
  /** The request body exactly as it will be sent (e.g. URL-encoded fields). @default `''` */
  body?: string | undefined;
  /** The `Date` header value (RFC 7231). @default `new Date().toUTCString()` */
  date?: string | undefined;
  /** The `x-ts-nonce` value; must never repeat. @default `crypto.randomUUID()` */
  nonce?: string | undefined;
}

/** Telesign account credentials. */
export interface TelesignCredentials {
  /** The Telesign customer id. */
  customerId: string;
  /** The API key, as Telesign shows it (base64). */
  apiKey: string;
  /** @default 'digest' */
  authMethod?: TelesignAuthMethod | undefined;
}

/**
 * Headers to send with the request, keys lower-case. As in Telesign's official SDKs,
 * all five are present for both methods: `x-ts-auth-method` is `HMAC-SHA256` for Digest
 * and `Basic` for Basic (where the nonce is sent but not signed).
 */
export interface TelesignSignedHeaders {
  authorization: string;
  date: string;
  'content-type': string;
  'x-ts-auth-method': 'HMAC-SHA256' | 'Basic';
  'x-ts-nonce': string;
}

const NOT_BASE64_ALPHABET = /[^A-Za-z0-9+/=]/g;
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE']);

/**
 * Decodes a Telesign API key the way Telesign's SDKs do: characters outside the
 * standard base64 alphabet (`A–Z a–z 0–9 + / =`) are dropped, then the rest is decoded.
 * (Node's `Buffer` alone would read `-` and `_` as base64url and produce another key.)
 *
 * @example decodeTelesignApiKey('AAEC-Aw==') // <Buffer 00 01 02 03>
 */
export function decodeTelesignApiKey(apiKey: string): Buffer {
  return Buffer.from(apiKey.replace(NOT_BASE64_ALPHABET, ''), 'base64');
}

/**
 * Why an API key cannot be used for digest signing under Telesign's decoding rule, or
 * `undefined` when it can. Never includes the key itself.
 */
export function describeInvalidTelesignApiKey(apiKey: string): string | undefined {
  const cleaned = apiKey.replace(NOT_BASE64_ALPHABET, '');
  if (cleaned.length === 0) return 'contains no base64 characters';
  const unpadded = cleaned.replace(/=+$/, '');
  if (unpadded.includes('=')) return 'has "=" padding in the middle; it is not base64';
  if (cleaned.length - unpadded.length > 2) return 'has more than two "=" padding characters';
  if (unpadded.length % 4 === 1) return 'has a base64 length that cannot be decoded';
  if (unpadded.length < 4) return 'decodes to fewer than 3 bytes; it is not a Telesign API key';
  return undefined;
}

/** True when `value` holds a control character (not allowed in an HTTP header value). @internal */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function checkHeaderValue(name: string, value: string): void {
  if (hasControlCharacter(value)) {
    throw new PhoneGuardOptionError(name, 'must not contain control characters (CR, LF …).');
  }
}

function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new PhoneGuardOptionError(name, 'must be a string.');
  return value;
}

/**
 * Signs one Telesign REST request and returns the headers to send, keys lower-case.
 *
 * Digest (`'digest'`, the default): `authorization` is
 * `TSA {customerId}:{base64(HMAC-SHA256(decodedKey, S))}` where S is
 * `METHOD\nCONTENT_TYPE\nDATE\nx-ts-auth-method:HMAC-SHA256\nx-ts-nonce:NONCE[\nBODY]\nRESOURCE`
 * (the body part only when the body is non-empty, as in every official SDK; the query
 * string is never signed). Basic (`'basic'`): `authorization` is
 * `Basic base64(customerId:apiKey)`, with the key as given, `x-ts-auth-method` is
 * `Basic` and the nonce is sent unsigned (as the official SDKs do).
 *
 * Given the same date and nonce the result is byte-exact with Telesign's official SDKs
 * (`RestClient.generateTeleSignHeaders`), except that the API key is decoded by
 * Telesign's documented rule (see {@link decodeTelesignApiKey}).
 *
 * Throws `PhoneGuardOptionError` for a missing or malformed input (never echoing the key).
 *
 * @example
 * ```ts
 * const headers = signTelesignRequest(
 *   { method: 'GET', resource: '/v1/phoneid/live/14155552671' },
 *   { customerId: process.env.TELESIGN_CUSTOMER_ID!, apiKey: process.env.TELESIGN_API_KEY! },
 * );
 * // { authorization: 'TSA …:…', date: 'Wed, 14 Dec 2016 18:20:12 GMT', 'content-type': '',
 * //   'x-ts-auth-method': 'HMAC-SHA256', 'x-ts-nonce': '…' }
 * ```
 */
export function signTelesignRequest(
  request: TelesignRequestToSign,
  credentials: TelesignCredentials,
): TelesignSignedHeaders {
  return signWith(resolveCredentials(credentials), request);
}

/**
 * Validates `credentials` once and returns a function that signs requests with them,
 * exactly like {@link signTelesignRequest} but without decoding the key again for every
 * request. The key stays inside the closure (as a non-extractable-by-inspection
 * `KeyObject` for Digest).
 *
 * @example
 * ```ts
 * const sign = createTelesignSigner({ customerId, apiKey });
 * const headers = sign({ method: 'GET', resource: '/v1/phoneid/live/14155552671' });
 * ```
 */
export function createTelesignSigner(
  credentials: TelesignCredentials,
): (request: TelesignRequestToSign) => TelesignSignedHeaders {
  const resolved = resolveCredentials(credentials);
  return (request) => signWith(resolved, request);
}

interface ResolvedCredentials {
  readonly customerId: string;
  /** Digest: the decoded key. */
  readonly hmacKey: KeyObject | undefined;
  /** Basic: the whole `Authorization` value. */
  readonly basic: string | undefined;
}

function resolveCredentials(credentials: TelesignCredentials): ResolvedCredentials {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new PhoneGuardOptionError('credentials', 'must be an object.');
  }
  const customerId = requireString('credentials.customerId', credentials.customerId);
  if (customerId.length === 0) {
    throw new PhoneGuardOptionError('credentials.customerId', 'must not be empty.');
  }
  checkHeaderValue('credentials.customerId', customerId);
  const apiKey = requireString('credentials.apiKey', credentials.apiKey);
  if (apiKey.length === 0) {
    throw new PhoneGuardOptionError('credentials.apiKey', 'must not be empty.');
  }
  const authMethod = credentials.authMethod ?? 'digest';
  if (authMethod === 'basic') {
    if (customerId.includes(':')) {
      throw new PhoneGuardOptionError(
        'credentials.customerId',
        'must not contain ":" with Basic authentication.',
      );
    }
    const basic = `Basic ${Buffer.from(`${customerId}:${apiKey}`, 'utf8').toString('base64')}`;
    return { customerId, hmacKey: undefined, basic };
  }
  if (authMethod !== 'digest') {
    throw new PhoneGuardOptionError('credentials.authMethod', 'must be "digest" or "basic".');
  }
  const keyProblem = describeInvalidTelesignApiKey(apiKey);
  if (keyProblem !== undefined) {
    // Signing with what is left of such a key would "work" and fail upstream as -30006.
    throw new PhoneGuardOptionError(
      'credentials.apiKey',
      `is not a Telesign API key: after dropping characters outside A–Z a–z 0–9 + / =, it ${keyProblem}.`,
    );
  }
  const hmacKey = createSecretKey(decodeTelesignApiKey(apiKey));
  return { customerId, hmacKey, basic: undefined };
}

let cachedDateSecond = -1;
let cachedDate = '';

/** `new Date().toUTCString()`, computed at most once a second. */
function currentHttpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedDateSecond) {
    cachedDateSecond = second;
    cachedDate = new Date(second * 1000).toUTCString();
  }
  return cachedDate;
}

function signWith(
  credentials: ResolvedCredentials,
  request: TelesignRequestToSign,
): TelesignSignedHeaders {
  if (typeof request !== 'object' || request === null) {
    throw new PhoneGuardOptionError('request', 'must be an object.');
  }
  const method = requireString('request.method', request.method).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) {
    throw new PhoneGuardOptionError('request.method', 'must be an HTTP method such as GET.');
  }
  const fullResource = requireString('request.resource', request.resource);
  const queryAt = fullResource.indexOf('?');
  const resource = queryAt === -1 ? fullResource : fullResource.slice(0, queryAt);
  if (!resource.startsWith('/')) {
    throw new PhoneGuardOptionError('request.resource', 'must be a path starting with "/".');
  }
  checkHeaderValue('request.resource', resource);
  const contentType =
    request.contentType === undefined
      ? BODYLESS_METHODS.has(method)
        ? ''
        : 'application/x-www-form-urlencoded'
      : requireString('request.contentType', request.contentType);
  checkHeaderValue('request.contentType', contentType);
  const body = request.body === undefined ? '' : requireString('request.body', request.body);
  const date =
    request.date === undefined ? currentHttpDate() : requireString('request.date', request.date);
  checkHeaderValue('request.date', date);

  const nonce =
    request.nonce === undefined ? randomUUID() : requireString('request.nonce', request.nonce);
  if (nonce.length === 0) throw new PhoneGuardOptionError('request.nonce', 'must not be empty.');
  checkHeaderValue('request.nonce', nonce);

  if (credentials.basic !== undefined) {
    // What the official SDKs send with Basic: the same five headers, nothing signed.
    return {
      authorization: credentials.basic,
      date,
      'content-type': contentType,
      'x-ts-auth-method': 'Basic',
      'x-ts-nonce': nonce,
    };
  }

  const stringToSign =
    `${method}\n${contentType}\n${date}\n` +
    `x-ts-auth-method:HMAC-SHA256\nx-ts-nonce:${nonce}` +
    (body.length > 0 ? `\n${body}` : '') +
    `\n${resource}`;
  const signature = createHmac('sha256', credentials.hmacKey as KeyObject)
    .update(stringToSign, 'utf8')
    .digest('base64');

  return {
    authorization: `TSA ${credentials.customerId}:${signature}`,
    date,
    'content-type': contentType,
    'x-ts-auth-method': 'HMAC-SHA256',
    'x-ts-nonce': nonce,
  };
}
