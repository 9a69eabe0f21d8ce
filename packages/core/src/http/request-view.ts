/**
 * What the shared adapter code needs from an HTTP request, whatever the runtime: the
 * method, whether a body was sent, the parsed body and query, and a way to learn that
 * the client went away. Node's `req`/`res` become one in `node.ts`; a fetch-standard
 * adapter (a `Request` with its `signal`) can build one without any Node type.
 */

/** A signal that fires when the client goes away, and how to stop watching. */
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
 * A runtime-neutral view of one request, read by {@link HttpAdapter.run}. Each member is
 * read only when needed (a cached check reads the method and the body and nothing else),
 * so an implementation may compute them lazily.
 */
export interface RequestView {
  /** The HTTP method, upper case (`'POST'`). */
  readonly method: string;
  /**
   * The framework's matched route pattern (`'/signup'`, `'/users/:id'`), used as the
   * decision events' `route` label when the middleware has no `route` option; `undefined`
   * (or absent) when unknown. Never the raw path: it may hold numbers, and each value
   * becomes a metric series. Read on every checked request: keep it cheap.
   */
  readonly route?: string | undefined;
  /** The raw `content-type` header, or `undefined`. Client-controlled: never echo it whole. */
  readonly contentType: string | undefined;
  /** Whether the request carries a body (a non-zero `content-length`, or chunked). */
  readonly hasBody: boolean;
  /** The parsed body, or `undefined` when no body parser ran. Cheap; may be called twice. */
  body(): unknown;
  /**
   * The parsed query string. Read only with the `query` option, or on a miss to explain
   * it in a warning.
   */
  query(): unknown;
  /**
   * Starts watching for the client going away; called once, only when the check needs
   * I/O. A fetch-standard view returns `{ signal: request.signal, release() {} }`.
   */
  watchDisconnect(): ClientDisconnectWatch;
}

/** Whether `view` is a {@link RequestView} (rather than the older Node-only view). */
export function isRequestView(view: object): view is RequestView {
  return typeof (view as Partial<RequestView>).watchDisconnect === 'function';
}
