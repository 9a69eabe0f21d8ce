/**
 * The runtime warnings of the HTTP adapters, express-rate-limit style: each has a stable
 * code, names the fix, never contains a phone number, and is logged once per logger (so
 * once per process with the default `console`). Documented in each adapter's README.
 */
import type { Logger } from '../model/types.js';

/** What each warning code means (the README tables say the same, with the fix). */
export const HTTP_WARNINGS = Object.freeze({
  PG_CREATED_IN_REQUEST:
    'phoneGuard() was called while a request was being handled: create the middleware once, at startup.',
  PG_TOO_MANY_GUARDS:
    'Many middlewares that each created their own guard are open at once: share one guard, or close() them.',
  PG_NO_BODY_PARSER: 'A request carried a body, but no body parser ran before phoneGuard().',
  PG_BODY_NOT_OBJECT:
    'The parsed body is not an object (a string or a Buffer), so the field cannot be read from it.',
  PG_QUERY_IGNORED:
    'The number was only in the query string, which is not read unless `query: true`.',
  PG_METHOD_NOT_CHECKED:
    'A request whose method is not checked carried the number in its query string and passed unchecked.',
  PG_GET_COUNTRY_FAILED: 'getCountry threw or rejected; the check ran without a request country.',
  PG_GET_LAST_VERIFIED_AT_FAILED:
    'getLastVerifiedAt threw, rejected or returned something that is not a date; the check ran without it.',
  PG_ONBLOCKED_UNUSED: "onBlocked is never called in mode 'annotate' (unless rejectInvalid: true).",
} as const);

/** The stable code of an adapter warning. */
export type HttpWarningCode = keyof typeof HTTP_WARNINGS;

const warned = new WeakMap<Logger, Set<HttpWarningCode>>();

/** Whether `code` was already logged to `logger`. */
export function hasWarned(logger: Logger, code: HttpWarningCode): boolean {
  return warned.get(logger)?.has(code) === true;
}

/**
 * Logs `message` through `logger.warn` as `<source> <code>: <message>`, unless this
 * logger already received `code`. The message must not contain request data beyond what
 * is safe to log (never a phone number).
 */
export function warnOnce(
  logger: Logger,
  code: HttpWarningCode,
  source: string,
  message: string,
): void {
  let codes = warned.get(logger);
  if (codes === undefined) {
    codes = new Set();
    warned.set(logger, codes);
  }
  if (codes.has(code)) return;
  codes.add(code);
  logger.warn(`${source} ${code}: ${message} (logged once)`);
}

/** How an error thrown by a user callback is described in a warning: its kind, never its text. */
export function errorKind(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && /^[\w.-]{1,40}$/.test(code)
      ? `${error.name} (${code})`
      : error.name;
  }
  return typeof error;
}

const REQUEST_FRAMES =
  /node_modules[\\/](?:express[\\/]lib[\\/]router|router[\\/]lib|koa-compose)[\\/]|node:_http_server|\bparserOnIncoming\b|\bLayer\.handle(?:Request| \[as handle_request\])/;

/**
 * Whether the caller runs inside an HTTP request handler: the synchronous stack holds a
 * frame of Node's HTTP server, of Express's router (4 or 5) or of koa-compose. Catches
 * `(req, res, next) => phoneGuard(…)(req, res, next)` and its Koa twin, including after a
 * body parser; not a creation after an `await` in the handler (the live-guard count in
 * {@link trackOwnedGuard} covers that). Runs once per `phoneGuard()` call, never per
 * request.
 */
export function calledInsideRequest(): boolean {
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 60;
    return REQUEST_FRAMES.test(new Error().stack ?? '');
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Open middlewares that created their own guard; beyond this many, something leaks. */
export const MAX_OWNED_GUARDS = 20;
let ownedGuards = 0;

/**
 * Counts a guard a middleware created; returns the function that uncounts it (on close).
 * Calls `onTooMany` when the count reaches {@link MAX_OWNED_GUARDS}.
 */
export function trackOwnedGuard(onTooMany: (open: number) => void): () => void {
  ownedGuards += 1;
  if (ownedGuards >= MAX_OWNED_GUARDS) onTooMany(ownedGuards);
  let counted = true;
  return () => {
    if (counted) ownedGuards -= 1;
    counted = false;
  };
}
