/**
 * Reading a response body with a size cap, and dropping one nobody will read, without
 * ever leaving an 'error' event unhandled or a connection stuck.
 */
import type { Dispatcher } from 'undici';

/** A response body stream as undici returns it. */
export type ResponseBody = Dispatcher.ResponseData['body'];

/** Rejection value of {@link readBody} when the body passes its cap. */
export const TOO_LARGE = Symbol('too large');

/** Does nothing: the listener for errors nobody needs to hear about. */
export function ignore(): void {}

/**
 * Stops reading a body and frees its connection. undici reports a destroyed, unfinished
 * body as an 'error' (RequestAbortedError): swallow it, nobody is reading any more.
 */
export function discard(body: ResponseBody): void {
  body.on('error', ignore);
  body.destroy();
}

/** The declared `Content-Length`, or `undefined` when absent or not a plain number. */
export function contentLengthOf(
  headers: Record<string, string | string[] | undefined>,
): number | undefined {
  const raw = headers['content-length'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Reads a body into memory. Rejects with {@link TOO_LARGE} (and destroys the stream) past
 * `cap` bytes, and with the stream's error when it breaks or closes before its end.
 */
export function readBody(body: ResponseBody, cap: number): Promise<Buffer> {
  // A late 'error' (an abort racing the end of the read) must never go unhandled.
  body.on('error', ignore);
  return new Promise<Buffer>((resolve, reject) => {
    if (body.destroyed) {
      reject(body.errored ?? new Error('the response body was destroyed before it was read'));
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > cap) {
        cleanup();
        discard(body);
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    // Destroyed without an error (e.g. an abort racing the read).
    const onClose = (): void => {
      cleanup();
      reject(new Error('the response body closed before its end'));
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}
