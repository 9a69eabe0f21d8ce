import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import { type ErrorFault, PhoneGuardError, TelesignError } from '../model/errors.js';
import type { LiveStatusProvider } from '../model/types.js';
import { GUARD_CHANNELS } from '../observe/channels.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';

// The breaker measures upstream health only: the loader asks each error whose fault it
// is (faultOf), never which Telesign code it carries.

function failingWith(make: () => unknown): LiveStatusProvider & { calls: number } {
  const provider = {
    calls: 0,
    async getLiveStatus(): Promise<never> {
      provider.calls++;
      throw make();
    },
  };
  return provider;
}

const guards: PhoneGuard[] = [];
function guardFor(provider: LiveStatusProvider, name?: string): PhoneGuard {
  const g = createPhoneGuard({
    provider,
    logger: false,
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    ...(name === undefined ? {} : { name }),
  });
  guards.push(g);
  return g;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
});

async function checkTenNumbers(g: PhoneGuard): Promise<void> {
  for (let i = 0; i < 10; i++) await g.check(`+1415555260${i}`);
}

describe('upstream loader: breaker accounting by fault', () => {
  it.each<[string, () => unknown]>([
    ['a number Telesign rejects (request)', () => new TelesignError('TELESIGN_INVALID_PHONE', 'x')],
    ['a not-found answer (request)', () => new TelesignError('TELESIGN_NOT_FOUND', 'x')],
    ['bad credentials (config)', () => new TelesignError('TELESIGN_AUTH_FAILED', 'x')],
    ['a closed client (caller)', () => new TelesignError('TELESIGN_CLIENT_CLOSED', 'x')],
    ['an internal error', () => new PhoneGuardError('SOMETHING_ODD', 'x')],
  ])('never opens the breaker for %s', async (_name, make) => {
    const provider = failingWith(make);
    const g = guardFor(provider);
    await checkTenNumbers(g);
    expect(provider.calls).toBe(10);
    expect(g.stats().breaker).toEqual({ state: 'closed', consecutiveFailures: 0 });
  });

  it.each<[string, () => unknown]>([
    ['an upstream outage', () => new TelesignError('TELESIGN_UNAVAILABLE', 'x')],
    ['a transport error', () => new TelesignError('TELESIGN_NETWORK_ERROR', 'x')],
    ['any error of a custom provider', () => new Error('socket hang up')],
    [
      'a phone-guard error marked upstream',
      () => new PhoneGuardError('X', 'x', { fault: 'upstream' }),
    ],
  ])('opens the breaker for %s', async (_name, make) => {
    const provider = failingWith(make);
    const g = guardFor(provider);
    await checkTenNumbers(g);
    expect(provider.calls).toBe(2);
    expect(g.stats().breaker?.state).toBe('open');
    expect(g.stats().errors).toMatchObject({ CIRCUIT_OPEN: 8 });
  });

  it('counts every failure but the caller giving up in lookupFailures', async () => {
    const faults: ErrorFault[] = ['request', 'config', 'caller', 'internal'];
    let i = 0;
    const provider = failingWith(
      () => new PhoneGuardError('X', 'x', { fault: faults[i++ % faults.length] }),
    );
    const g = guardFor(provider);
    for (let n = 0; n < 4; n++) await g.check(`+1415555261${n}`);
    expect(g.stats()).toMatchObject({ lookups: 4, lookupFailures: 3 });
  });
});

describe('upstream loader and publisher: events carry the guard name', () => {
  it('publishes decision and lookup events with `guard` when the guard is named', async () => {
    const events: unknown[] = [];
    const listen = (message: unknown) => events.push(message);
    diagnosticsChannel.subscribe(GUARD_CHANNELS.decision, listen);
    diagnosticsChannel.subscribe(GUARD_CHANNELS.lookup, listen);
    try {
      const provider: LiveStatusProvider = {
        async getLiveStatus(phone) {
          return liveStatus(phone, { checkedAt: Date.now() });
        },
      };
      await guardFor(provider, 'signup').check('+14155552671');
      await guardFor(provider).check('+14155552671');
    } finally {
      diagnosticsChannel.unsubscribe(GUARD_CHANNELS.decision, listen);
      diagnosticsChannel.unsubscribe(GUARD_CHANNELS.lookup, listen);
    }
    expect(events).toHaveLength(4);
    expect(events.slice(0, 2)).toEqual([
      expect.objectContaining({ outcome: 'ok', guard: 'signup' }),
      expect.objectContaining({ action: 'allow', guard: 'signup' }),
    ]);
    for (const event of events.slice(2)) {
      expect((event as { guard?: unknown }).guard).toBeUndefined();
    }
  });
});
