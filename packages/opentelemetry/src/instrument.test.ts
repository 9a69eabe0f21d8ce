import diagnosticsChannel from 'node:diagnostics_channel';
import { context, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DataPointType, type Histogram } from '@opentelemetry/sdk-metrics';
import {
  createPhoneGuard,
  GUARD_CHANNELS,
  maskPhone,
  type PhoneGuard,
  PhoneGuardError,
  type PhoneGuardOptions,
} from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testProvider } from '../test-support/provider.js';
import { createTelemetry, type Telemetry } from '../test-support/telemetry.js';
import { instrumentPhoneGuard, type PhoneGuardInstrumentation } from './index.js';

// Real guards, the real OpenTelemetry SDK with in-memory exporters, no mocks.
const silent = { warn() {}, error() {} };
const ACTIVE = '+14155552671';
const ACTIVE_2 = '+14155552672';
const DISCONNECTED = '+14155552699';

let telemetry: Telemetry;
let instrumentation: PhoneGuardInstrumentation | undefined;
const guards: PhoneGuard[] = [];

function guard(options: PhoneGuardOptions): PhoneGuard {
  const g = createPhoneGuard({ logger: silent, policy: 'signup', ...options });
  guards.push(g);
  return g;
}
function instrument(): void {
  instrumentation = instrumentPhoneGuard({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
  });
}

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});
beforeEach(() => {
  telemetry = createTelemetry();
});
afterEach(async () => {
  instrumentation?.unsubscribe();
  instrumentation = undefined;
  await Promise.all(guards.splice(0).map((g) => g.close()));
  await telemetry.shutdown();
});

