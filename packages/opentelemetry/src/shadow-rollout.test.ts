/**
 * A shadow rollout seen through OpenTelemetry: a real Express app with
 * `@phone-guard/express` in `mode: 'shadow'`, a real SDK with the in-memory exporter. The
 * README's "would have blocked per reason" query selects exactly these data points.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { phoneGuard } from '@phone-guard/express';
import express from 'express';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testProvider } from '../test-support/provider.js';
import { createTelemetry, type Telemetry } from '../test-support/telemetry.js';
import { instrumentPhoneGuard, type PhoneGuardInstrumentation } from './index.js';

const DISCONNECTED = '+14155552671';
const ACTIVE = '+14155552672';

let telemetry: Telemetry;
let instrumentation: PhoneGuardInstrumentation;
let server: Server;
let middleware: ReturnType<typeof phoneGuard>;
let url: string;

beforeEach(async () => {
  telemetry = createTelemetry();
  instrumentation = instrumentPhoneGuard({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
  });
  middleware = phoneGuard({
    name: 'signup',
    mode: 'shadow',
    logger: false,
    provider: testProvider({ disconnected: [DISCONNECTED] }),
  });
  const app = express();
  app.post('/signup', express.json(), middleware, (req, res) => {
    res.status(201).json({ action: req.phoneGuard?.action });
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signup`;
});

afterEach(async () => {
  instrumentation.unsubscribe();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await middleware.close();
  await telemetry.shutdown();
});

const signup = (phone: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });

it('counts "would have blocked" per reason, route and guard, while letting requests through', async () => {
  for (const phone of [DISCONNECTED, DISCONNECTED, ACTIVE]) {
    const res = await signup(phone);
    expect(res.status).toBe(201);
  }
  // phone_guard_decisions_total{phone_guard_mode="shadow", phone_guard_decision_action="block"}
  const wouldBlock = {
    'phone_guard.mode': 'shadow',
    'phone_guard.decision.action': 'block',
  };
  expect(await telemetry.count('phone_guard.decisions', wouldBlock)).toBe(2);
  expect(
    await telemetry.count('phone_guard.decisions', {
      ...wouldBlock,
      'phone_guard.decision.reason': 'SUBSCRIBER_DISCONNECTED',
      'http.route': '/signup',
      'phone_guard.guard.name': 'signup',
    }),
  ).toBe(2);
  expect(
    await telemetry.count('phone_guard.decisions', {
      'phone_guard.mode': 'shadow',
      'phone_guard.decision.action': 'allow',
    }),
  ).toBe(1);
  expect(middleware.guard.stats().wouldBlock).toEqual({ SUBSCRIBER_DISCONNECTED: 2 });

  const points = await telemetry.points('phone_guard.decisions');
  const values = points.flatMap((p) => Object.values(p.attributes).map(String));
  for (const value of values) expect(value).not.toContain('5552671');
});
