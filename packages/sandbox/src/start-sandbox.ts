/**
 * The sandbox server: a local HTTP look-alike of Telesign Phone ID Live
 * (`GET /v1/phoneid/live/{number}?ucid=CODE`) with Telesign's authentication, envelopes,
 * test numbers and transport faults.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { USE_CASES } from '@phone-guard/core';
import { createAuthenticator } from './auth.js';
import { errorEnvelope, type LiveProfile, notFoundEnvelope, successEnvelope } from './envelope.js';
import { MALFORMED_JSON_BODY, NO_ENVELOPE_BODY, oversizedBody } from './fault-bodies.js';
import { resolveSandboxOptions, type SandboxOptions } from './options.js';
import { createRepeatWindow } from './repeat-window.js';
import type { SandboxOutcome, SandboxRequest } from './sandbox-request.js';
import {
  FAULT_SUCCESS_PROFILE,
  type SandboxFault,
  SCENARIOS_BY_DIGITS,
  type Scenario,
} from './scenarios.js';
import { syntheticScenario } from './synthetic.js';

/** A running sandbox. */
export interface Sandbox {
  /** Base URL to give a Telesign client, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** The port listened on (the one picked when `port` was 0). */
  readonly port: number;
  /** The interface listened on. */
  readonly host: string;
  /**
   * Every request served since start or the last `reset()`, oldest first (at most
   * `maxRecordedRequests`). Secrets are never recorded.
   */
  readonly requests: SandboxRequest[];
  /**
   * Forgets all state: the request log, the `faultFlaky` counters, the repeat-window
   * history and the remembered nonces.
   */
  reset(): void;
  /**
   * Stops listening and destroys every open connection, hung ones included; resolves
   * once the server is closed. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

const LIVE_PATH = /^\/v1\/phoneid\/live\/([^/]*)$/;
const DIGITS = /^\d{6,15}$/;
const USE_CASE_SET: ReadonlySet<string> = new Set(USE_CASES);
const FLAKY_FAILURES = 2;

/**
 * Starts a sandbox server and resolves once it is listening.
 *
 * Options are validated first (unknown keys and impossible values throw
 * `PhoneGuardOptionError`); a listen error (e.g. `EADDRINUSE`) rejects the promise.
 *
 * @example
 * ```ts
 * import { startSandbox, SANDBOX_CUSTOMER_ID, SANDBOX_API_KEY, TEST_NUMBERS } from '@phone-guard/sandbox';
 *
 * const sandbox = await startSandbox();
 * const client = createTelesignClient({
 *   baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY,
 * });
 * await client.getLiveStatus(TEST_NUMBERS.disconnected); // subscriberStatus 'DISCONNECTED'
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options?: SandboxOptions): Promise<Sandbox> {
  const o = resolveSandboxOptions(options);
  const authenticator = createAuthenticator(o);
  const requests: SandboxRequest[] = [];
  const flakyCounts = new Map<string, number>();
  const repeats = createRepeatWindow(o.repeatWindowMs);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let oversized: Buffer | undefined;

  const referenceId = () => randomBytes(16).toString('hex').toUpperCase();

  /** Runs `fn` after `ms`, unless the response closes or the sandbox closes first. */
  function later(ms: number, res: ServerResponse, fn: () => void): void {
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
  }

