/**
 * Everything the HTTP framework adapters (`@phone-guard/express`, `@phone-guard/koa`)
 * share: option validation, building or accepting the guard, finding the phone number in
 * a request, cancelling the look-up when the client goes away, and turning a blocking
 * decision into an RFC 9457 `application/problem+json` answer. An adapter only converts
 * its framework's request in and the result out (connect-es style); no decision is made
 * there. Nothing here imports a framework: `Req` is whatever the framework hands to its
 * middleware (Express `req`, Koa `ctx`).
 */
import { getEventListeners } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CheckOptions } from '../guard/check-options.js';
import { createPhoneGuard, type PhoneGuard } from '../guard/create-guard.js';
import type { PhoneGuardOptions } from '../guard/options.js';
import type { Decision, DecisionReason } from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import { type Logger, USE_CASES, type UseCase } from '../model/types.js';
import { type PolicyOption, resolvePolicy } from '../policy/policy.js';

/** `'block'` answers blocked requests itself; `'annotate'` only records the decision. */
export type PhoneGuardMode = 'block' | 'annotate';

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
   * from the parsed body first, then from the query string. Only own properties are
   * followed; a path whose parts are `__proto__`, `constructor` or `prototype` is
   * refused. Cannot be combined with `getPhone`.
   * @default 'phone'
   */
  field?: string | undefined;
  /**
   * Reads the phone number from the request yourself (may return a promise). Whatever it
   * returns is validated like user input. Replaces `field`.
   * @default undefined (read `field`)
   */
  getPhone?: ((req: Req) => unknown) | undefined;
  /**
   * The Telesign use case of this route (`'BACS'` signup, `'PWRT'` password reset, …).
   * @default undefined (the guard's default)
   */
  useCase?: UseCase | undefined;
  /**
   * `'block'` answers a blocked request with `application/problem+json` (or calls
   * `onBlocked`); `'annotate'` never blocks and only records the decision for the
   * route to act on.
   * @default 'block'
   */
  mode?: PhoneGuardMode | undefined;
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

/**
 * The widest callable (any function is assignable to it); each framework adapter narrows
 * it to its own `onBlocked` signature.
 */
export type AnyFunction = (...args: never[]) => unknown;

/** What an adapter reads from its framework's request for {@link HttpAdapter.run}. */
export interface HttpRequestView {
  /** The parsed body, or `undefined` when no body parser ran. Called at most once. */
  body(): unknown;
  /** The parsed query string. Called at most once, and only when the body lacks the field. */
  query(): unknown;
  /** Node's request (to see whether a body was sent, and whether the client left). */
  readonly req: IncomingMessage;
  /** Node's response (its `close` event tells a client that disconnected). */
  readonly res: ServerResponse;
}

/** An RFC 9457 problem details object, as the built-in block response sends it. */
export interface PhoneGuardProblem {
  /** A URI naming the kind of problem, e.g. `urn:phone-guard:problem:phone-blocked`. */
  type: string;
  /** A short, fixed summary of the kind of problem. */
  title: string;
  /** The HTTP status: 422 invalid number, 403 blocked by policy, 503 no verdict (look-up or policy failed). */
  status: 403 | 422 | 503;
  /** A human-readable explanation; never contains the phone number. */
  detail: string;
  /** The first reason of the decision (`PHONE_INVALID`, `SUBSCRIBER_DISCONNECTED` …). */
  code: DecisionReason;
  /** Every reason of the decision. */
  reasons: DecisionReason[];
  /** For 422 only: why the input is not a number (`PHONE_MISSING`, `PHONE_NOT_STRING` …). */
  errorCode?: string;
}

/** A ready-to-send HTTP answer for a blocking decision. */
export interface PhoneGuardProblemResponse {
  /** The HTTP status (same as `problem.status`). */
  status: 403 | 422 | 503;
  /** Headers to set: `content-type: application/problem+json; charset=utf-8`, `cache-control: no-store`. */
  headers: Readonly<Record<string, string>>;
  /** The problem details object. */
  problem: PhoneGuardProblem;
  /** `problem` serialised as JSON. */
  body: string;
}

