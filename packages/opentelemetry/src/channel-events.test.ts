import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { type DiagLogger, DiagLogLevel, diag, type MeterProvider } from '@opentelemetry/api';
import {
  type BudgetEvent,
  type CacheEvent,
  type CoalescedEvent,
  type DecisionEvent,
  GUARD_CHANNELS,
  type GuardChannelEvents,
  type LookupEvent,
  PhoneGuardOptionError,
} from '@phone-guard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry } from '../test-support/telemetry.js';
import {
  instrumentPhoneGuard,
  type PhoneGuardInstrumentation,
  type PhoneGuardInstrumentationOptions,
  SCOPE_VERSION,
} from './index.js';

// Events published straight on the channels, as any guard (or copy of core) would: covers
// the channels whatever the guard publishes today, and payloads a guard should never send.
function publish<K extends keyof GuardChannelEvents>(key: K, event: GuardChannelEvents[K]): void {
  diagnosticsChannel.channel(GUARD_CHANNELS[key]).publish(event);
}

const decision = (patch: Partial<DecisionEvent> = {}): DecisionEvent => ({
  action: 'block',
  reasons: ['SUBSCRIBER_DISCONNECTED'],
  source: 'upstream',
  failedOpen: false,
  useCase: 'BACS',
  phone: '+1415*****99',
  errorCode: null,
  ...patch,
});

let telemetry: Telemetry;
let instrumentation: PhoneGuardInstrumentation | undefined;
function instrument(options: PhoneGuardInstrumentationOptions = {}): void {
  instrumentation = instrumentPhoneGuard({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
    ...options,
  });
}
beforeEach(() => {
  telemetry = createTelemetry();
});
afterEach(async () => {
  instrumentation?.unsubscribe();
  instrumentation = undefined;
  await telemetry.shutdown();
});

describe('channels the guard publishes on', () => {
  it('cache hits and misses', async () => {
    instrument();
    const hit: CacheEvent = { result: 'hit', guard: 'signup' };
    for (let i = 0; i < 3; i++) publish('cache', hit);
    publish('cache', { result: 'miss', guard: 'signup' });
    publish('cache', { result: 'miss' });

    const collected = await telemetry.collect();
    expect(collected.get('phone_guard.cache.hits')?.descriptor.unit).toBe('{check}');
    expect(collected.get('phone_guard.cache.misses')?.descriptor.unit).toBe('{check}');
    expect(
      await telemetry.count('phone_guard.cache.hits', { 'phone_guard.guard.name': 'signup' }),
    ).toBe(3);
    expect(await telemetry.count('phone_guard.cache.misses')).toBe(2);
    expect(
      await telemetry.count('phone_guard.cache.misses', { 'phone_guard.guard.name': 'signup' }),
    ).toBe(1);
  });

  it('coalesced checks and budget exhaustion', async () => {
    instrument();
    const joined: CoalescedEvent = { useCase: 'PWRT', guard: 'reset' };
    publish('coalesced', joined);
    publish('coalesced', joined);
    const spent: BudgetEvent = { used: 100, limit: 100, windowMs: 60_000, shared: true };
    publish('budget', spent);

    const collected = await telemetry.collect();
    expect(collected.get('phone_guard.lookup.coalesced')?.descriptor.unit).toBe('{check}');
    expect(collected.get('phone_guard.budget.exhausted')?.descriptor.unit).toBe('{lookup}');
    expect(
      await telemetry.count('phone_guard.lookup.coalesced', {
        'phone_guard.use_case': 'PWRT',
        'phone_guard.guard.name': 'reset',
      }),
    ).toBe(2);
    expect(
      await telemetry.count('phone_guard.budget.exhausted', { 'phone_guard.budget.shared': true }),
    ).toBe(1);
  });

  it('decisions carry guard name, route and mode when the event has them', async () => {
    instrument();
    publish('decision', decision({ guard: 'signup', route: '/signup', mode: 'shadow' }));
    publish('decision', decision({ action: 'allow', reasons: [], mode: 'block' }));

    const [shadow, plain] = (await telemetry.points('phone_guard.decisions')).sort(
      (a, b) => Object.keys(b.attributes).length - Object.keys(a.attributes).length,
    );
    expect(shadow?.attributes).toEqual({
      'phone_guard.guard.name': 'signup',
      'http.route': '/signup',
      'phone_guard.mode': 'shadow',
      'phone_guard.decision.action': 'block',
      'phone_guard.decision.reason': 'SUBSCRIBER_DISCONNECTED',
      'phone_guard.decision.source': 'upstream',
      'phone_guard.decision.failed_open': false,
      'phone_guard.use_case': 'BACS',
    });
    // No reasons: no reason attribute (not an empty string).
    expect(plain?.attributes).toEqual({
      'phone_guard.mode': 'block',
      'phone_guard.decision.action': 'allow',
      'phone_guard.decision.source': 'upstream',
      'phone_guard.decision.failed_open': false,
      'phone_guard.use_case': 'BACS',
    });
  });

  it('guards: records only the named guards', async () => {
    instrument({ guards: ['signup'] });
    publish('decision', decision({ guard: 'signup' }));
    publish('decision', decision({ guard: 'admin' }));
    publish('decision', decision());
    publish('cache', { result: 'hit', guard: 'admin' });
    publish('cache', { result: 'hit', guard: 'signup' });

    expect(await telemetry.count('phone_guard.decisions')).toBe(1);
    expect(await telemetry.count('phone_guard.cache.hits')).toBe(1);
  });
});

