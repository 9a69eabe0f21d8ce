/**
 * The shared half of every HTTP framework adapter (`@phone-guard/express`,
 * `@phone-guard/koa`): given a request (as a {@link RequestView}), find the phone number,
 * check it, and say what the adapter should do. An adapter only converts its framework's
 * request in and the result out (connect-es style); no decision is made there. Nothing
 * here imports a framework or `node:http`: `Req` is whatever the framework hands to its
 * middleware (Express `req`, Koa `ctx`).
 */
import { type CheckOptions, MAX_ROUTE_LABEL } from '../guard/check-options.js';
import type { PhoneGuard } from '../guard/create-guard.js';
import { isEnforced } from '../guard/rollout.js';
import type { Decision } from '../model/decision.js';
import type { Logger } from '../model/types.js';
import {
  type AnyFunction,
  type HttpAdapterInfo,
  type PhoneGuardHttpOptions,
  resolveHttpOptions,
} from './adapter-options.js';
import { fromHttpRequestView, type HttpRequestView } from './node.js';
import { decisionToProblem, type PhoneGuardProblemResponse } from './problem.js';
import { createRequestReader } from './request-reader.js';
import { isRequestView, type RequestView } from './request-view.js';
import { calledInsideRequest, trackOwnedGuard, warnOnce } from './warnings.js';

/** The outcome of {@link HttpAdapter.run}, for the adapter to translate. */
export type HttpCheckResult =
  /**
   * Not checked (`skip` said so, or the request's method is not in `methods`): call the
   * next middleware, record nothing.
   */
  | { readonly kind: 'skip' }
  /** The client disconnected during the check: nobody is left to answer; do nothing. */
  | { readonly kind: 'aborted' }
  /** Record `decision` and call the next middleware. */
  | { readonly kind: 'next'; readonly decision: Decision }
  /**
   * Record `decision`, then call `onBlocked` when one was given, or send `response`.
   */
  | {
      readonly kind: 'block';
      readonly decision: Decision;
      readonly response: PhoneGuardProblemResponse;
    };

/** The shared half of an adapter's middleware, created once per `phoneGuard()` call. */
export interface HttpAdapter<Req, OnBlocked extends AnyFunction = AnyFunction> {
  /** The guard in use: the shared one, or the one the middleware created. */
  readonly guard: PhoneGuard;
  /** The custom block response, if any. */
  readonly onBlocked: OnBlocked | undefined;
  /**
   * Checks one request. Answers synchronously when the decision needs no I/O (a method
   * that is not checked, a cache hit or invalid input, without `skip`, `getPhone`,
   * `getCountry` or `getLastVerifiedAt`), so that such requests cost no promise, timer
   * or abort signal; otherwise returns a promise. Throws or rejects only on unexpected
   * errors (a throwing `skip`, `getPhone` …). `view` is a {@link RequestView} (e.g. a
   * `NodeRequestView`), or the older Node-only {@link HttpRequestView}.
   */
  run(
    request: Req,
    view: RequestView | HttpRequestView,
  ): HttpCheckResult | Promise<HttpCheckResult>;
  /** Closes the guard if the middleware created it; does nothing for a shared guard. */
  close(): Promise<void>;
}

const SKIP: HttpCheckResult = Object.freeze({ kind: 'skip' });
const ABORTED: HttpCheckResult = Object.freeze({ kind: 'aborted' });

/** Most distinct matched routes whose check options are kept (route patterns are few). */
const MAX_ROUTE_OPTIONS = 256;

/**
 * Validates an adapter's options once and returns the shared half of its middleware.
 * Throws {@link PhoneGuardOptionError} for unknown keys and impossible values (and lets
 * `createPhoneGuard` validate its own options). Never mutates `options`. Warns
 * (`PG_CREATED_IN_REQUEST`, `PG_TOO_MANY_GUARDS`) when it looks like a middleware is
 * being created per request.
 *
 * @example
 * ```ts
 * const adapter = createHttpAdapter<Request>(options, {
 *   name: '@phone-guard/express',
 *   bodyParserHint: 'app.use(express.json())',
 * });
 * const result = await adapter.run(req, new NodeRequestView(req, req, res, READER));
 * ```
 */
