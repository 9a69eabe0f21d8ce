/**
 * The options of an adapter's `phoneGuard()` and their validation: checked once, when
 * the middleware is created, with the shared option vocabulary (options/checks.ts).
 * Builds the guard (or accepts a shared one) and the per-check options every request
 * passes to it.
 */
import type { CheckMode, CheckOptions } from '../guard/check-options.js';
import { createPhoneGuard, type PhoneGuard } from '../guard/create-guard.js';
import type { PhoneGuardOptions } from '../guard/options.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import { type Logger, USE_CASES, type UseCase } from '../model/types.js';
import { booleanOption, describe, enumOption, functionOption } from '../options/checks.js';
import { type PolicyOption, resolvePolicy } from '../policy/policy.js';
import { parseFieldPath } from './fields.js';
import {
  enforceOption,
  exclusive,
  frozenPolicy,
  isGuard,
  methodFilter,
  resolveLogger,
  routeOption,
} from './option-values.js';
import { warnOnce } from './warnings.js';

/**
 * `'block'` answers blocked requests itself; `'annotate'` only records the decision;
 * `'shadow'` records it and counts what block mode would have refused, without refusing.
 */
export type PhoneGuardMode = CheckMode;

/**
 * The widest callable (any function is assignable to it); each framework adapter narrows
 * it to its own `onBlocked` signature.
 */
export type AnyFunction = (...args: never[]) => unknown;

/**
 * The options of an adapter's `phoneGuard()`, whatever the framework: either the options
 * of `createPhoneGuard` (the middleware then builds, owns and closes its own guard) or a
 * shared `guard`, plus the per-route options below. `Req` is the framework's request
 * (Express `req`, Koa `ctx`); `OnBlocked` the framework's custom-response callback.
 */
