/**
 * One small harness per framework for the adapter contract suite. Each mounts
 * `phoneGuard()` the way an application would (body parsers first, then the guard, then a
 * handler that echoes the decision; or app-wide, or — the misuse — once per request) on a real HTTP server on 127.0.0.1, port 0, and
 * translates the framework-neutral hooks of {@link MountOptions} into the framework's own
 * callbacks. Everything else in the suite is shared.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Decision, PhoneGuard } from '@phone-guard/core';
import {
  phoneGuard as expressPhoneGuard,
  type PhoneGuardExpressOptions,
} from '@phone-guard/express';
import { phoneGuard as koaPhoneGuard, type PhoneGuardKoaOptions } from '@phone-guard/koa';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import express4 from 'express4';
import Koa from 'koa';
import Koa2 from 'koa2';

/** The framework-neutral part of the middleware options (what both adapters take alike). */
export type NeutralOptions = Omit<
  PhoneGuardExpressOptions,
  'getPhone' | 'getCountry' | 'getLastVerifiedAt' | 'skip' | 'onBlocked'
>;

/** How one test mounts the middleware. */
export interface MountOptions {
  /** Passed to `phoneGuard()` as they are. */
  options?: NeutralOptions;
  /** Run the framework's JSON and urlencoded body parsers before the guard. @default true */
  bodyParser?: boolean;
  /** Read the phone from this request header, asynchronously, through `getPhone`. */
  phoneHeader?: string;
  /** `skip` (async) lets requests through when this header is present. */
  skipHeader?: string;
  /** A custom `onBlocked` answers 409 `{ custom: true, reasons }`. */
  customBlock?: boolean;
  /** A custom `onBlocked` that rejects with `new Error('onBlocked failed')`. */
  customBlockRejects?: boolean;
  /** `getPhone` throws `new Error('getPhone failed')`. */
  getPhoneThrows?: boolean;
  /** Read the request's country from this header, asynchronously, through `getCountry`. */
  countryHeader?: string;
  /** `getCountry` throws `new TypeError('getCountry failed')`. */
  getCountryThrows?: boolean;
  /** `getLastVerifiedAt` (async) returns this header's value. */
  verifiedAtHeader?: string;
  /** `getLastVerifiedAt` rejects with `new Error('getLastVerifiedAt failed')`. */
  getLastVerifiedAtThrows?: boolean;
  /**
   * Mount the guard app-wide (`app.use`) in front of every route, including
   * `GET /health` (answers `{ ok: true }`), rather than on `/check` only.
   */
  appWide?: boolean;
  /**
   * The misuse: create the middleware inside the `/check` handler, once per request.
   * Needs a shared `options.guard` (so nothing leaks).
   */
  perRequest?: boolean;
  /**
   * Mount the guard on `/check` through the framework's router, so that the matched route
   * pattern is known: Express always does (`app.all('/check', …)`); Koa does with this
   * option, through `@koa/router`, instead of a path test in a plain middleware.
   */
  router?: boolean;
}

/** A mounted application. */
export interface Mounted {
  /** Base URL, e.g. `http://127.0.0.1:40123`; the guarded route is `/check`. */
  url: string;
  /** The middleware's guard. */
  guard: PhoneGuard;
  /** How many requests reached the handler after the guard. */
  reached(): number;
  /** Closes the middleware (its own guard, if any) and the server. */
  close(): Promise<void>;
}

/** One framework under test. */
export interface Harness {
  name: string;
  /** Builds the middleware only (option validation tests). */
  create(options: unknown): { close(): Promise<void> };
  mount(mount: MountOptions): Promise<Mounted>;
}

/** The JSON the handler behind the guard answers with. */
export interface Reached {
  reached: true;
  phoneGuard: Decision | null;
}

async function listen(
  listener: RequestListener,
  middleware: { guard: PhoneGuard; close(): Promise<void> },
  count: () => number,
): Promise<Mounted> {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    guard: middleware.guard,
    reached: count,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await middleware.close();
    },
  };
}

/** What a per-request mount exposes: the shared guard, nothing to close. */
function perRequestHandle(m: MountOptions): { guard: PhoneGuard; close(): Promise<void> } {
  const guard = m.options?.guard;
  if (guard === undefined) throw new Error('perRequest needs options.guard');
  return { guard, close: async () => {} };
}

