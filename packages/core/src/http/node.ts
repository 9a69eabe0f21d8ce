/**
 * The Node.js glue of the HTTP layer, and the only file that knows `node:http`: turning
 * a framework's `req`/`res` into a {@link RequestView}, telling whether a request carries
 * a body, and watching for a client that disconnects. Express and Koa both sit on it.
 */
import { getEventListeners } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ClientDisconnectWatch, RequestView } from './request-view.js';

/**
 * The Node-only request view older adapters pass to `HttpAdapter.run` (still accepted;
 * new adapters pass a {@link NodeRequestView} or any {@link RequestView}).
 */
export interface HttpRequestView {
  /** The parsed body, or `undefined` when no body parser ran. Cheap; may be called twice. */
  body(): unknown;
  /** The parsed query string (read with the `query` option, or to explain a miss). */
  query(): unknown;
  /** Node's request (to see whether a body was sent, and whether the client left). */
  readonly req: IncomingMessage;
  /** Node's response (its `close` event tells a client that disconnected). */
  readonly res: ServerResponse;
}

/**
 * Reads the parsed body and query string from a framework's request object (Express
 * `req`, Koa `ctx`). One constant object per adapter, so a request costs no closure.
 */
export interface NodeRequestReader<Source> {
  /** The parsed body of `source`, or `undefined` when no body parser ran. */
  body(source: Source): unknown;
  /** The parsed query string of `source`. */
  query(source: Source): unknown;
  /**
   * The route pattern `source` matched (Express `req.route?.path`, Koa
   * `ctx._matchedRoute`), never its raw path. Anything but a string counts as none.
   */
  route?(source: Source): unknown;
}

/**
 * A {@link RequestView} over Node's `req`/`res`: one small object per request whose
 * members are computed only when read.
 *
 * @example
 * ```ts
 * const READER = { body: (req) => req.body, query: (req) => req.query };
 * adapter.run(req, new NodeRequestView(req, req, res, READER));
 * ```
 */
export class NodeRequestView<Source> implements RequestView {
  /**
   * @param source What `reader` reads the body and query from (Express `req`, Koa `ctx`).
   * @param req Node's request.
   * @param res Node's response.
   * @param reader How to read the body and query from `source`.
   */
  constructor(
    readonly source: Source,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly reader: NodeRequestReader<Source>,
  ) {}
  get method(): string {
    return this.req.method ?? 'GET';
  }
  get route(): string | undefined {
    const route = this.reader.route?.(this.source);
    return typeof route === 'string' ? route : undefined;
  }
  get contentType(): string | undefined {
    return this.req.headers['content-type'];
  }
  get hasBody(): boolean {
    return hasRequestBody(this.req.headers);
  }
  body(): unknown {
    return this.reader.body(this.source);
  }
  query(): unknown {
    return this.reader.query(this.source);
  }
  watchDisconnect(): ClientDisconnectWatch {
    return watchClientDisconnect(this.req, this.res);
  }
}

const LEGACY_READER: NodeRequestReader<HttpRequestView> = {
  body: (view) => view.body(),
  query: (view) => view.query(),
};

/** Turns the older Node-only {@link HttpRequestView} into a {@link RequestView}. */
export function fromHttpRequestView(view: HttpRequestView): RequestView {
  return new NodeRequestView(view, view.req, view.res, LEGACY_READER);
}

/** Whether the headers announce a body: a non-zero `content-length`, or a `transfer-encoding`. */
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
