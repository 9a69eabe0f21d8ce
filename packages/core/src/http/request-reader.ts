/**
 * Reading what a check needs from a request — the phone number, the request's country,
 * when the user last proved the number — and explaining a miss with a warning that names
 * the fix (no body parser ran, the number was only in the query string …). Request data
 * never throws here: a user callback that fails counts as "not given".
 */
import type { HttpAdapterInfo, ResolvedHttpOptions } from './adapter-options.js';
import { readPhoneField } from './fields.js';
import type { RequestView } from './request-view.js';
import { errorKind, hasWarned, warnOnce } from './warnings.js';

/** What one middleware reads from its requests. */
export interface RequestReader<Req> {
  /** The phone number at `field` (`undefined` when absent). */
  phone(view: RequestView): unknown;
  /** The raw country at `countryField` (`undefined` when absent or not configured). */
  country(view: RequestView): unknown;
  /** `getCountry`'s answer; `undefined` when it failed (warned once). */
  countryFrom(getCountry: (req: Req) => unknown, request: Req): Promise<unknown>;
  /** `getLastVerifiedAt`'s answer if usable; `undefined` otherwise (warned once). */
  lastVerifiedAtFrom(
    get: (req: Req) => unknown,
    request: Req,
  ): Promise<Date | string | number | undefined>;
  /** For a request whose method is not checked: warns once if the number sat in its query. */
  noteUnchecked(view: RequestView): void;
}

/** A method name safe to echo in a log line. */
function methodName(view: RequestView): string {
  return /^[A-Z-]{1,20}$/.test(view.method) ? view.method : 'other';
}

/** A plain media type from a client-controlled header, or `'unknown'`. */
function mediaType(contentType: string | undefined): string {
  return /^[a-z]+\/[a-z.+-]{1,60}/i.exec(contentType ?? '')?.[0] ?? 'unknown';
}

/** Builds the reader of one middleware, from its validated options. */
export function createRequestReader<Req>(
  config: Pick<
    ResolvedHttpOptions<Req, never>,
    'phonePath' | 'countryPath' | 'query' | 'logger' | 'getPhone'
  >,
  info: HttpAdapterInfo,
): RequestReader<Req> {
  const { phonePath, countryPath, query, logger } = config;
  const where = phonePath.join('.');
  let checkedUnchecked = config.getPhone !== undefined;

  function explainMissingBody(view: RequestView, body: unknown): void {
    if (body === undefined) {
      if (hasWarned(logger, 'PG_NO_BODY_PARSER') || !view.hasBody) return;
      warnOnce(
        logger,
        'PG_NO_BODY_PARSER',
        info.name,
        `a ${methodName(view)} request arrived with a body (content-type: ${mediaType(view.contentType)}), but no body parser ran before phoneGuard() for it, so "${where}" cannot be read from it. Add a body parser for that content type first (${info.bodyParserHint}) or pass getPhone.`,
      );
    } else if (typeof body === 'string' || body instanceof Uint8Array) {
      warnOnce(
        logger,
        'PG_BODY_NOT_OBJECT',
        info.name,
        `the parsed body of a ${methodName(view)} request is a ${typeof body === 'string' ? 'string' : 'Buffer'}, not an object, so "${where}" cannot be read from it. Parse it as JSON or urlencoded (${info.bodyParserHint}) or pass getPhone.`,
      );
    }
  }

  function explainIgnoredQuery(view: RequestView): void {
    if (hasWarned(logger, 'PG_QUERY_IGNORED')) return;
    if (readPhoneField(view.query(), phonePath) === undefined) return;
    warnOnce(
      logger,
      'PG_QUERY_IGNORED',
      info.name,
      `a ${methodName(view)} request had "${where}" in its query string only, which is not read by default (numbers in URLs end up in access logs). Send it in the body, or pass query: true.`,
    );
  }

  async function call(
    fn: (req: Req) => unknown,
    request: Req,
    code: 'PG_GET_COUNTRY_FAILED' | 'PG_GET_LAST_VERIFIED_AT_FAILED',
  ): Promise<{ value: unknown } | undefined> {
    try {
      return { value: await fn(request) };
    } catch (error) {
      const name = code === 'PG_GET_COUNTRY_FAILED' ? 'getCountry' : 'getLastVerifiedAt';
      warnOnce(
        logger,
        code,
        info.name,
        `${name} threw ${errorKind(error)}; the check ran without it. Make ${name} return undefined when it has no answer.`,
      );
      return undefined;
    }
  }

  return {
    phone(view) {
      const body = view.body();
      const fromBody = readPhoneField(body, phonePath);
      if (fromBody !== undefined) return fromBody;
      explainMissingBody(view, body);
      if (query) return readPhoneField(view.query(), phonePath);
      explainIgnoredQuery(view);
      return undefined;
    },
    country(view) {
      if (countryPath === undefined) return undefined;
      const fromBody = readPhoneField(view.body(), countryPath);
      return fromBody !== undefined || !query
        ? fromBody
        : readPhoneField(view.query(), countryPath);
    },
    async countryFrom(getCountry, request) {
      return (await call(getCountry, request, 'PG_GET_COUNTRY_FAILED'))?.value;
    },
    async lastVerifiedAtFrom(get, request) {
      const answer = await call(get, request, 'PG_GET_LAST_VERIFIED_AT_FAILED');
      const value = answer?.value;
      if (value === undefined || value === null) return undefined;
      if (value instanceof Date || typeof value === 'string' || typeof value === 'number') {
        return value;
      }
      warnOnce(
        logger,
        'PG_GET_LAST_VERIFIED_AT_FAILED',
        info.name,
        `getLastVerifiedAt returned ${typeof value}; expected a Date, an ISO 8601 string, epoch milliseconds or undefined. The check ran without it.`,
      );
      return undefined;
    },
    noteUnchecked(view) {
      if (checkedUnchecked) return;
      if (hasWarned(logger, 'PG_METHOD_NOT_CHECKED')) {
        checkedUnchecked = true;
        return;
      }
      if (readPhoneField(view.query(), phonePath) === undefined) return;
      checkedUnchecked = true;
      warnOnce(
        logger,
        'PG_METHOD_NOT_CHECKED',
        info.name,
        `a ${methodName(view)} request carried "${where}" in its query string and passed unchecked: ${methodName(view)} is not among the checked methods. To check it, pass methods: ['${methodName(view)}', …] and query: true.`,
      );
    },
  };
}
