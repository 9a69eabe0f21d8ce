import type { AddressInfo } from 'node:net';
import { createPhoneGuard, type PhoneGuard } from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { createSignupApp } from './app.js';

/** One documented request of the demo and the answer it gets. */
export interface DemoExample {
  label: string;
  phone: string;
  expectStatus: number;
  curl: string;
}

/** A running demo. */
export interface Demo {
  url: string;
  /** The sandbox, when no Telesign credentials were set. */
  sandbox: Sandbox | undefined;
  guard: PhoneGuard;
  examples: DemoExample[];
  /** What the demo prints on start. */
  banner: string;
  close(): Promise<void>;
}

/**
 * Starts the signup example on `port` (falls back to a free port when it is taken), on
 * the real Telesign when `TELESIGN_CUSTOMER_ID` and `TELESIGN_API_KEY` are set, otherwise
 * on a sandbox started here.
 */
export async function startDemo(
  options: { port?: number; host?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Demo> {
  const env = options.env ?? process.env;
  const host = options.host ?? '127.0.0.1';
  const real = Boolean(env.TELESIGN_CUSTOMER_ID && env.TELESIGN_API_KEY);
  const sandbox = real ? undefined : await startSandbox();
  const guard = createPhoneGuard({
    policy: 'signup',
    ...(sandbox
      ? {
          telesign: {
            baseUrl: sandbox.url,
            customerId: SANDBOX_CUSTOMER_ID,
            apiKey: SANDBOX_API_KEY,
          },
        }
      : {}),
  });
  const app = createSignupApp({ guard });
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const tryListen = (port: number) => {
      const s = app.listen(port, host);
      s.once('listening', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' && port !== 0) tryListen(0);
        else reject(err);
      });
    };
    tryListen(options.port ?? 3000);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  const example = (label: string, phone: string, expectStatus: number): DemoExample => ({
    label,
    phone,
    expectStatus,
    curl: `curl -s -X POST ${url}/signup -H 'content-type: application/json' -d '{"email":"ada@example.com","phone":"${phone}"}'`,
  });
  const examples = [
    example('allowed (201): an active number', TEST_NUMBERS.active, 201),
    example(
      'flagged (201, "needsReview": true): the handset is unreachable',
      TEST_NUMBERS.unreachable,
      201,
    ),
    example('blocked (403): the number is disconnected', TEST_NUMBERS.disconnected, 403),
    example('invalid (422): not a phone number', '415 555', 422),
  ];
  const banner = [
    '',
    `phone-guard demo: a signup route on ${url}`,
    sandbox
      ? `Telesign: the built-in sandbox at ${sandbox.url} (set TELESIGN_CUSTOMER_ID and TELESIGN_API_KEY for the real one)`
      : 'Telesign: the real Phone ID Live, with TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY from the environment',
    '',
    `Open ${url}/ in a browser, or paste:`,
    '',
    ...examples.flatMap((e) => [`  # ${e.label}`, `  ${e.curl}`, '']),
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
  return {
    url,
    sandbox,
    guard,
    examples,
    banner,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await guard.close();
      await sandbox?.close();
    },
  };
}