/** The outcome of {@link HttpAdapter.run}, for the adapter to translate. */
export type HttpCheckResult =
  /** `skip` said so: call the next middleware, record nothing. */
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

/** Describes the framework, for the messages the shared code writes. */
export interface HttpAdapterInfo {
  /** The package, e.g. `'@phone-guard/express'`. */
  readonly name: string;
  /** How to add a body parser in this framework, e.g. `'app.use(express.json())'`. */
  readonly bodyParserHint: string;
}

/** The shared half of an adapter's middleware, created once per `phoneGuard()` call. */
export interface HttpAdapter<Req, OnBlocked extends AnyFunction = AnyFunction> {
  /** The guard in use: the shared one, or the one the middleware created. */
  readonly guard: PhoneGuard;
  /** The custom block response, if any. */
  readonly onBlocked: OnBlocked | undefined;
  /**
   * Checks one request. Answers synchronously when the decision needs no I/O (a cache
   * hit or invalid input, without `skip` or `getPhone`), so that such requests cost no
   * promise, timer or abort signal; otherwise returns a promise. Throws or rejects only on
   * unexpected errors (a throwing `skip`, `getPhone` …).
   */
  run(request: Req, view: HttpRequestView): HttpCheckResult | Promise<HttpCheckResult>;
  /** Closes the guard if the middleware created it; does nothing for a shared guard. */
  close(): Promise<void>;
}

/** Guard options that still make sense next to a shared `guard` (applied per check). */
const PER_CHECK_KEYS = new Set(['failMode', 'logger', 'policy']);
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_FIELD_LENGTH = 256;

/**
 * Validates an adapter's options once and returns the shared half of its middleware.
 * Throws {@link PhoneGuardOptionError} for unknown keys and impossible values (and lets
 * `createPhoneGuard` validate its own options). Never mutates `options`.
 *
 * @example
 * ```ts
 * const adapter = createHttpAdapter<Request>(options, {
 *   name: '@phone-guard/express',
 *   bodyParserHint: 'app.use(express.json())',
 * });
 * const result = await adapter.run(req, { body: () => req.body, query: () => req.query, req, res });
 * ```
 */
