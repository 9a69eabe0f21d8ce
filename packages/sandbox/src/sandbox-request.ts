import type { SandboxAuthScheme } from './auth.js';
import type { SandboxTestNumberName } from './rows.js';
import type { SandboxFault } from './scenarios.js';

/** The Telesign endpoints the sandbox emulates. */
export type SandboxEndpoint = 'live' | 'phoneid' | 'number-deactivation';

/** How the sandbox dealt with one request. */
export type SandboxOutcome =
  /** Not answered yet (latency, slow number) or the client left before an answer. */
  | 'pending'
  /** HTTP 200, status 300, live data. */
  | 'live'
  /** HTTP 200 from `POST /v1/phoneid/{n}` (Phone ID with add-ons; status 300 or 301). */
  | 'phoneid'
  /** HTTP 200 from the legacy `GET /v1/phoneid/number_deactivation/{n}`. */
  | 'number-deactivation'
  /** HTTP 200, status 301, -60001 (the `notFound` row or a number outside the table). */
  | 'not-found'
  /** HTTP 200, -60001 because the number was looked up within `repeatWindowMs`. */
  | 'repeat-not-found'
  /** HTTP 503 -90001 chosen by `failureRate`. */
  | 'injected-failure'
  /** An error row of the test-number table. */
  | 'error'
  /** HTTP 401: authentication failed (see `telesignCode`). */
  | 'auth-error'
  /** HTTP 400: bad number in the path, bad / missing `ucid`, or a bad Phone ID body. */
  | 'invalid-request'
  /** HTTP 413: a request body over 64 KiB. */
  | 'body-too-large'
  /** HTTP 405: a method the endpoint does not take. */
  | 'method-not-allowed'
  /** HTTP 404: none of the emulated endpoints. */
  | 'unknown-resource'
  /** A fault row (`fault-hang`, `fault-reset` …). */
  | `fault-${SandboxFault}`;

/**
 * One request as the sandbox saw it. Never contains the Authorization header, the API
 * key, the signature or the nonce.
 */
export interface SandboxRequest {
  /** HTTP method. */
  method: string;
  /** The path, without the query string. */
  path: string;
  /** Which Telesign endpoint the path names, or `null` for none. */
  endpoint: SandboxEndpoint | null;
  /**
   * The request body parsed as JSON (the Phone ID add-on request), or `null` when there was
   * none or it was not JSON. Telesign request bodies carry no secret.
   */
  body: unknown;
  /** The number looked up (digits, no `+`), or `null` when the path had no valid number. */
  digits: string | null;
  /** The `ucid` query parameter as sent (at most 32 characters), or `null`. */
  ucid: string | null;
  /** The scheme the request tried (`'none'`: no Authorization header, or an unknown scheme). */
  authScheme: SandboxAuthScheme;
  /**
   * The test number whose answer was given (for a pinned number: the row it is pinned to),
   * or `null` for other numbers.
   */
  testNumber: SandboxTestNumberName | null;
  /** Whether the number was pinned (`pin()`, `pins`, the admin route or `--pin`). */
  pinned: boolean;
  /** The HTTP status sent, or `null` when none was (hang, reset, not answered yet). */
  httpStatus: number | null;
  /** The Telesign error code sent (`errors[0].code`), or `null`. */
  telesignCode: number | null;
  /** How the request was dealt with. */
  outcome: SandboxOutcome;
  /** When the request arrived (the sandbox clock, ms since the epoch). */
  at: number;
}