export interface PhoneGuardHttpOptions<Req, OnBlocked extends AnyFunction = AnyFunction>
  extends PhoneGuardOptions {
  /**
   * A guard shared by several routes (one cache, one Telesign client). When given, the
   * `createPhoneGuard` options must not be (configure the shared guard instead), except
   * `policy` and `failMode`, which then apply to this route only, and `logger`, which
   * then receives this middleware's own warnings. The middleware never closes a guard it
   * was given.
   * @default undefined (the middleware creates its own guard from the other options)
   */
  guard?: PhoneGuard | undefined;
  /**
   * `'signup'`, `'passwordReset'`, a rules object or a function. Without `guard`, the
   * policy of the guard the middleware creates. With a shared `guard`, the policy of this
   * route only, passed to every `check()` (the guard's cache, budget, breaker and Telesign
   * client stay shared; a number looked up for one route is not looked up again for
   * another). Either way it is validated here, at construction, and a rules object is
   * copied then (later changes to it are not seen). The route's use case then follows
   * this policy (`PWRT` for `'passwordReset'`) unless `useCase` is given.
   * @default the guard's policy (`'signup'` for a guard the middleware creates)
   */
  policy?: PolicyOption | undefined;
  /**
   * Where the phone number is: a property name or a dotted path (`'user.phone'`), read
   * from the parsed body (then from the query string, with `query: true`). Only own
   * properties are followed; a path whose parts are `__proto__`, `constructor` or
   * `prototype` is refused. Cannot be combined with `getPhone`.
   * @default 'phone'
   */
  field?: string | undefined;
  /**
   * Also read `field` and `countryField` from the query string when the body lacks them.
   * Off by default: numbers in URLs end up in access logs, proxies and browser history.
   * @default false (the body only)
   */
  query?: boolean | undefined;
  /**
   * Where the request's country is, for numbers written without their country code (a
   * country picker next to the number: `'country'`, `'address.country'`): a dotted path
   * like `field`, read from the parsed body (then the query string, with `query: true`)
   * and passed to `check()` as `defaultCountry`. Request data, never trusted:
   * case-insensitive, and an unknown or placeholder value (`XX`, `T1`, `ZZ`, `''`, a
   * non-string) counts as not given, so a national number then answers 422 with
   * `errorCode: 'PHONE_COUNTRY_REQUIRED'` (a `+` number works either way). Cannot be
   * combined with `getCountry`.
   * @default undefined (no request country: the guard's `defaultCountry` applies)
   */
  countryField?: string | undefined;
  /**
   * Returns the request's country yourself (may return a promise), e.g. from the user's
   * profile or a header your own edge sets. Treated like `countryField`'s value. If it
   * throws or rejects, the check runs without a request country (never a 500, never
   * unchecked) and warning `PG_GET_COUNTRY_FAILED` is logged once. Headers such as
   * `CF-IPCountry` can be trusted only when every request reaches you through Cloudflare;
   * otherwise any client can set them. Cannot be combined with `countryField`.
   * @default undefined (read `countryField`, if given)
   */
  getCountry?: ((req: Req) => unknown) | undefined;
  /**
   * When the user last proved they own this number (received a code on it, or registered
   * it): a `Date`, an ISO 8601 string or epoch milliseconds (may return a promise; `null`
   * or `undefined` when unknown). Passed to `check()` as `lastVerifiedAt`, so that the
   * `passwordReset` policy can tell a number reassigned since then. If it throws,
   * rejects or returns another type, the check runs without it (the reassignment verdict
   * is then unknown, never a 500) and warning `PG_GET_LAST_VERIFIED_AT_FAILED` is logged
   * once.
   * @default undefined (no date: reassignment cannot be judged)
   */
  getLastVerifiedAt?:
    | ((req: Req) => LastVerifiedAt | null | undefined | Promise<LastVerifiedAt | null | undefined>)
    | undefined;
  /**
   * The HTTP methods this middleware checks (case-insensitive). Requests with another
   * method pass unchecked and no decision is recorded, so the middleware can be mounted
   * app-wide without answering health checks, CORS preflights or favicon requests.
   * @default every method except the safe ones (GET, HEAD, OPTIONS, TRACE)
   * @example methods: ['GET', 'POST'] // e.g. a GET look-up route, with `query: true`
   */
  methods?: readonly string[] | undefined;
  /**
   * Reads the phone number from the request yourself (may return a promise). Whatever it
   * returns is validated like user input. Cannot be combined with `field`.
   * @default undefined (read `field`)
   */
  getPhone?: ((req: Req) => unknown) | undefined;
  /**
   * The Telesign use case of this route (`'BACS'` signup, `'PWRT'` password reset, …).
   * @default the route `policy`'s use case when it names one, else the guard's `useCase`
   */
  useCase?: UseCase | undefined;
  /**
   * What the middleware does with a `block` decision:
   * - `'block'` answers it with `application/problem+json` (or calls `onBlocked`);
   * - `'shadow'`, for a rollout, lets it through to the route (decision recorded as
   *   usual) and counts it as "would have blocked": in the guard's `stats().wouldBlock`,
   *   by first reason, and on the `decision` channel as `mode: 'shadow'` with the real
   *   action and reasons. Invalid input is still answered 422 (see `rejectInvalid`);
   * - `'annotate'` lets every request through, **invalid numbers included**, and only
   *   records the decision for the route to act on.
   *
   * Every decision event of the middleware carries its mode.
   * @default 'block'
   */
  mode?: PhoneGuardMode | undefined;
  /**
   * Whether a request whose number is not usable (missing, malformed, a country not
   * allowed: reason `PHONE_INVALID`) is answered 422 (or given to `onBlocked`), whatever
   * the mode. A shadow rollout thus keeps validating input; pass `false` to let invalid
   * numbers through too (the route must then check `phone !== null` itself).
   * @default true in 'block' and 'shadow' mode, false in 'annotate' mode
   */
  rejectInvalid?: boolean | undefined;
  /**
   * With `mode: 'shadow'`: the share of numbers, from 0 to 1, enforced as in block mode
   * during a gradual rollout (`0.25`: a quarter of the numbers), the rest staying in
   * shadow. Chosen per number by a hash of its E.164 form, never at random: one number
   * always gets the same answer, in every process, and raising the share keeps enforcing
   * the numbers already enforced. Their decision events say `mode: 'block'`.
   * Only with `mode: 'shadow'`.
   * @default 0 (shadow for every number)
   */
  enforce?: number | undefined;
  /**
   * The route label carried by this middleware's decision events (`route`, OpenTelemetry's
   * `http.route`), so that several routes sharing a guard can be told apart: a route
   * pattern such as `'/signup'`, at most 128 characters. Never the raw URL (each value is
   * a metric series, and raw paths may hold numbers).
   * @default the framework's matched route pattern when there is one (Express
   *   `req.route.path`, Koa `ctx._matchedRoute` from `@koa/router`), else none
   */
  route?: string | undefined;
  /**
   * Return `true` (or a promise of it) to let the request through unchecked; no
   * decision is recorded then.
   * @default undefined (check every request)
   */
  skip?: ((req: Req) => boolean | Promise<boolean>) | undefined;
  /**
   * Answers a blocked request yourself instead of the built-in problem+json response
   * (block mode only).
   * @default undefined (problem+json)
   */
  onBlocked?: OnBlocked | undefined;
}