  function sendJson(
    res: ServerResponse,
    record: SandboxRequest,
    httpStatus: number,
    body: string | Buffer,
    outcome: SandboxOutcome,
    telesignCode: number | null = null,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    record.httpStatus = httpStatus;
    record.telesignCode = telesignCode;
    record.outcome = outcome;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(httpStatus, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  function sendError(
    res: ServerResponse,
    record: SandboxRequest,
    httpStatus: number,
    code: number | null,
    description: string,
    outcome: SandboxOutcome,
    statusCode: 500 | 501 = 500,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    const body = JSON.stringify(
      errorEnvelope(code, description, referenceId(), o.now(), statusCode),
    );
    sendJson(res, record, httpStatus, body, outcome, code, headers);
  }

  function sendLive(
    res: ServerResponse,
    record: SandboxRequest,
    digits: string,
    profile: LiveProfile,
  ): void {
    repeats.record(digits, o.now());
    sendJson(
      res,
      record,
      200,
      JSON.stringify(successEnvelope(digits, profile, referenceId(), o.now())),
      'live',
    );
  }

  function sendNotFound(
    res: ServerResponse,
    record: SandboxRequest,
    digits: string,
    profile: LiveProfile,
    outcome: 'not-found' | 'repeat-not-found',
  ): void {
    const body = JSON.stringify(notFoundEnvelope(digits, profile, referenceId(), o.now()));
    sendJson(res, record, 200, body, outcome, -60001);
  }

  function answer(
    res: ServerResponse,
    record: SandboxRequest,
    digits: string,
    scenario: Scenario,
  ): void {
    switch (scenario.kind) {
      case 'error':
        sendError(
          res,
          record,
          scenario.httpStatus,
          scenario.code,
          scenario.description,
          'error',
          scenario.statusCode,
          scenario.headers,
        );
        return;
      case 'fault':
        fault(res, record, digits, scenario.fault);
        return;
      case 'live':
      case 'not-found': {
        if (o.failureRate > 0 && o.random() < o.failureRate) {
          sendError(
            res,
            record,
            503,
            -90001,
            'System unavailable, please try again later.',
            'injected-failure',
          );
          return;
        }
        if (scenario.kind === 'not-found') {
          sendNotFound(res, record, digits, scenario.profile, 'not-found');
          return;
        }
        if (repeats.isRepeat(digits, o.now())) {
          sendNotFound(res, record, digits, scenario.profile, 'repeat-not-found');
          return;
        }
        sendLive(res, record, digits, scenario.profile);
        return;
      }
    }
  }

  function fault(
    res: ServerResponse,
    record: SandboxRequest,
    digits: string,
    kind: SandboxFault,
  ): void {
    const socket = res.socket;
    switch (kind) {
      case 'hang':
        // Never answer; close() or the client's own timeout ends it.
        record.outcome = 'fault-hang';
        return;
      case 'slow':
        record.outcome = 'fault-slow';
        later(o.slowMs, res, () => {
          repeats.record(digits, o.now());
          const body = JSON.stringify(
            successEnvelope(digits, FAULT_SUCCESS_PROFILE, referenceId(), o.now()),
          );
          sendJson(res, record, 200, body, 'fault-slow');
        });
        return;
      case 'malformed-json':
        sendJson(res, record, 200, MALFORMED_JSON_BODY, 'fault-malformed-json');
        return;
      case 'no-envelope':
        sendJson(res, record, 200, NO_ENVELOPE_BODY, 'fault-no-envelope');
        return;
      case 'oversized':
        oversized ??= oversizedBody(digits, FAULT_SUCCESS_PROFILE, referenceId(), o.now());
        sendJson(res, record, 200, oversized, 'fault-oversized');
        return;
      case 'truncated': {
        const body = JSON.stringify(
          successEnvelope(digits, FAULT_SUCCESS_PROFILE, referenceId(), o.now()),
        );
        record.httpStatus = 200;
        record.outcome = 'fault-truncated';
        if (!socket || socket.destroyed) return;
        // Written on the raw socket: Node would refuse a body shorter than Content-Length.
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n' +
            `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n` +
            body.slice(0, Math.floor(body.length / 2)),
        );
        socket.end();
        return;
      }
      case 'reset':
        record.outcome = 'fault-reset';
        if (socket && !socket.destroyed) {
          if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
          else socket.destroy();
        }
        return;
      case 'flaky': {
        const count = flakyCounts.get(digits) ?? 0;
        flakyCounts.set(digits, count + 1);
        if (count < FLAKY_FAILURES) {
          sendError(
            res,
            record,
            503,
            -90001,
            'System unavailable, please try again later.',
            'fault-flaky',
          );
          return;
        }
        sendLive(res, record, digits, FAULT_SUCCESS_PROFILE);
        return;
      }
    }
  }

  function handle(
    req: IncomingMessage,
    res: ServerResponse,
    record: SandboxRequest,
    url: URL,
  ): void {
    const route = LIVE_PATH.exec(url.pathname);
    if (!route) {
      sendError(res, record, 404, -40004, 'Resource not found', 'unknown-resource');
      return;
    }
    if (record.method !== 'GET') {
      sendError(res, record, 405, -40005, 'Method not allowed', 'method-not-allowed', 500, {
        allow: 'GET',
      });
      return;
    }
    const segment = route[1] ?? '';
    if (DIGITS.test(segment)) record.digits = segment;
    const verdict = authenticator.authenticate({
      method: record.method,
      resource: url.pathname,
      headers: req.headers,
      body: '',
    });
    record.authScheme = verdict.scheme;
    if (!verdict.ok) {
      sendError(
        res,
        record,
        401,
        verdict.code,
        verdict.description,
        'auth-error',
        verdict.statusCode,
      );
      return;
    }
    if (record.digits === null) {
      sendError(
        res,
        record,
        400,
        -10001,
        'Invalid Request: complete_phone_number must be 6 to 15 digits (country code included, no "+")',
        'invalid-request',
      );
      return;
    }
    const ucid = url.searchParams.get('ucid');
    if (ucid === null || !USE_CASE_SET.has(ucid)) {
      sendError(
        res,
        record,
        400,
        -10001,
        `Invalid Request: ucid ${ucid === null ? 'is missing' : 'is not a supported use case'} (one of ${USE_CASES.join(', ')})`,
        'invalid-request',
      );
      return;
    }
    const row = SCENARIOS_BY_DIGITS.get(segment);
    record.testNumber = row?.name ?? null;
    answer(res, record, segment, row?.scenario ?? syntheticScenario(segment));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const ucid = url.searchParams.get('ucid');
    const record: SandboxRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      digits: null,
      ucid: ucid === null ? null : ucid.slice(0, 32),
      authScheme: 'none',
      testNumber: null,
      httpStatus: null,
      telesignCode: null,
      outcome: 'pending',
      at: o.now(),
    };
    if (o.maxRecordedRequests > 0) {
      requests.push(record);
      if (requests.length > o.maxRecordedRequests) requests.shift();
    }
    // The body is never used (GET); drain it so keep-alive connections stay usable.
    req.resume();
    later(o.latencyMs, res, () => handle(req, res, record, url));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A malformed request line or a client reset must not crash anything.
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(o.port, o.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : o.port;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host: o.host,
    requests,
    reset() {
      requests.length = 0;
      flakyCounts.clear();
      repeats.clear();
      authenticator.reset();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}