export function createHttpAdapter<Req, OnBlocked extends AnyFunction = AnyFunction>(
  options: PhoneGuardHttpOptions<Req, OnBlocked> | undefined,
  info: HttpAdapterInfo,
): HttpAdapter<Req, OnBlocked> {
  const inRequest = calledInsideRequest();
  const config = resolveHttpOptions(options, info);
  const { guard, getPhone, getCountry, getLastVerifiedAt, skip, mode, checkOptions } = config;
  const { logger, checksMethod, rejectInvalid, enforce } = config;
  const reader = createRequestReader(config, info);
  if (inRequest) warnCreatedInRequest(logger, info);
  const untrack = config.owned ? trackOwnedGuard((open) => warnTooMany(logger, info, open)) : noop;
  let closed: Promise<void> | undefined;

  function toResult(decision: Decision): HttpCheckResult {
    if (!refuses(decision)) return { kind: 'next', decision };
    return { kind: 'block', decision, response: decisionToProblem(decision) };
  }

  /** Whether the mode refuses `decision` (shadow refuses invalid input, and its enforced share). */
  function refuses(decision: Decision): boolean {
    if (decision.action !== 'block') return false;
    if (decision.reasons.includes('PHONE_INVALID')) return rejectInvalid;
    if (mode === 'block') return true;
    const phone = decision.phone;
    return mode === 'shadow' && enforce > 0 && phone !== null && isEnforced(phone.e164, enforce);
  }

  // Check options per matched route (when `route` is not given), built once per route so
  // that a cache hit allocates none.
  const byRoute = new Map<string, Readonly<CheckOptions>>();
  function routeOptions(view: RequestView): Readonly<CheckOptions> {
    if (config.route !== undefined) return checkOptions;
    const route = view.route;
    if (typeof route !== 'string' || route === '') return checkOptions;
    let options = byRoute.get(route);
    if (options === undefined) {
      const label = route.length > MAX_ROUTE_LABEL ? route.slice(0, MAX_ROUTE_LABEL) : route;
      options = Object.freeze({ ...checkOptions, route: label });
      if (byRoute.size >= MAX_ROUTE_OPTIONS) byRoute.clear();
      byRoute.set(route, options);
    }
    return options;
  }

  /** The route's check options plus what this request says (before its signal). */
  async function requestOptions(request: Req, view: RequestView): Promise<CheckOptions> {
    const options: CheckOptions = { ...routeOptions(view) };
    const country =
      getCountry !== undefined
        ? await reader.countryFrom(getCountry, request)
        : reader.country(view);
    if (country !== undefined) options.defaultCountry = country;
    if (getLastVerifiedAt !== undefined) {
      const verifiedAt = await reader.lastVerifiedAtFrom(getLastVerifiedAt, request);
      if (verifiedAt !== undefined) options.lastVerifiedAt = verifiedAt;
    }
    return options;
  }

  // The synchronous path needs the guard's checkCached (a guard-like object passed as
  // `guard` may not have it) and no user callback that may be async.
  const checkCached =
    skip === undefined &&
    getPhone === undefined &&
    getCountry === undefined &&
    getLastVerifiedAt === undefined &&
    typeof (guard as Partial<PhoneGuard>).checkCached === 'function'
      ? guard.checkCached.bind(guard)
      : undefined;

  async function runAsync(request: Req, view: RequestView): Promise<HttpCheckResult> {
    if (skip !== undefined && (await skip(request))) return SKIP;
    const watch = view.watchDisconnect();
    let reusable = false;
    try {
      const [input, options] = await Promise.all([
        getPhone !== undefined ? getPhone(request) : reader.phone(view),
        requestOptions(request, view),
      ]);
      if (watch.signal.aborted) return ABORTED;
      options.signal = watch.signal;
      let decision: Decision;
      try {
        decision = await guard.check(input, options);
      } catch (error) {
        if (watch.signal.aborted) return ABORTED;
        throw error;
      }
      if (watch.signal.aborted) return ABORTED;
      // A cache hit or refused input never started a look-up, so nothing can still hold
      // the signal: it may serve another request (see watchClientDisconnect).
      reusable = decision.source === 'cache' || decision.reasons.includes('PHONE_INVALID');
      return toResult(decision);
    } finally {
      watch.release(reusable);
    }
  }

  function runCached(view: RequestView): Decision | undefined {
    if (checkCached === undefined) return undefined;
    const country = reader.country(view);
    const route = routeOptions(view);
    const options = country === undefined ? route : { ...route, defaultCountry: country };
    return checkCached(reader.phone(view), options);
  }

  return {
    guard,
    onBlocked: config.onBlocked,
    run(request, anyView) {
      const view = isRequestView(anyView) ? anyView : fromHttpRequestView(anyView);
      if (!checksMethod(view.method)) {
        reader.noteUnchecked(view);
        return SKIP;
      }
      const decision = runCached(view);
      return decision !== undefined ? toResult(decision) : runAsync(request, view);
    },
    close() {
      if (!config.owned) return Promise.resolve();
      untrack();
      closed ??= Promise.resolve(guard.close());
      return closed;
    },
  };
}

function noop(): void {}

function warnCreatedInRequest(logger: Logger, info: HttpAdapterInfo): void {
  warnOnce(
    logger,
    'PG_CREATED_IN_REQUEST',
    info.name,
    'phoneGuard() was called while a request was being handled. Each call validates its options and (without a shared guard) creates a guard with its own cache and connections, so per-request middlewares re-check every number and leak handles. Create the middleware once, at startup; for per-request data use getPhone, getCountry, countryField or getLastVerifiedAt.',
  );
}

function warnTooMany(logger: Logger, info: HttpAdapterInfo, open: number): void {
  warnOnce(
    logger,
    'PG_TOO_MANY_GUARDS',
    info.name,
    `${open} middlewares that each created their own guard are open at once. Each has its own cache, budget and connections: create the middleware once, share one guard ({ guard: createPhoneGuard(…) }), and call middleware.close() for those you discard.`,
  );
}