/** A date as `getLastVerifiedAt` may give it: a `Date`, an ISO 8601 string or epoch milliseconds. */
export type LastVerifiedAt = Date | string | number;

export { SAFE_METHODS } from './option-values.js';

/** Describes the framework, for the messages the shared code writes. */
export interface HttpAdapterInfo {
  /** The package, e.g. `'@phone-guard/express'`. */
  readonly name: string;
  /** How to add a body parser in this framework, e.g. `'app.use(express.json())'`. */
  readonly bodyParserHint: string;
}

/** The validated options of one middleware. */
export interface ResolvedHttpOptions<Req, OnBlocked extends AnyFunction> {
  /** The guard in use. */
  readonly guard: PhoneGuard;
  /** Whether the middleware created `guard` (and so must close it). */
  readonly owned: boolean;
  /** Where the phone number is read (unless `getPhone`). */
  readonly phonePath: readonly string[];
  /** Where the request's country is read, if anywhere (unless `getCountry`). */
  readonly countryPath: readonly string[] | undefined;
  /** Whether fields may be read from the query string. */
  readonly query: boolean;
  /** Whether a request with this (upper-case) method is checked. */
  readonly checksMethod: (method: string) => boolean;
  /** The `getPhone` option. */
  readonly getPhone: ((req: Req) => unknown) | undefined;
  /** The `getCountry` option. */
  readonly getCountry: ((req: Req) => unknown) | undefined;
  /** The `getLastVerifiedAt` option (its answer is checked per request). */
  readonly getLastVerifiedAt: ((req: Req) => unknown) | undefined;
  /** The `skip` option. */
  readonly skip: ((req: Req) => boolean | Promise<boolean>) | undefined;
  /** The `onBlocked` option. */
  readonly onBlocked: OnBlocked | undefined;
  /** The `mode` option, defaulted. */
  readonly mode: PhoneGuardMode;
  /** The `rejectInvalid` option, defaulted for the mode. */
  readonly rejectInvalid: boolean;
  /** The `enforce` option (0 outside shadow mode). */
  readonly enforce: number;
  /** The `route` option, if given (else each request's matched route). */
  readonly route: string | undefined;
  /** Receives the middleware's warnings. */
  readonly logger: Logger;
  /** What every request passes to `check()` (before its own signal). */
  readonly checkOptions: Readonly<CheckOptions>;
}

/** Guard options that still make sense next to a shared `guard` (applied per check). */
const PER_CHECK_KEYS = new Set(['failMode', 'logger', 'policy']);

/**
 * Validates an adapter's options once and builds (or accepts) its guard. Throws
 * {@link PhoneGuardOptionError} for unknown keys and impossible values; lets
 * `createPhoneGuard` validate its own options. Never mutates `options`.
 */
