import { createPhoneGuard, type PhoneGuard, type PhoneGuardOptions } from '@phone-guard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testProvider } from '../test-support/provider.js';
import { createTelemetry, type Telemetry } from '../test-support/telemetry.js';
import { instrumentPhoneGuard, type PhoneGuardInstrumentation } from './index.js';

/**
 * The instruments fed by the guard's `cache`, `coalesced` and `budget` channels, and the
 * `guard` name on every event, with a real guard. channel-events.test.ts covers the same
 * instruments with events published directly.
 */

const silent = { warn() {}, error() {} };
let telemetry: Telemetry;
let instrumentation: PhoneGuardInstrumentation;
const guards: PhoneGuard[] = [];
const guard = (options: PhoneGuardOptions): PhoneGuard => {
  const g = createPhoneGuard({ logger: silent, name: 'signup', ...options });
  guards.push(g);
  return g;
};
beforeEach(() => {
  telemetry = createTelemetry();
  instrumentation = instrumentPhoneGuard({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
  });
});
afterEach(async () => {
  instrumentation.unsubscribe();
  await Promise.all(guards.splice(0).map((g) => g.close()));
  await telemetry.shutdown();
});

const named = { 'phone_guard.guard.name': 'signup' };

describe('a real guard feeds every instrument', () => {
  it('cache hits and misses, with the guard name', async () => {
    const g = guard({ provider: testProvider() });
    await g.check('+14155552671'); // miss
    await g.check('+14155552671'); // hit
    await g.check('+1 415 555 2671'); // hit
    await g.check('junk'); // invalid: neither
    expect(await telemetry.count('phone_guard.cache.hits', named)).toBe(2);
    expect(await telemetry.count('phone_guard.cache.misses', named)).toBe(1);
    expect(await telemetry.count('phone_guard.decisions', named)).toBe(4);
    const [span] = telemetry.spans();
    expect(span?.attributes['phone_guard.guard.name']).toBe('signup');
  });

  it('coalesced checks', async () => {
    const g = guard({ provider: testProvider({ delayMs: 20 }) });
    await Promise.all(Array.from({ length: 5 }, () => g.check('+14155552671')));
    expect(
      await telemetry.count('phone_guard.lookup.coalesced', {
        ...named,
        'phone_guard.use_case': 'BACS',
      }),
    ).toBe(4);
    expect(telemetry.spans()).toHaveLength(1);
  });

  it('budget exhaustion', async () => {
    const g = guard({ provider: testProvider(), budget: { limit: 1 }, failMode: 'open' });
    await g.check('+14155552671');
    const refused = await g.check('+14155552672');
    expect(refused.reasons).toContain('BUDGET_EXCEEDED');
    expect(
      await telemetry.count('phone_guard.budget.exhausted', {
        ...named,
        'phone_guard.budget.shared': false,
      }),
    ).toBe(1);
  });
});