export function createHttpAdapter<Req, OnBlocked extends AnyFunction = AnyFunction>(
  options: PhoneGuardHttpOptions<Req, OnBlocked> | undefined,
  info: HttpAdapterInfo,
): HttpAdapter<Req, OnBlocked> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new PhoneGuardOptionError('options', 'must be an object when given');
  }
  const {
    guard: sharedGuard,
    field,
    getPhone,
    useCase,
    mode = 'block',
    skip,
    onBlocked,
    ...guardOptions
  } = options ?? {};

  if (sharedGuard !== undefined && !isGuard(sharedGuard)) {
    throw new PhoneGuardOptionError('guard', 'must be a guard made by createPhoneGuard()');
  }
  if (field !== undefined && getPhone !== undefined) {
    throw new PhoneGuardOptionError('field', 'cannot be combined with getPhone; give one of them');
  }
  const path = parseField(field ?? 'phone');
  checkFunction('getPhone', getPhone);
  checkFunction('skip', skip);
  checkFunction('onBlocked', onBlocked);
  if (useCase !== undefined && !(USE_CASES as readonly unknown[]).includes(useCase)) {
    throw new PhoneGuardOptionError(
      'useCase',
      `must be one of ${USE_CASES.join(', ')}, got ${JSON.stringify(useCase)}`,
    );
  }
  if (mode !== 'block' && mode !== 'annotate') {
    throw new PhoneGuardOptionError(
      'mode',
      `must be 'block' or 'annotate', got ${JSON.stringify(mode)}`,
    );
  }
  const failMode = (guardOptions as { failMode?: unknown }).failMode;
  if (failMode !== undefined && failMode !== 'open' && failMode !== 'closed') {
    throw new PhoneGuardOptionError(
      'failMode',
      `must be 'open' or 'closed', got ${JSON.stringify(failMode)}`,
    );
  }
  const logger = resolveLogger((guardOptions as { logger?: unknown }).logger);
  const routePolicy: unknown = (guardOptions as { policy?: unknown }).policy;
  // Validated here with the guard's own rules and messages, whether it goes to the guard
  // this middleware creates or to each check of a shared guard.
  if (routePolicy !== undefined) resolvePolicy(routePolicy);

  let guard: PhoneGuard;
  let owned: boolean;
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
    owned = false;
  } else {
    guard = createPhoneGuard(guardOptions as PhoneGuardOptions);
    owned = true;
  }

  if (mode === 'annotate' && onBlocked !== undefined) {
    logger.warn(
      `${info.name}: onBlocked is never called in mode 'annotate'; use mode 'block' or remove onBlocked.`,
    );
  }

  const checkOptions: CheckOptions = {};
  if (useCase !== undefined) checkOptions.useCase = useCase;
  if (sharedGuard !== undefined && failMode !== undefined) checkOptions.failMode = failMode;
  if (sharedGuard !== undefined && routePolicy !== undefined) {
    // A rules object is copied as validated, so that a later change to the caller's
    // object can neither slip past validation nor change the route's policy; the copy is
    // one identity, which the guard resolves once.
    checkOptions.policy = (
      typeof routePolicy === 'object' && routePolicy !== null
        ? Object.freeze(structuredClone(routePolicy))
        : routePolicy
    ) as PolicyOption;
  }

  let warnedNoBody = false;
  let closed: Promise<void> | undefined;

  function readPhone(view: HttpRequestView): unknown {
    const body = view.body();
    if (body === undefined && !warnedNoBody && hasRequestBody(view.req.headers)) {
      warnedNoBody = true;
      // Only a plain media type is echoed: the header is client-controlled.
      const type = /^[a-z]+\/[a-z.+-]{1,60}/i.exec(view.req.headers['content-type'] ?? '')?.[0];
      logger.warn(
        `${info.name}: a ${view.req.method ?? ''} request arrived with a body (content-type: ${type ?? 'unknown'}), but no body parser ran before phoneGuard() for it, so "${path.join('.')}" can only be read from the query string. Add a body parser for that content type first (${info.bodyParserHint}) or pass getPhone. This is logged once.`,
      );
    }
    const fromBody = readPhoneField(body, path);
    return fromBody !== undefined ? fromBody : readPhoneField(view.query(), path);
  }

  async function findPhone(request: Req, view: HttpRequestView): Promise<unknown> {
    if (getPhone !== undefined) return await getPhone(request);
    return readPhone(view);
  }

  function toResult(decision: Decision): HttpCheckResult {
    if (mode === 'annotate' || decision.action !== 'block') return { kind: 'next', decision };
    return { kind: 'block', decision, response: decisionToProblem(decision) };
  }

  // The synchronous path needs the guard's checkCached (a guard-like object passed as
  // `guard` may not have it) and no user callback that may be async.
  const checkCached =
    skip === undefined &&
    getPhone === undefined &&
    typeof (guard as Partial<PhoneGuard>).checkCached === 'function'
      ? guard.checkCached.bind(guard)
      : undefined;

  async function runAsync(request: Req, view: HttpRequestView): Promise<HttpCheckResult> {
    if (skip !== undefined && (await skip(request))) return { kind: 'skip' };
    const watch = watchClientDisconnect(view.req, view.res);
    let reusable = false;
    try {
      const input = await findPhone(request, view);
      if (watch.signal.aborted) return { kind: 'aborted' };
      let decision: Decision;
      try {
        decision = await guard.check(input, { ...checkOptions, signal: watch.signal });
      } catch (error) {
        if (watch.signal.aborted) return { kind: 'aborted' };
        throw error;
      }
      if (watch.signal.aborted) return { kind: 'aborted' };
      // A cache hit or refused input never started a look-up, so nothing can still hold
      // the signal: it may serve another request (see watchClientDisconnect).
      reusable = decision.source === 'cache' || decision.reasons.includes('PHONE_INVALID');
      return toResult(decision);
    } finally {
      watch.release(reusable);
    }
  }

  return {
    guard,
    onBlocked,
    run(request, view) {
      if (checkCached !== undefined) {
        const decision = checkCached(readPhone(view), checkOptions);
        if (decision !== undefined) return toResult(decision);
      }
      return runAsync(request, view);
    },
    close() {
      if (!owned) return Promise.resolve();
      closed ??= Promise.resolve(guard.close());
      return closed;
    },
  };
}

