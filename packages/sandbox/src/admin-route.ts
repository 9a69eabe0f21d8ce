/**
 * The admin routes, for tests that run the sandbox in another process:
 *
 * - `GET /__sandbox/pins` → `{ "pins": [{ "number", "outcome" }] }`
 * - `POST /__sandbox/pins` with `{ "number": "+447400123100", "outcome": "disconnected" }`
 * - `DELETE /__sandbox/pins/{number}` (`%2B447400123100` or digits) and `DELETE /__sandbox/pins`
 *
 * Only loopback clients are served (403 otherwise), and a POST must be
 * `application/json`, which a web page can only send after a CORS preflight the sandbox
 * never grants. Admin requests are not recorded in `requests`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PinStore } from './pins.js';
import { isPinOutcome, pinDigits } from './pins.js';

/** The path prefix of the admin routes. */
export const ADMIN_PREFIX = '/__sandbox/';

const PINS = '/__sandbox/pins';

/** Whether a socket address is a loopback one (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function send(res: ServerResponse, status: number, body: unknown, allow?: string): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(allow === undefined ? {} : { allow }),
  });
  res.end(text);
}

function addPin(pins: PinStore, req: IncomingMessage, res: ServerResponse, body: string): void {
  const mediaType = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    send(res, 415, { error: 'send the pin as application/json: { "number", "outcome" }' });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    send(res, 400, { error: 'the body is not JSON' });
    return;
  }
  const { number, outcome } = (parsed ?? {}) as { number?: unknown; outcome?: unknown };
  if (pinDigits(number) === undefined) {
    send(res, 400, { error: '"number" must be a phone number of 6 to 15 digits' });
    return;
  }
  if (!isPinOutcome(outcome)) {
    send(res, 400, {
      error: '"outcome" must name a test number of TEST_NUMBERS or ADDON_TEST_NUMBERS',
    });
    return;
  }
  send(res, 200, { pinned: pins.pin(number as string, outcome) });
}

/** Answers one admin request (its path starts with {@link ADMIN_PREFIX}). */
export function handleAdmin(
  pins: PinStore,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: string,
): void {
  if (!isLoopback(req.socket.remoteAddress)) {
    send(res, 403, { error: 'the admin routes answer loopback clients only' });
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === PINS) {
    if (method === 'GET') send(res, 200, { pins: pins.list() });
    else if (method === 'POST') addPin(pins, req, res, body);
    else if (method === 'DELETE') {
      const count = pins.list().length;
      pins.unpinAll();
      send(res, 200, { unpinned: count });
    } else send(res, 405, { error: 'method not allowed' }, 'GET, POST, DELETE');
    return;
  }
  if (path.startsWith(`${PINS}/`)) {
    if (method !== 'DELETE') {
      send(res, 405, { error: 'method not allowed' }, 'DELETE');
      return;
    }
    let number: string;
    try {
      number = decodeURIComponent(path.slice(PINS.length + 1));
    } catch {
      number = '';
    }
    if (pinDigits(number) === undefined) {
      send(res, 400, { error: 'the path must end with a phone number of 6 to 15 digits' });
      return;
    }
    send(res, 200, { unpinned: pins.unpin(number) ? 1 : 0 });
    return;
  }
  send(res, 404, { error: `no admin route ${path}; see GET ${PINS}` });
}
