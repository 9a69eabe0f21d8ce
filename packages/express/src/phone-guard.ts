import {
  createHttpAdapter,
  type Decision,
  type HttpCheckResult,
  type NodeRequestReader,
  NodeRequestView,
  type PhoneGuard,
  type PhoneGuardHttpOptions,
} from '@phone-guard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare global {
  // Declaration merging of Express's own open `Request` interface (the one
  // `express-serve-static-core` extends), so `req.phoneGuard` is typed for Express 4 and 5
  // alike without a cast, however the package manager lays out `@types/*`.
  namespace Express {
    interface Request {
      /**
       * The phone-guard decision for this request, set by `phoneGuard()` before the next
       * handler runs. `undefined` on routes without it, on requests `skip` let through and
       * on requests whose method is not checked (GET, HEAD, OPTIONS, TRACE by default).
       */
      phoneGuard?: Decision | undefined;
    }
  }
}

/**
 * Answers a blocked request yourself (block mode only) instead of the built-in
 * `application/problem+json` response. May be async; a rejection goes to `next(err)`.
 */
export type ExpressOnBlocked = (
  req: Request,
  res: Response,
  next: NextFunction,
  decision: Decision,
) => unknown;

/**
 * Options of {@link phoneGuard}: every `createPhoneGuard` option (or a shared `guard`,
 * then with an optional per-route `policy` and `failMode`), plus `field`, `query`,
 * `getPhone`, `countryField`, `getCountry`, `getLastVerifiedAt`, `methods`, `useCase`,
 * `mode` (`'block'`, `'shadow'`, `'annotate'`), `rejectInvalid`, `enforce`, `route`,
 * `skip` and `onBlocked`. See the README for each option and its default.
 */
export type PhoneGuardExpressOptions = PhoneGuardHttpOptions<Request, ExpressOnBlocked>;

/** The middleware: an Express `RequestHandler` that also exposes its guard. */
export type PhoneGuardMiddleware = RequestHandler & {
  /** The guard this middleware uses (for `stats()`). */
  readonly guard: PhoneGuard;
  /** Closes the guard if this middleware created it; a shared `guard` is left open. */
  close(): Promise<void>;
};

/** How the core reads Express's request: one constant object, no closure per request. */
const READER: NodeRequestReader<Request> = {
  body: (req) => req.body,
  query: (req) => req.query,
  // The pattern of the route being dispatched (`'/signup'`), set when the middleware is
  // mounted on a route; never `req.path`.
  route: (req) => (req.route as { path?: unknown } | undefined)?.path,
};

const INFO = {
  name: '@phone-guard/express',
  bodyParserHint: 'app.use(express.json()) and/or app.use(express.urlencoded())',
};

/**
 * Express middleware (Express 4 and 5) that checks the request's phone number with
 * phone-guard. The decision lands on `req.phoneGuard`; in block mode a blocked request
 * is answered `application/problem+json` (422 invalid, 403 blocked, 503 look-up failed
 * while failing closed). GET, HEAD, OPTIONS and TRACE requests pass unchecked unless
 * `methods` names them. Unexpected errors go to `next(err)`. Options are validated here,
 * once; unknown keys throw `PhoneGuardOptionError`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { phoneGuard } from '@phone-guard/express';
 *
 * const app = express();
 * app.post('/signup', express.json(), phoneGuard({ useCase: 'BACS' }), (req, res) => {
 *   res.status(201).json({ phone: req.phoneGuard?.phone?.e164 });
 * });
 * ```
 */
export function phoneGuard(options?: PhoneGuardExpressOptions): PhoneGuardMiddleware {
  const adapter = createHttpAdapter<Request, ExpressOnBlocked>(options, INFO);
  const apply = (req: Request, res: Response, next: NextFunction, result: HttpCheckResult) => {
    if (result.kind === 'skip') return next();
    if (result.kind === 'aborted') return;
    req.phoneGuard = result.decision;
    if (result.kind === 'next') return next();
    if (adapter.onBlocked) return adapter.onBlocked(req, res, next, result.decision);
    res.status(result.response.status).set(result.response.headers).send(result.response.body);
  };
  const middleware: RequestHandler = (req, res, next) => {
    const view = new NodeRequestView(req, req, res, READER);
    let result: HttpCheckResult | Promise<HttpCheckResult>;
    try {
      result = adapter.run(req, view);
    } catch (error) {
      next(error);
      return;
    }
    if (result instanceof Promise) {
      result.then((r) => apply(req, res, next, r)).catch(next);
      return;
    }
    // Answered without I/O (a cache hit or invalid input): no promise on this path. An
    // onBlocked that returns a promise still has its rejection sent to next().
    let out: unknown;
    try {
      out = apply(req, res, next, result);
    } catch (error) {
      next(error);
      return;
    }
    if (out instanceof Promise) out.catch(next);
  };
  return Object.assign(middleware, { guard: adapter.guard, close: adapter.close });
}