function expressHarness(name: string, lib: typeof express): Harness {
  const build = (m: MountOptions) => {
    const options: PhoneGuardExpressOptions = { ...m.options };
    const header = m.phoneHeader;
    if (header !== undefined) options.getPhone = async (req) => req.get(header);
    if (m.getPhoneThrows) {
      options.getPhone = () => {
        throw new Error('getPhone failed');
      };
    }
    const skipHeader = m.skipHeader;
    if (skipHeader !== undefined) options.skip = async (req) => req.get(skipHeader) !== undefined;
    if (m.customBlock) {
      options.onBlocked = (_req, res, _next, decision) => {
        res.status(409).json({ custom: true, reasons: decision.reasons });
      };
    }
    if (m.customBlockRejects)
      options.onBlocked = async () => Promise.reject(new Error('onBlocked failed'));
    const countryHeader = m.countryHeader;
    if (countryHeader !== undefined) options.getCountry = async (req) => req.get(countryHeader);
    if (m.getCountryThrows) {
      options.getCountry = () => {
        throw new TypeError('getCountry failed');
      };
    }
    const verifiedAtHeader = m.verifiedAtHeader;
    if (verifiedAtHeader !== undefined) {
      options.getLastVerifiedAt = async (req) => req.get(verifiedAtHeader);
    }
    if (m.getLastVerifiedAtThrows) {
      options.getLastVerifiedAt = () => Promise.reject(new Error('getLastVerifiedAt failed'));
    }
    return expressPhoneGuard(options);
  };
  return {
    name,
    create: (options) => expressPhoneGuard(options as PhoneGuardExpressOptions),
    async mount(m) {
      const middleware = m.perRequest ? undefined : build(m);
      const handler: RequestHandler = middleware ?? ((req, res, next) => build(m)(req, res, next));
      let reached = 0;
      const app = lib();
      if (m.bodyParser !== false) {
        app.use(lib.json(), lib.urlencoded({ extended: true }));
      }
      if (m.appWide) app.use(handler);
      app.get('/health', (_req: Request, res: Response) => {
        res.json({ ok: true });
      });
      app.all('/check', ...(m.appWide ? [] : [handler]), (req: Request, res: Response) => {
        reached += 1;
        const body: Reached = { reached: true, phoneGuard: req.phoneGuard ?? null };
        res.json(body);
      });
      app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
        res.status(500).json({ error: err.message });
      });
      return listen(app, middleware ?? perRequestHandle(m), () => reached);
    },
  };
}

function koaHarness(name: string, Lib: typeof Koa): Harness {
  const build = (m: MountOptions) => {
    const options: PhoneGuardKoaOptions = { ...m.options };
    const header = m.phoneHeader;
    if (header !== undefined) options.getPhone = async (ctx) => ctx.get(header) || undefined;
    if (m.getPhoneThrows) {
      options.getPhone = () => {
        throw new Error('getPhone failed');
      };
    }
    const skipHeader = m.skipHeader;
    if (skipHeader !== undefined) options.skip = async (ctx) => ctx.get(skipHeader) !== '';
    if (m.customBlock) {
      options.onBlocked = (ctx, decision) => {
        ctx.status = 409;
        ctx.body = { custom: true, reasons: decision.reasons };
      };
    }
    if (m.customBlockRejects)
      options.onBlocked = async () => Promise.reject(new Error('onBlocked failed'));
    const countryHeader = m.countryHeader;
    if (countryHeader !== undefined) options.getCountry = async (ctx) => ctx.get(countryHeader);
    if (m.getCountryThrows) {
      options.getCountry = () => {
        throw new TypeError('getCountry failed');
      };
    }
    const verifiedAtHeader = m.verifiedAtHeader;
    if (verifiedAtHeader !== undefined) {
      options.getLastVerifiedAt = async (ctx) => ctx.get(verifiedAtHeader) || undefined;
    }
    if (m.getLastVerifiedAtThrows) {
      options.getLastVerifiedAt = () => Promise.reject(new Error('getLastVerifiedAt failed'));
    }
    return koaPhoneGuard(options);
  };
  return {
    name,
    create: (options) => koaPhoneGuard(options as PhoneGuardKoaOptions),
    async mount(m) {
      const middleware = m.perRequest ? undefined : build(m);
      const handler: Koa.Middleware = middleware ?? ((ctx, next) => build(m)(ctx, next));
      let reached = 0;
      const app = new Lib();
      app.silent = true;
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          ctx.status = 500;
          ctx.body = { error: (err as Error).message };
        }
      });
      if (m.bodyParser !== false) app.use(bodyParser());
      const echo: Koa.Middleware = (ctx) => {
        reached += 1;
        const body: Reached = { reached: true, phoneGuard: ctx.state.phoneGuard ?? null };
        ctx.body = body;
      };
      if (m.router) {
        const router = new Router();
        router.all('/check', handler, echo);
        app.use(router.routes());
      } else {
        app.use(handler).use((ctx, next) => {
          if (ctx.path === '/health' && ctx.method === 'GET') ctx.body = { ok: true };
          if (ctx.path !== '/check') return;
          return echo(ctx, next);
        });
      }
      return listen(app.callback(), middleware ?? perRequestHandle(m), () => reached);
    },
  };
}

/** Express 5, Express 4, Koa 3 and Koa 2. */
export const harnesses: readonly Harness[] = [
  expressHarness('express 5', express),
  expressHarness('express 4', express4),
  koaHarness('koa 3', Koa),
  koaHarness('koa 2', Koa2),
];
