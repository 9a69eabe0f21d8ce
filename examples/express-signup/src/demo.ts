import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPhoneGuard,
  DEFAULT_TELESIGN_BASE_URL,
  type PhoneGuard,
  type PhoneGuardOptions,
} from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
} from '@phone-guard/sandbox';
import { createSignupApp } from './app.js';
import { type DemoExample, demoBanner, demoExamples } from './banner.js';
import { listen, stopServer } from './listen.js';
import { DemoStartupError } from './startup-error.js';

/** How to start the demo. Each setting defaults to the environment, then to its default. */
export interface DemoOptions {
  /** Port; a taken one falls back to a free port. @default `PORT`, else 3000 */
  port?: number | undefined;
  /** Interface to listen on. @default `HOST`, else '127.0.0.1' */
  host?: string | undefined;
  /** Where `TELESIGN_*`, `PORT` and `HOST` are read. @default process.env */
  env?: NodeJS.ProcessEnv | undefined;
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
  /** Stops the server (requests in flight are answered), then closes the guard and the sandbox. */
  close(): Promise<void>;
}

interface Upstream {
  telesign: NonNullable<PhoneGuardOptions['telesign']>;
  sandbox: Sandbox | undefined;
  description: string;
}

/**
 * Starts the signup example: on the real Telesign when `TELESIGN_CUSTOMER_ID` and
 * `TELESIGN_API_KEY` are set (and `TELESIGN_BASE_URL`, if set), otherwise on a sandbox
 * started here. Before listening it proves the credentials with `guard.verify()` (one
 * look-up); it rejects, having released everything, when they are refused
 * (`TELESIGN_AUTH_FAILED` …), when Telesign cannot be reached, or when only one of the
 * two credentials is set.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const env = options.env ?? process.env;
  const host = options.host ?? (env.HOST || '127.0.0.1');
  const port = options.port ?? portOf(env.PORT);
  const upstream = await openUpstream(env);
  const guard = createPhoneGuard({ policy: 'signup', telesign: upstream.telesign });
  let server: Server;
  let verifiedMs: number;
  try {
    // A wrong key stops the demo here, instead of making every check fail open.
    verifiedMs = (await guard.verify()).latencyMs;
    server = await listen(createSignupApp({ guard }), port, host);
  } catch (error) {
    await guard.close();
    await upstream.sandbox?.close();
    throw error;
  }
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const examples = demoExamples(url);
  return {
    url,
    sandbox: upstream.sandbox,
    guard,
    examples,
    banner: demoBanner({ url, upstream: upstream.description, verifiedMs, examples }),
    async close() {
      // Server first: requests in flight still need the guard. Then the guard, then its upstream.
      await stopServer(server, 5_000);
      await guard.close();
      await upstream.sandbox?.close();
    },
  };
}

async function openUpstream(env: NodeJS.ProcessEnv): Promise<Upstream> {
  const customerId = env.TELESIGN_CUSTOMER_ID || undefined;
  const apiKey = env.TELESIGN_API_KEY || undefined;
  if (customerId && apiKey) {
    const baseUrl = env.TELESIGN_BASE_URL || undefined;
    return {
      telesign: { customerId, apiKey, baseUrl },
      sandbox: undefined,
      description: `${baseUrl ?? DEFAULT_TELESIGN_BASE_URL}, with TELESIGN_CUSTOMER_ID / TELESIGN_API_KEY from the environment`,
    };
  }
  if (customerId || apiKey) {
    const [set, missing] = customerId
      ? ['TELESIGN_CUSTOMER_ID', 'TELESIGN_API_KEY']
      : ['TELESIGN_API_KEY', 'TELESIGN_CUSTOMER_ID'];
    throw new DemoStartupError(
      'DEMO_CREDENTIALS_INCOMPLETE',
      `${set} is set but ${missing} is not: set both for the real Telesign, or neither for the built-in sandbox`,
    );
  }
  const sandbox = await startSandbox();
  return {
    telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    sandbox,
    description: `the built-in sandbox at ${sandbox.url} (set TELESIGN_CUSTOMER_ID and TELESIGN_API_KEY for the real one)`,
  };
}

function portOf(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new DemoStartupError('DEMO_INVALID_PORT', `PORT must be a port number (0–65535)`);
  }
  return port;
}