describe('instrumentPhoneGuard with a real guard', () => {
  it('counts decisions by action, first reason, source, use case and failed-open', async () => {
    instrument();
    const g = guard({ provider: testProvider({ disconnected: [DISCONNECTED] }) });
    await g.check(ACTIVE); // upstream
    await g.check(ACTIVE); // cache
    await g.check(DISCONNECTED);
    await g.check('not a phone');

    const metric = (await telemetry.collect()).get('phone_guard.decisions');
    expect(metric?.descriptor.unit).toBe('{decision}');
    expect(metric?.dataPointType).toBe(DataPointType.SUM);
    expect(metric && 'isMonotonic' in metric && metric.isMonotonic).toBe(true);
    const allow = { 'phone_guard.decision.action': 'allow', 'phone_guard.use_case': 'BACS' };
    expect(await telemetry.count('phone_guard.decisions', allow)).toBe(2);
    expect(
      await telemetry.count('phone_guard.decisions', {
        ...allow,
        'phone_guard.decision.source': 'cache',
        'phone_guard.decision.failed_open': false,
      }),
    ).toBe(1);
    expect(
      await telemetry.count('phone_guard.decisions', {
        'phone_guard.decision.action': 'block',
        'phone_guard.decision.reason': 'SUBSCRIBER_DISCONNECTED',
        'phone_guard.decision.source': 'upstream',
      }),
    ).toBe(1);
    expect(
      await telemetry.count('phone_guard.decisions', {
        'phone_guard.decision.action': 'block',
        'phone_guard.decision.reason': 'PHONE_INVALID',
        'phone_guard.decision.source': 'none',
      }),
    ).toBe(1);
    // No route, mode or guard name on these events: the attributes are absent, not empty.
    for (const p of await telemetry.points('phone_guard.decisions')) {
      expect(Object.keys(p.attributes)).not.toContain('http.route');
      expect(Object.keys(p.attributes)).not.toContain('phone_guard.mode');
    }
  });

  it('records look-up durations in seconds, with outcome and error type', async () => {
    instrument();
    let failing = false;
    const g = guard({
      provider: testProvider({
        delayMs: 40,
        fail: () =>
          failing ? new PhoneGuardError('UPSTREAM_DOWN', 'down', { fault: 'upstream' }) : null,
      }),
      failMode: 'open',
    });
    await g.check(ACTIVE);
    failing = true;
    await g.check(ACTIVE_2);

    const metric = (await telemetry.collect()).get('phone_guard.lookup.duration');
    expect(metric?.descriptor.unit).toBe('s');
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const points = await telemetry.points('phone_guard.lookup.duration');
    const ok = points.find((p) => p.attributes['phone_guard.lookup.outcome'] === 'ok');
    const failed = points.find((p) => p.attributes['phone_guard.lookup.outcome'] === 'error');
    const okValue = ok?.value as Histogram;
    expect(okValue.count).toBe(1);
    // 40 ms, recorded in seconds (generous bounds: the machine is shared).
    expect(okValue.sum).toBeGreaterThanOrEqual(0.03);
    expect(okValue.sum).toBeLessThan(5);
    expect(okValue.buckets.boundaries[0]).toBe(0.005);
    expect(okValue.buckets.boundaries.at(-1)).toBe(10);
    expect(ok?.attributes['error.type']).toBeUndefined();
    expect(failed?.attributes['error.type']).toBe('UPSTREAM_DOWN');
    expect((failed?.value as Histogram | undefined)?.count).toBe(1);

    const spans = telemetry.spans();
    expect(spans).toHaveLength(2);
    const failedSpan = spans.find((s) => s.attributes['phone_guard.lookup.outcome'] === 'error');
    expect(failedSpan?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UPSTREAM_DOWN' });
  });

  it('counts circuit breaker transitions by state', async () => {
    instrument();
    const g = guard({
      provider: testProvider({
        fail: () => new PhoneGuardError('UPSTREAM_DOWN', 'down', { fault: 'upstream' }),
      }),
      breaker: { failureThreshold: 2, cooldownMs: 60_000 },
      failMode: 'open',
    });
    for (const n of [ACTIVE, ACTIVE_2, DISCONNECTED]) await g.check(n);

    const metric = (await telemetry.collect()).get('phone_guard.breaker.transitions');
    expect(metric?.descriptor.unit).toBe('{transition}');
    expect(
      await telemetry.count('phone_guard.breaker.transitions', {
        'phone_guard.breaker.state': 'open',
        'phone_guard.breaker.previous_state': 'closed',
      }),
    ).toBe(1);
    // The third check was shed: no look-up, a LOOKUP_FAILED decision.
    expect(
      await telemetry.count('phone_guard.decisions', {
        'phone_guard.decision.reason': 'LOOKUP_FAILED',
        'phone_guard.decision.failed_open': true,
      }),
    ).toBe(3);
  });

  it('counts store errors by operation and error type', async () => {
    instrument();
    const g = guard({
      provider: testProvider(),
      store: {
        get: () => Promise.reject(new PhoneGuardError('STORE_DOWN', 'no store')),
        set: async () => {},
      },
    });
    await g.check(ACTIVE);

    const metric = (await telemetry.collect()).get('phone_guard.store.errors');
    expect(metric?.descriptor.unit).toBe('{error}');
    expect(
      await telemetry.count('phone_guard.store.errors', {
        'phone_guard.store.operation': 'get',
        'error.type': 'STORE_DOWN',
      }),
    ).toBe(1);
  });

  it('nests the look-up span under the request span that started the look-up', async () => {
    instrument();
    const g = guard({ provider: testProvider({ delayMs: 20 }) });
    const tracer = telemetry.tracerProvider.getTracer('app');
    const [first, second] = await Promise.all(
      ['POST /signup', 'POST /signup (2)'].map((name) =>
        tracer.startActiveSpan(name, async (span) => {
          const d = await g.check(ACTIVE); // the same number: one look-up, coalesced
          span.end();
          return { span, d };
        }),
      ),
    );
    expect(first?.d.action).toBe('allow');
    expect(second?.d.action).toBe('allow');

    const lookups = telemetry.spans().filter((s) => s.name === 'phone_guard.lookup');
    expect(lookups).toHaveLength(1);
    const [lookup] = lookups;
    const request = first?.span.spanContext();
    expect(lookup?.spanContext().traceId).toBe(request?.traceId);
    expect(lookup?.parentSpanContext?.spanId).toBe(request?.spanId);
    expect(lookup?.attributes).toMatchObject({
      'phone_guard.lookup.outcome': 'ok',
      'phone_guard.use_case': 'BACS',
      'phone_guard.subscriber_status': 'ACTIVE',
      'phone_guard.phone.masked': maskPhone(ACTIVE),
    });
    // The span covers the look-up: it started before the provider answered (20 ms).
    const [s, ns] = lookup?.duration ?? [0, 0];
    expect(s * 1000 + ns / 1e6).toBeGreaterThanOrEqual(15);

    // Without an active span the look-up span is a root span.
    await g.check(ACTIVE_2);
    const root = telemetry.spans().filter((x) => x.name === 'phone_guard.lookup')[1];
    expect(root?.parentSpanContext).toBeUndefined();
  });

  it('records through the global providers by default', async () => {
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    try {
      instrumentation = instrumentPhoneGuard();
      await guard({ provider: testProvider() }).check(ACTIVE);
      expect(await telemetry.count('phone_guard.decisions')).toBe(1);
      expect(telemetry.spans().map((s) => s.name)).toEqual(['phone_guard.lookup']);
    } finally {
      metrics.disable();
      trace.disable();
    }
  });

  it('stops recording at the end of a `using` block (Symbol.dispose)', async () => {
    const g = guard({ provider: testProvider() });
    {
      using scoped = instrumentPhoneGuard({
        meterProvider: telemetry.meterProvider,
        tracerProvider: telemetry.tracerProvider,
      });
      expect(scoped[Symbol.dispose]).toBe(scoped.unsubscribe);
      await g.check(ACTIVE);
    }
    for (const name of Object.values(GUARD_CHANNELS)) {
      expect(diagnosticsChannel.channel(name).hasSubscribers, name).toBe(false);
    }
    await g.check(ACTIVE_2);
    expect(await telemetry.count('phone_guard.decisions')).toBe(1);
  });

  it('stops recording once unsubscribed', async () => {
    instrument();
    const g = guard({ provider: testProvider() });
    await g.check(ACTIVE);
    expect(await telemetry.count('phone_guard.decisions')).toBe(1);

    instrumentation?.unsubscribe();
    instrumentation?.unsubscribe(); // twice is harmless
    for (const name of Object.values(GUARD_CHANNELS)) {
      expect(diagnosticsChannel.channel(name).hasSubscribers, name).toBe(false);
    }
    await g.check(ACTIVE);
    await g.check(ACTIVE_2);
    await g.check('junk');
    expect(await telemetry.count('phone_guard.decisions')).toBe(1);
    expect(telemetry.spans()).toHaveLength(1);
  });
});

describe('no number and no key in any exported attribute (sandbox over HTTP)', () => {
  it('scans every metric and span', async () => {
    const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
    try {
      instrument();
      const g = guard({
        telesign: {
          customerId: SANDBOX_CUSTOMER_ID,
          apiKey: SANDBOX_API_KEY,
          baseUrl: sandbox.url,
          retry: false,
        },
        failMode: 'open',
      });
      const numbers = [
        TEST_NUMBERS.active,
        TEST_NUMBERS.disconnected,
        TEST_NUMBERS.roaming,
        TEST_NUMBERS.errUnavailable,
        TEST_NUMBERS.errNotAuthorized,
      ];
      for (const n of numbers) await g.check(n);
      // Again: hits for the three answered numbers, new look-ups for the two that failed.
      for (const n of numbers) await g.check(n.replace('+1', '+1 '));
      await g.check(`${TEST_NUMBERS.active}99999`); // invalid: too long

      const exported = JSON.stringify({
        metrics: [...(await telemetry.collect()).values()].map((m) => ({
          name: m.descriptor.name,
          points: m.dataPoints.map((p) => p.attributes),
        })),
        spans: telemetry.spans().map((s) => ({
          name: s.name,
          attributes: s.attributes,
          status: s.status,
          events: s.events,
          links: s.links,
        })),
      });
      // The scan is not vacuous: decisions and spans were exported, masked numbers present.
      expect(await telemetry.count('phone_guard.decisions')).toBe(11);
      expect(telemetry.spans()).toHaveLength(7);
      expect(exported).toContain(maskPhone(TEST_NUMBERS.active));
      for (const n of numbers) {
        expect(exported).not.toContain(n.slice(2)); // the national digits
        expect(exported).not.toContain(n.slice(-7));
      }
      expect(exported).not.toContain(SANDBOX_API_KEY);
      expect(exported).not.toContain(SANDBOX_API_KEY.slice(0, 16));
      expect(exported.match(/\d{7,}/g)).toBeNull(); // no long digit run at all
    } finally {
      await sandbox.close();
    }
  });
});