export function resolveHttpOptions<Req, OnBlocked extends AnyFunction>(
  options: PhoneGuardHttpOptions<Req, OnBlocked> | undefined,
  info: HttpAdapterInfo,
): ResolvedHttpOptions<Req, OnBlocked> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new PhoneGuardOptionError(
      'options',
      `must be an object when given, got ${describe(options)}`,
    );
  }
  const {
    guard: sharedGuard,
    field,
    query,
    countryField,
    getCountry,
    getLastVerifiedAt,
    methods,
    getPhone,
    useCase,
    mode,
    rejectInvalid,
    enforce,
    route: routeLabel,
    skip,
    onBlocked,
    ...guardOptions
  } = options ?? {};

  if (sharedGuard !== undefined && !isGuard(sharedGuard)) {
    throw new PhoneGuardOptionError(
      'guard',
      `must be a guard made by createPhoneGuard(), got ${describe(sharedGuard)}`,
    );
  }
  exclusive('field', field, 'getPhone', getPhone);
  exclusive('countryField', countryField, 'getCountry', getCountry);
  const perCheck = guardOptions as { failMode?: unknown; logger?: unknown; policy?: unknown };
  const resolved = {
    phonePath: parseFieldPath(field ?? 'phone', 'field'),
    countryPath:
      countryField === undefined ? undefined : parseFieldPath(countryField, 'countryField'),
    query: booleanOption(query, 'query', false),
    checksMethod: methodFilter(methods),
    getPhone: functionOption<(req: Req) => unknown>(getPhone, 'getPhone'),
    getCountry: functionOption<(req: Req) => unknown>(getCountry, 'getCountry'),
    getLastVerifiedAt: functionOption<(req: Req) => unknown>(
      getLastVerifiedAt,
      'getLastVerifiedAt',
    ),
    skip: functionOption<(req: Req) => boolean | Promise<boolean>>(skip, 'skip'),
    onBlocked: functionOption<OnBlocked>(onBlocked, 'onBlocked'),
    mode: enumOption<PhoneGuardMode>(mode, 'mode', ['block', 'annotate', 'shadow'], 'block'),
    route: routeOption(routeLabel),
    logger: resolveLogger(perCheck.logger),
  };
  const rollout = {
    rejectInvalid: booleanOption(rejectInvalid, 'rejectInvalid', resolved.mode !== 'annotate'),
    enforce: enforceOption(enforce, resolved.mode),
  };
  if (resolved.query && resolved.getPhone !== undefined && resolved.countryPath === undefined) {
    throw new PhoneGuardOptionError(
      'query',
      'has no effect with getPhone (it applies to field and countryField); remove it',
    );
  }
  const failMode =
    perCheck.failMode === undefined
      ? undefined
      : enumOption(perCheck.failMode, 'failMode', ['open', 'closed'] as const, 'open');
  const route: CheckOptions = { mode: resolved.mode };
  if (rollout.enforce > 0) route.enforce = rollout.enforce;
  if (resolved.route !== undefined) route.route = resolved.route;
  if (useCase !== undefined) route.useCase = enumOption(useCase, 'useCase', USE_CASES, useCase);
  // Validated here with the guard's own rules and messages, whether it goes to the guard
  // this middleware creates or to each check of a shared guard.
  if (perCheck.policy !== undefined) resolvePolicy(perCheck.policy);

  let guard: PhoneGuard;
  if (sharedGuard !== undefined) {
    for (const [key, value] of Object.entries(guardOptions)) {
      if (value !== undefined && !PER_CHECK_KEYS.has(key)) {
        throw new PhoneGuardOptionError(
          key,
          'cannot be combined with guard: configure the shared guard instead (or remove the key if it is a typo)',
        );
      }
    }
    guard = sharedGuard;
    if (failMode !== undefined) route.failMode = failMode;
    if (perCheck.policy !== undefined) route.policy = frozenPolicy(perCheck.policy);
  } else {
    guard = createPhoneGuard(guardOptions as PhoneGuardOptions);
  }

  if (resolved.mode === 'annotate' && !rollout.rejectInvalid && onBlocked !== undefined) {
    warnOnce(
      resolved.logger,
      'PG_ONBLOCKED_UNUSED',
      info.name,
      "onBlocked is never called in mode 'annotate' (without rejectInvalid: true); use mode 'block' or 'shadow', or remove onBlocked.",
    );
  }
  return {
    ...resolved,
    ...rollout,
    guard,
    owned: sharedGuard === undefined,
    checkOptions: Object.freeze(route),
  };
}
