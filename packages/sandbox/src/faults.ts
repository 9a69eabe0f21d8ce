/**
 * The transport and body faults of the fault test numbers, on any endpoint: each endpoint
 * passes the success body it would have sent.
 */
import type { Exchange, SandboxContext } from './exchange.js';
import { MALFORMED_JSON_BODY, NO_ENVELOPE_BODY, oversizedBody } from './fault-bodies.js';
import type { SandboxEndpoint, SandboxOutcome } from './sandbox-request.js';
import type { SandboxFault } from './scenarios.js';

/** How many times `faultFlaky` fails on each endpoint before it answers. */
const FLAKY_FAILURES = 2;

/** The answer a fault number finally gives (slow, flaky) or mangles (truncated, oversized). */
export interface FaultSuccess {
  endpoint: SandboxEndpoint;
  digits: string;
  /** The success envelope. */
  envelope: () => object;
  outcome: SandboxOutcome;
  /** Called when the success body is sent (the Live repeat window). */
  onSent?: () => void;
}

/** Produces `kind` on the exchange. */
export function sendFault(
  ctx: SandboxContext,
  ex: Exchange,
  kind: SandboxFault,
  success: FaultSuccess,
): void {
  const { reply, settings } = ctx;
  const { record, res } = ex;
  const socket = res.socket;
  const sendSuccess = (outcome: SandboxOutcome) => {
    success.onSent?.();
    reply.json(ex, 200, JSON.stringify(success.envelope()), outcome);
  };
  switch (kind) {
    case 'hang':
      // Never answer; close() or the client's own timeout ends it.
      record.outcome = 'fault-hang';
      return;
    case 'slow':
      record.outcome = 'fault-slow';
      reply.later(settings.slowMs, res, () => sendSuccess('fault-slow'));
      return;
    case 'malformed-json':
      reply.json(ex, 200, MALFORMED_JSON_BODY, 'fault-malformed-json');
      return;
    case 'no-envelope':
      reply.json(ex, 200, NO_ENVELOPE_BODY, 'fault-no-envelope');
      return;
    case 'oversized': {
      let body = ctx.oversized.get(success.endpoint);
      if (body === undefined) {
        body = oversizedBody(success.envelope());
        ctx.oversized.set(success.endpoint, body);
      }
      reply.json(ex, 200, body, 'fault-oversized');
      return;
    }
    case 'truncated': {
      const body = JSON.stringify(success.envelope());
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
      const key = `${success.endpoint}:${success.digits}`;
      const count = ctx.flaky.get(key) ?? 0;
      ctx.flaky.set(key, count + 1);
      if (count < FLAKY_FAILURES) {
        reply.error(ex, 503, -90001, 'System unavailable, please try again later.', 'fault-flaky');
        return;
      }
      sendSuccess(success.outcome);
      return;
    }
  }
}
