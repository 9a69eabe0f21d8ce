/**
 * What every route of the sandbox shares: one request/response pair (an exchange), the
 * replier that answers it in Telesign's envelopes, and the sandbox's state.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddonScenario } from './addon-scenarios.js';
import type { Authenticator } from './auth.js';
import { errorEnvelope } from './envelope.js';
import type { ResolvedSandboxOptions } from './options.js';
import type { PinStore } from './pins.js';
import type { RepeatWindow } from './repeat-window.js';
import type { Behaviour, SandboxTestNumberName } from './rows.js';
import type { SandboxOutcome, SandboxRequest } from './sandbox-request.js';
import type { Scenario } from './scenarios.js';

/** One request being answered. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Its entry in the request log (completed when answered). */
  readonly record: SandboxRequest;
  readonly url: URL;
  /** The body as received (UTF-8), `''` for none. */
  readonly body: string;
}

/** An HTTP error row's answer. */
export type ErrorScenario = Extract<Scenario | AddonScenario, { kind: 'error' }>;

/** Answers exchanges and keeps the timers of delayed answers. */
export interface Replier {
  /** Runs `fn` after `ms`, unless the response or the sandbox closes first. */
  later(ms: number, res: ServerResponse, fn: () => void): void;
  json(
    ex: Exchange,
    httpStatus: number,
    body: string | Buffer,
    outcome: SandboxOutcome,
    telesignCode?: number | null,
    headers?: Readonly<Record<string, string>>,
  ): void;
  /** Telesign's error envelope. */
  error(
    ex: Exchange,
    httpStatus: number,
    code: number | null,
    description: string,
    outcome: SandboxOutcome,
    statusCode?: 500 | 501,
    headers?: Readonly<Record<string, string>>,
  ): void;
  /** A new `reference_id` (32 upper-case hex digits). */
  referenceId(): string;
  /** Cancels every pending delayed answer. */
  cancelAll(): void;
}

/** Creates a {@link Replier} on the sandbox clock `now`. */
export function createReplier(now: () => number): Replier {
  const timers = new Set<NodeJS.Timeout>();
  const referenceId = () => randomBytes(16).toString('hex').toUpperCase();
  const json: Replier['json'] = (ex, httpStatus, body, outcome, code = null, headers = {}) => {
    ex.record.httpStatus = httpStatus;
    ex.record.telesignCode = code;
    ex.record.outcome = outcome;
    const { res } = ex;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(httpStatus, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };
  return {
    later(ms, res, fn) {
      if (ms <= 0) {
        fn();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
      res.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    },
    json,
    error(ex, httpStatus, code, description, outcome, statusCode = 500, headers = {}) {
      const body = JSON.stringify(
        errorEnvelope(code, description, referenceId(), now(), statusCode),
      );
      json(ex, httpStatus, body, outcome, code, headers);
    },
    referenceId,
    cancelAll() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Sends an error row's answer. */
export function sendErrorScenario(reply: Replier, ex: Exchange, s: ErrorScenario): void {
  reply.error(ex, s.httpStatus, s.code, s.description, 'error', s.statusCode, s.headers);
}

/** A number's behaviour and where it came from. */
export interface ResolvedBehaviour extends Behaviour {
  readonly name: SandboxTestNumberName | null;
  readonly pinned: boolean;
}

/** The state the routes share. */
export interface SandboxContext {
  /** The sandbox's validated options. */
  readonly settings: ResolvedSandboxOptions;
  readonly reply: Replier;
  readonly auth: Authenticator;
  readonly repeats: RepeatWindow;
  readonly pins: PinStore;
  /** Requests per `endpoint:digits` for the `faultFlaky` number. */
  readonly flaky: Map<string, number>;
  /** The 4 MiB `faultOversized` body, built once per endpoint. */
  readonly oversized: Map<string, Buffer>;
  /** What `digits` answers: its pin, else its test row, else the synthetic answer. */
  behaviourOf(digits: string): ResolvedBehaviour;
}

/**
 * Authenticates the exchange (recording the scheme) and answers 401 when that fails.
 * Returns whether the request may go on.
 */
export function authenticate(ctx: SandboxContext, ex: Exchange): boolean {
  const verdict = ctx.auth.authenticate({
    method: ex.record.method,
    resource: ex.url.pathname,
    headers: ex.req.headers,
    body: ex.body,
  });
  ex.record.authScheme = verdict.scheme;
  if (verdict.ok) return true;
  ctx.reply.error(ex, 401, verdict.code, verdict.description, 'auth-error', verdict.statusCode);
  return false;
}

/** Whether `failureRate` turns this normal answer into HTTP 503 -90001 (and sends it). */
export function injectedFailure(ctx: SandboxContext, ex: Exchange): boolean {
  const { settings } = ctx;
  if (settings.failureRate <= 0 || settings.random() >= settings.failureRate) return false;
  ctx.reply.error(
    ex,
    503,
    -90001,
    'System unavailable, please try again later.',
    'injected-failure',
  );
  return true;
}
