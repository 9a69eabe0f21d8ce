/**
 * The sandbox server: a local HTTP look-alike of Telesign Phone ID Live
 * (`GET /v1/phoneid/live/{number}?ucid=CODE`), Phone ID with the number-deactivation and
 * SIM-swap add-ons (`POST /v1/phoneid/{number}`) and the legacy number-deactivation
 * endpoint, with Telesign's authentication, envelopes, test numbers, pins and faults.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleLegacyDeactivation, handlePhoneId } from './addon-routes.js';
import { ADMIN_PREFIX, handleAdmin } from './admin-route.js';
import { createAuthenticator } from './auth.js';
import { createReplier, type Exchange, type SandboxContext } from './exchange.js';
import { handleLive } from './live-route.js';
import { resolveSandboxOptions, type SandboxLatency, type SandboxOptions } from './options.js';
import { createPinStore, type SandboxPin } from './pins.js';
import { createRepeatWindow } from './repeat-window.js';
import { ROWS_BY_DIGITS, type SandboxPinOutcome } from './rows.js';
import type { SandboxEndpoint, SandboxRequest } from './sandbox-request.js';
import { syntheticAddonScenario, syntheticScenario } from './synthetic.js';

/** A running sandbox. */
export interface Sandbox {
  /** Base URL to give a Telesign client, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** The port listened on (the one picked when `port` was 0). */
  readonly port: number;
  /** The interface listened on. */
  readonly host: string;
  /**
   * Every request to a Telesign endpoint served since start or the last `reset()`, oldest
   * first (at most `maxRecordedRequests`). Secrets are never recorded; admin requests are
   * not recorded.
   */
  readonly requests: SandboxRequest[];
  /**
   * Makes `number` (E.164 or digits) answer like the test number `outcome` on every
   * endpoint until unpinned, e.g. `sandbox.pin('+447400123100', 'disconnected')`. Throws
   * `PhoneGuardOptionError` for a number that is not 6–15 digits or an unknown outcome.
   */
  pin(number: string, outcome: SandboxPinOutcome): SandboxPin;
  /** Removes the pin of `number`; returns whether there was one. */
  unpin(number: string): boolean;
  /** Removes every pin. */
  unpinAll(): void;
  /** The current pins, oldest first. */
  pins(): SandboxPin[];
  /**
   * Forgets all state: the request log, the `faultFlaky` counters, the repeat-window
   * history and the remembered nonces; pins go back to the `pins` option.
   */
  reset(): void;
  /**
   * Stops listening and destroys every open connection, hung ones included; resolves
   * once the server is closed. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Largest request body read, in bytes; larger ones are answered 413. */
const MAX_BODY_BYTES = 64 * 1024;

const ROUTES: readonly {
  pattern: RegExp;
  endpoint: SandboxEndpoint;
  latency: keyof SandboxLatency;
  handle: (ctx: SandboxContext, ex: Exchange, segment: string) => void;
}[] = [
  {
    pattern: /^\/v1\/phoneid\/live\/([^/]*)$/,
    endpoint: 'live',
    latency: 'live',
    handle: handleLive,
  },
  {
    pattern: /^\/v1\/phoneid\/number_deactivation\/([^/]*)$/,
    endpoint: 'number-deactivation',
    latency: 'numberDeactivation',
    handle: handleLegacyDeactivation,
  },
  {
    pattern: /^\/v1\/phoneid\/([^/]*)$/,
    endpoint: 'phoneid',
    latency: 'phoneid',
    handle: handlePhoneId,
  },
];

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Reads the request body (up to {@link MAX_BODY_BYTES}); `undefined` when it was larger. */
function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.once('end', () =>
    done(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
  );
}

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
 * sandbox.pin(TEST_NUMBERS.active, 'disconnected'); // now that one is disconnected too
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options?: SandboxOptions): Promise<Sandbox> {
  const settings = resolveSandboxOptions(options);
  const requests: SandboxRequest[] = [];
  const sockets = new Set<Socket>();
  const pins = createPinStore();
  const pinDefaults = () => {
    pins.unpinAll();
    for (const [number, outcome] of Object.entries(settings.pins)) pins.pin(number, outcome);
  };
  pinDefaults();
  const ctx: SandboxContext = {
    settings,
    reply: createReplier(settings.now),
    auth: createAuthenticator(settings),
    repeats: createRepeatWindow(settings.repeatWindowMs),
    pins,
    flaky: new Map(),
    oversized: new Map(),
    behaviourOf(digits) {
      const pinned = pins.lookup(digits);
      if (pinned) return { name: pinned.outcome, pinned: true, ...pinned.behaviour };
      const row = ROWS_BY_DIGITS.get(digits);
      if (row) {
        const { name, live, phoneid, legacy } = row;
        return { name, pinned: false, live, phoneid, legacy };
      }
      const live = syntheticScenario(digits);
      const addons = syntheticAddonScenario(digits, live);
      return { name: null, pinned: false, live, phoneid: addons, legacy: addons };
    },
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      readBody(req, (body) => handleAdmin(pins, req, res, url.pathname, body ?? ''));
      return;
    }
    const ucid = url.searchParams.get('ucid');
    let route: (typeof ROUTES)[number] | undefined;
    let segment = '';
    for (const r of ROUTES) {
      const match = r.pattern.exec(url.pathname);
      if (match) {
        route = r;
        segment = match[1] ?? '';
        break;
      }
    }
    const record: SandboxRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      endpoint: route?.endpoint ?? null,
      body: null,
      digits: null,
      ucid: ucid === null ? null : ucid.slice(0, 32),
      authScheme: 'none',
      testNumber: null,
      pinned: false,
      httpStatus: null,
      telesignCode: null,
      outcome: 'pending',
      at: settings.now(),
    };
    if (settings.maxRecordedRequests > 0) {
      requests.push(record);
      if (requests.length > settings.maxRecordedRequests) requests.shift();
    }
    readBody(req, (body) => {
      const ex: Exchange = { req, res, record, url, body: body ?? '' };
      record.body = parseJson(ex.body);
      const latency = route ? settings.latencyMs[route.latency] : 0;
      ctx.reply.later(latency, res, () => {
        if (body === undefined) {
          ctx.reply.error(ex, 413, -10001, 'Request body too large', 'body-too-large');
        } else if (route) route.handle(ctx, ex, segment);
        else ctx.reply.error(ex, 404, -40004, 'Resource not found', 'unknown-resource');
      });
    });
  };

  const server = createServer(onRequest);
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
    server.listen(settings.port, settings.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const urlHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host: settings.host,
    requests,
    pin: (number, outcome) => pins.pin(number, outcome),
    unpin: (number) => pins.unpin(number),
    unpinAll: () => pins.unpinAll(),
    pins: () => pins.list(),
    reset() {
      requests.length = 0;
      ctx.flaky.clear();
      ctx.repeats.clear();
      ctx.auth.reset();
      pinDefaults();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        ctx.reply.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}