function isGuard(value: unknown): value is PhoneGuard {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { check?: unknown }).check === 'function'
  );
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new PhoneGuardOptionError(name, `must be a function, got ${typeof value}`);
  }
}

const SILENT: Logger = { warn() {}, error() {} };

function resolveLogger(logger: unknown): Logger {
  if (logger === undefined) return console;
  if (logger === false) return SILENT;
  if (
    typeof logger !== 'object' ||
    logger === null ||
    typeof (logger as Logger).warn !== 'function' ||
    typeof (logger as Logger).error !== 'function'
  ) {
    throw new PhoneGuardOptionError(
      'logger',
      'must have warn() and error() methods (console and pino loggers fit), or be false',
    );
  }
  return logger as Logger;
}

/**
 * Splits a `field` option (`'phone'`, `'user.phone'`) into its parts, refusing empty
 * parts and the names that lead into prototypes. Throws {@link PhoneGuardOptionError}.
 *
 * @example parsePhoneField('user.phone') // ['user', 'phone']
 */
export function parsePhoneField(field: unknown): readonly string[] {
  return parseField(field);
}

function parseField(field: unknown): readonly string[] {
  if (typeof field !== 'string' || field === '' || field.length > MAX_FIELD_LENGTH) {
    throw new PhoneGuardOptionError(
      'field',
      `must be a non-empty string of at most ${MAX_FIELD_LENGTH} characters, such as 'phone' or 'user.phone'`,
    );
  }
  const parts = field.split('.');
  for (const part of parts) {
    if (part === '') {
      throw new PhoneGuardOptionError('field', `has an empty part: ${JSON.stringify(field)}`);
    }
    if (UNSAFE_SEGMENTS.has(part)) {
      throw new PhoneGuardOptionError('field', `must not contain "${part}"`);
    }
  }
  return Object.freeze(parts);
}

/**
 * Reads a phone field from a parsed body or query object, safely: only own properties
 * are followed (never the prototype chain), and non-objects yield `undefined`. When the
 * nested path is absent, a flat key spelled like the whole path (`'user.phone'`, as
 * some query-string parsers produce) is tried.
 *
 * @example readPhoneField({ user: { phone: '+14155552671' } }, ['user', 'phone']) // '+14155552671'
 */
export function readPhoneField(source: unknown, path: readonly string[]): unknown {
  const nested = readOwnPath(source, path);
  if (nested !== undefined || path.length < 2) return nested;
  return readOwnPath(source, [path.join('.')]);
}