describe('subscriptions', () => {
  it('subscribes to every channel the guard publishes on, and unsubscribes from all', () => {
    const names = Object.values(GUARD_CHANNELS);
    const before = names.filter((n) => diagnosticsChannel.channel(n).hasSubscribers);
    expect(before).toEqual([]);
    instrument();
    const subscribed = names.filter((n) => diagnosticsChannel.channel(n).hasSubscribers);
    expect(subscribed).toEqual(names);
    instrumentation?.unsubscribe();
    expect(names.filter((n) => diagnosticsChannel.channel(n).hasSubscribers)).toEqual([]);
  });
});

describe('defensive handling of payloads', () => {
  it('masks a number a publisher forgot to mask, in spans and in free text', async () => {
    instrument();
    const lookup: LookupEvent = {
      phone: '+14155552671',
      useCase: 'BACS',
      outcome: 'error',
      durationMs: 12,
      subscriberStatus: null,
      errorCode: 'UPSTREAM_DOWN',
    };
    publish('lookup', lookup);
    publish('decision', decision({ route: '/verify/+1 415 555 2671', guard: 'g 4155552671' }));

    const [span] = telemetry.spans();
    expect(span?.attributes['phone_guard.phone.masked']).toBe('+1415*****71');
    const [point] = await telemetry.points('phone_guard.decisions');
    expect(point?.attributes['http.route']).toBe('/verify/+1415*****71');
    expect(point?.attributes['phone_guard.guard.name']).toBe('g +415*****71');
    const all = JSON.stringify([span?.attributes, point?.attributes]);
    expect(all).not.toMatch(/5552671|555 2671/);
  });

  it('recordMaskedPhone: false leaves the number off spans', () => {
    instrument({ recordMaskedPhone: false });
    publish('lookup', {
      phone: '+1415*****71',
      useCase: 'BACS',
      outcome: 'ok',
      durationMs: 3,
      subscriberStatus: 'ACTIVE',
      errorCode: null,
    });
    const [span] = telemetry.spans();
    expect(span?.attributes['phone_guard.subscriber_status']).toBe('ACTIVE');
    expect(span?.attributes).not.toHaveProperty('phone_guard.phone.masked');
  });

  it('records what a look-up asked (live or add-ons), and nothing for older events', async () => {
    instrument();
    const base = { phone: '+1310*****02', useCase: 'PWRT' as const, durationMs: 4 };
    publish('lookup', {
      ...base,
      outcome: 'ok',
      subscriberStatus: 'ACTIVE',
      errorCode: null,
      product: 'live',
    });
    publish('lookup', {
      ...base,
      outcome: 'error',
      subscriberStatus: null,
      errorCode: 'ADDON_UNAVAILABLE',
      product: 'addons',
    });
    publish('lookup', { ...base, outcome: 'ok', subscriberStatus: 'ACTIVE', errorCode: null });
    const spans = telemetry.spans().map((s) => s.attributes);
    expect(spans.map((a) => a['phone_guard.lookup.product'])).toEqual([
      'live',
      'addons',
      undefined,
    ]);
    expect(spans[1]).toMatchObject({
      'phone_guard.lookup.outcome': 'error',
      'error.type': 'ADDON_UNAVAILABLE',
    });
    const points = await telemetry.points('phone_guard.lookup.duration');
    expect(points.map((p) => p.attributes['phone_guard.lookup.product']).sort()).toEqual([
      'addons',
      'live',
      undefined,
    ]);
  });

  it('ignores fields of the wrong type and payloads that are not objects', async () => {
    instrument();
    diagnosticsChannel.channel(GUARD_CHANNELS.decision).publish('junk');
    diagnosticsChannel.channel(GUARD_CHANNELS.decision).publish({
      action: 7,
      reasons: 'PHONE_INVALID',
      failedOpen: 'yes',
      route: { path: '/x' },
    });
    diagnosticsChannel.channel(GUARD_CHANNELS.lookup).publish({ durationMs: -5, outcome: 'ok' });

    const points = await telemetry.points('phone_guard.decisions');
    expect(points.map((p) => p.attributes)).toEqual([{}]);
    expect(await telemetry.points('phone_guard.lookup.duration')).toEqual([]);
  });

  it('a provider that throws never reaches the publisher; diag hears of it once', async () => {
    const errors: unknown[][] = [];
    const logger: DiagLogger = {
      error: (...args) => errors.push(args),
      warn() {},
      info() {},
      debug() {},
      verbose() {},
    };
    diag.setLogger(logger, DiagLogLevel.ERROR);
    // Not an SDK: a provider whose histogram throws, as a broken exporter set-up might.
    const throwing = {
      getMeter: () => ({
        createObservableCounter: () => ({ addCallback() {} }),
        createHistogram: () => ({
          record() {
            throw new Error('exporter broke');
          },
        }),
      }),
    } as unknown as MeterProvider;
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => {
      uncaught.push(e);
    };
    process.on('uncaughtException', onUncaught);
    const lookup: LookupEvent = {
      phone: '+1415*****71',
      useCase: 'BACS',
      outcome: 'ok',
      durationMs: 3,
      subscriberStatus: 'ACTIVE',
      errorCode: null,
    };
    try {
      instrumentation = instrumentPhoneGuard({ meterProvider: throwing });
      expect(() => publish('lookup', lookup)).not.toThrow();
      publish('lookup', lookup);
      await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(String(errors[0]?.[0])).toContain('phone-guard:lookup');
    } finally {
      process.off('uncaughtException', onUncaught);
      diag.disable();
    }
  });

  it('caps the attribute sets of a counter, counting the rest as overflow', async () => {
    instrument();
    for (let i = 0; i < 1_005; i++) publish('decision', decision({ route: `/r${i}` }));
    const points = await telemetry.points('phone_guard.decisions');
    expect(points).toHaveLength(1_001);
    expect(await telemetry.count('phone_guard.decisions', { 'otel.metric.overflow': true })).toBe(
      5,
    );
    expect(await telemetry.count('phone_guard.decisions')).toBe(1_005);
  });

  it('counters are shared by instrumentations of one meter, like synchronous counters', async () => {
    instrument();
    const second = instrumentPhoneGuard({ meterProvider: telemetry.meterProvider });
    publish('cache', { result: 'hit' });
    second.unsubscribe();
    publish('cache', { result: 'hit' });
    // The first event counted twice (two live instrumentations), the second once.
    expect(await telemetry.count('phone_guard.cache.hits')).toBe(3);
  });
});

describe('options', () => {
  it.each([
    [{ meterprovider: {} }, 'meterprovider'],
    [{ meterProvider: {} }, 'meterProvider'],
    [{ tracerProvider: 'global' }, 'tracerProvider'],
    [{ guards: 'signup' }, 'guards'],
    [{ guards: [''] }, 'guards'],
    [{ recordMaskedPhone: 'no' }, 'recordMaskedPhone'],
    [null, 'options'],
  ])('rejects %j', (options, option) => {
    let error: unknown;
    try {
      instrumentPhoneGuard(options as PhoneGuardInstrumentationOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PhoneGuardOptionError);
    expect((error as PhoneGuardOptionError).option).toBe(option);
    // Nothing was subscribed by the failed call.
    expect(diagnosticsChannel.channel(GUARD_CHANNELS.decision).hasSubscribers).toBe(false);
  });

  it('the scope version is the package version', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(SCOPE_VERSION).toBe(manifest.version);
  });
});
