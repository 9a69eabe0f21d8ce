import {
  createHttpAdapter,
  type Decision,
  type NodeRequestReader,
  NodeRequestView,
  type PhoneGuard,
  type PhoneGuardHttpOptions,
} from '@phone-guard/core';
import type { Context, Middleware, ParameterizedContext } from 'koa';

/**
 * What `phoneGuard()` adds to `ctx.state`: the decision, for the middleware after it.
 * Optional, because not every request gets one: requests whose method is not checked
 * (GET, HEAD, OPTIONS, TRACE unless `methods` names them) and requests `skip` lets
 * through pass unchecked, with no decision.
 */
export interface PhoneGuardState {
  /**
   * The phone-guard decision for this request. `undefined` on requests that passed
   * unchecked (a method that is not checked, or `skip`) and before the middleware ran.
   */
  phoneGuard?: Decision | undefined;
}

/**
 * Answers a blocked request yourself (block mode only) instead of the built-in
 * `application/problem+json` response, e.g. by setting `ctx.status` and `ctx.body`.
 * May be async; whatever it throws propagates like any Koa middleware error.
 */
export type KoaOnBlocked = (ctx: Context, decision: Decision) => unknown;

/**
 * Options of {@link phoneGuard}: every `createPhoneGuard` option (or a shared `guard`,
 * then with an optional per-route `policy` and `failMode`), plus `field`, `query`,
 * `getPhone`, `countryField`, `getCountry`, `getLastVerifiedAt`, `methods`, `useCase`,
 * `mode` (`'block'`, `'shadow'`, `'annotate'`), `rejectInvalid`, `enforce`, `route`,
 * `skip` and `onBlocked`. See the README for each option and its default.
 */
export type PhoneGuardKoaOptions = PhoneGuardHttpOptions<Context, KoaOnBlocked>;

/**
 * The middleware: a Koa `Middleware` whose `ctx.state` gains the optional `phoneGuard`,
 * and which also exposes its guard.
 */
export type PhoneGuardMiddleware<StateT = PhoneGuardState> = Middleware<StateT> & {
  /** The guard this middleware uses (for `stats()`). */
  readonly guard: PhoneGuard;
  /** Closes the guard if this middleware created it; a shared `guard` is left open. */
  close(): Promise<void>;
};

/** How the core reads Koa's context: one constant object, no closure per request. */
const READER: NodeRequestReader<ParameterizedContext<PhoneGuardState>> = {
  body: (ctx) => (ctx.request as { body?: unknown }).body,
  query: (ctx) => ctx.query,
  // The pattern @koa/router matched (`'/signup'`), when it routes; never `ctx.path`.
  route: (ctx) => (ctx as { _matchedRoute?: unknown })._matchedRoute,
};

const INFO = {
  name: '@phone-guard/koa',
  bodyParserHint: "app.use(bodyParser()) with bodyParser from '@koa/bodyparser'",
};

/**
 * Koa middleware (Koa 2 and 3) that checks the request's phone number with phone-guard.
 * The decision lands on `ctx.state.phoneGuard`; in block mode a blocked request is
 * answered `application/problem+json` (422 invalid, 403 blocked, 503 look-up failed
 * while failing closed). GET, HEAD, OPTIONS and TRACE requests pass unchecked (no
 * decision in `ctx.state`) unless `methods` names them. Unexpected errors are thrown to
 * Koa. Options are validated here, once; unknown keys throw `PhoneGuardOptionError`.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { bodyParser } from '@koa/bodyparser';
 * import { phoneGuard } from '@phone-guard/koa';
 *
 * const app = new Koa();
 * app.use(bodyParser()).use(phoneGuard({ policy: 'signup' })).use((ctx) => {
 *   const decision = ctx.state.phoneGuard; // undefined on a GET, which passed unchecked
 *   if (decision === undefined) return;
 *   ctx.body = { action: decision.action };
 * });
 * ```
 */
export function phoneGuard(options?: PhoneGuardKoaOptions): PhoneGuardMiddleware {
  const adapter = createHttpAdapter<Context, KoaOnBlocked>(options, INFO);
  const middleware = async (
    ctx: ParameterizedContext<PhoneGuardState>,
    next: () => Promise<unknown>,
  ): Promise<unknown> => {
    const view = new NodeRequestView(ctx, ctx.req, ctx.res, READER);
    const result = await adapter.run(ctx as Context, view);
    if (result.kind === 'skip') return next();
    if (result.kind === 'aborted') return;
    ctx.state.phoneGuard = result.decision;
    if (result.kind === 'next') return next();
    if (adapter.onBlocked) return adapter.onBlocked(ctx as Context, result.decision);
    ctx.status = result.response.status;
    ctx.set(result.response.headers);
    ctx.body = result.response.body;
  };
  return Object.assign(middleware, { guard: adapter.guard, close: adapter.close });
}