function readOwnPath(source: unknown, path: readonly string[]): unknown {
  let value: unknown = source;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function hasRequestBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  if (length !== undefined) return length.trim() !== '' && Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

/**
 * Idle controllers whose signal was never aborted and has no listener left. Node 20 makes
 * every AbortController cost several microseconds (mostly garbage collection), more than a
 * whole cached check, so signals that provably went unused are handed to the next request.
 */
const idleControllers: AbortController[] = [];
const MAX_IDLE_CONTROLLERS = 256;

/** What {@link watchClientDisconnect} returns. */
export interface ClientDisconnectWatch {
  /** Aborted when the client disconnects before the response was sent. */
  readonly signal: AbortSignal;
  /**
   * Stops watching. Pass `reusable: true` only when nothing can still hold `signal` (the
   * check was answered from the cache or refused the input before any look-up); the
   * signal is then recycled for a later request if it is unaborted and has no listeners.
   */
  release(reusable?: boolean): void;
}

/**
 * An AbortSignal that fires when the client disconnects before the response was sent,
 * so a look-up nobody waits for any more is cancelled. Watches the response's `close`
 * event (the request's own `close` fires as soon as its body was read).
 *
 * @example
 * ```ts
 * const watch = watchClientDisconnect(req, res);
 * try { await guard.check(phone, { signal: watch.signal }); } finally { watch.release(); }
 * ```
 */
export function watchClientDisconnect(
  req: IncomingMessage,
  res: ServerResponse,
): ClientDisconnectWatch {
  const controller = idleControllers.pop() ?? new AbortController();
  const { signal } = controller;
  const onClose = (): void => {
    if (!res.writableEnded) controller.abort();
  };
  if (req.socket?.destroyed === true && !res.writableEnded) {
    controller.abort();
    return { signal, release() {} };
  }
  res.on('close', onClose);
  return {
    signal,
    release(reusable = false) {
      res.off('close', onClose);
      if (
        reusable &&
        !signal.aborted &&
        idleControllers.length < MAX_IDLE_CONTROLLERS &&
        getEventListeners(signal, 'abort').length === 0
      ) {
        idleControllers.push(controller);
      }
    },
  };
}

const PROBLEM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/problem+json; charset=utf-8',
  'cache-control': 'no-store',
});

const BLOCK_DETAILS: Partial<Record<DecisionReason, string>> = {
  SUBSCRIBER_DISCONNECTED: 'This phone number is no longer in service.',
  DEVICE_UNREACHABLE: 'This phone number cannot be reached right now.',
  DEVICE_UNAVAILABLE: 'The reachability of this phone number is not known.',
  ROAMING: 'This phone number is roaming abroad.',
  ROAMING_COUNTRY_NOT_ALLOWED: 'This phone number is roaming in a country that is not accepted.',
  RISKY_PHONE_TYPE: 'This type of phone number is not accepted.',
  STATUS_UNKNOWN: 'The status of this phone number could not be confirmed.',
};

/**
 * Turns a blocking decision into an RFC 9457 `application/problem+json` answer:
 * 422 for an invalid number (`PHONE_INVALID`), 503 when no verdict could be had and the
 * guard fails closed (`LOOKUP_FAILED`, or any other decision that carries an error, such
 * as `POLICY_ERROR`; `code` is then the first reason, or `LOOKUP_FAILED` when there is
 * none), 403 for a number the policy blocks. The body
 * never contains the phone number. Useful in a custom `onBlocked`.
 *
 * @example
 * ```ts
 * const { status, headers, body } = decisionToProblem(decision);
 * res.writeHead(status, headers).end(body);
 * ```
 */
export function decisionToProblem(decision: Decision): PhoneGuardProblemResponse {
  const reasons = [...decision.reasons];
  let problem: PhoneGuardProblem;
  if (reasons.includes('PHONE_INVALID')) {
    problem = {
      type: 'urn:phone-guard:problem:invalid-phone',
      title: 'Invalid phone number',
      status: 422,
      detail: decision.error?.message ?? 'This is not a valid phone number.',
      code: reasons[0] ?? 'PHONE_INVALID',
      reasons,
      errorCode: decision.error?.code ?? 'PHONE_INVALID',
    };
  } else if (reasons.includes('LOOKUP_FAILED') || decision.error !== null) {
    // No verdict could be had: the look-up failed, or the policy did (`POLICY_ERROR`).
    problem = {
      type: 'urn:phone-guard:problem:lookup-unavailable',
      title: 'Phone number check unavailable',
      status: 503,
      detail: 'The phone number could not be checked right now. Please try again later.',
      code: reasons[0] ?? 'LOOKUP_FAILED',
      reasons,
    };
  } else {
    const code = reasons[0] ?? 'STATUS_UNKNOWN';
    problem = {
      type: 'urn:phone-guard:problem:phone-blocked',
      title: 'Phone number not accepted',
      status: 403,
      detail: BLOCK_DETAILS[code] ?? 'This phone number is not accepted here.',
      code,
      reasons,
    };
  }
  return {
    status: problem.status,
    headers: PROBLEM_HEADERS,
    problem,
    body: JSON.stringify(problem),
  };
}
