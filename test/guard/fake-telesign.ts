import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers for one request. */
export type FakeAnswer =
  | { status: number; body: string; headers?: Record<string, string> }
  | 'reset';

/** The digits of a request's number and its headers, for the answer to depend on. */
export interface FakeRequest {
  readonly digits: string;
  readonly headers: IncomingMessage['headers'];
}

/**
 * A programmable Telesign look-alike on loopback for fault tests: every answer comes from
 * `answer`, which tests may swap at any time. No authentication is checked.
 */
export interface FakeTelesign {
  readonly url: string;
  answer: (request: FakeRequest) => FakeAnswer;
  /** Requests received so far. */
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

/** A Live answer for `digits`. */
export function liveBody(
  digits: string,
  subscriber: 'ACTIVE' | 'DISCONNECTED' = 'ACTIVE',
  device: 'REACHABLE' | 'UNREACHABLE' = 'REACHABLE',
): string {
  return JSON.stringify({
    reference_id: 'FAKE0000000000000000000000000000',
    status: { code: 300, description: 'Transaction successfully completed' },
    errors: [],
    numbering: { original: { complete_phone_number: digits } },
    phone_type: { code: '2', description: 'MOBILE' },
    carrier: { name: 'Fake' },
    live: { subscriber_status: subscriber, device_status: device, roaming: 'NO' },
  });
}

/** A Telesign error envelope. */
export function errorBody(code: number, description: string): string {
  return JSON.stringify({
    reference_id: 'FAKE0000000000000000000000000001',
    status: { code: 501, description: 'Not authorized' },
    errors: [{ code, description }],
  });
}

export async function startFakeTelesign(
  answer: (request: FakeRequest) => FakeAnswer,
): Promise<FakeTelesign> {
  const requests: FakeRequest[] = [];
  const fake = { answer, requests } as FakeTelesign & { url: string };
  const server: Server = createServer((req, res) => {
    const digits = /\/(\d+)(?:\?|$)/.exec(req.url ?? '')?.[1] ?? '';
    const request = { digits, headers: req.headers };
    requests.push(request);
    req.resume();
    req.on('end', () => {
      const reply = fake.answer(request);
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
