import { describe, expect, it } from 'vitest';
import {
  type CircuitBreakerConfig,
  type CircuitState,
  createCircuitBreaker,
} from './circuit-breaker.js';

function setup(options: Partial<CircuitBreakerConfig> = {}) {
  let t = 1_000_000;
  const changes: [CircuitState, CircuitState][] = [];
  const breaker = createCircuitBreaker({
    failureThreshold: 2,
    cooldownMs: 8000,
    minCooldownMs: 1000,
    ...options,
    now: () => t,
    onStateChange: (s, p) => changes.push([s, p]),
  });
  return { breaker, changes, advance: (ms: number) => (t += ms) };
}

function fail(breaker: ReturnType<typeof setup>['breaker'], n = 1): void {
  for (let i = 0; i < n; i++) breaker.tryAcquire()?.failure();
}
function succeed(breaker: ReturnType<typeof setup>['breaker'], n = 1): void {
  for (let i = 0; i < n; i++) breaker.tryAcquire()?.success();
}

describe('createCircuitBreaker (error-rate window)', () => {
  it('opens only when failures reach both the threshold and the rate in the window', () => {
    const { breaker } = setup({ failureThreshold: 3, failureRate: 0.5 });
    succeed(breaker, 4);
    fail(breaker, 3); // 3 of 7: under half
    expect(breaker.state).toBe('closed');
    fail(breaker, 1); // 4 of 8: half
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();
  });

  it('forgets failures that left the window', () => {
    const { breaker, advance } = setup({ failureThreshold: 2, windowMs: 10_000 });
    fail(breaker, 1);
    advance(11_000);
    fail(breaker, 1);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('released permits (caller aborts, per-number answers) count for nothing', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    for (let i = 0; i < 50; i++) breaker.tryAcquire()?.release();
    expect(breaker.state).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(0);
  });

  it('starts with a short cool-down, doubles it per failed probe up to the maximum, resets on success', () => {
    const { breaker, advance } = setup({
      failureThreshold: 1,
      minCooldownMs: 1000,
      cooldownMs: 4000,
    });
    fail(breaker);
    expect(breaker.retryAfterMs()).toBe(1000);
    advance(999);
    expect(breaker.tryAcquire()).toBeNull();
    advance(1);
    expect(breaker.state).toBe('half-open');
    fail(breaker); // failed probe
    expect(breaker.cooldownMs).toBe(2000);
    advance(2000);
    fail(breaker);
    expect(breaker.cooldownMs).toBe(4000);
    advance(4000);
    fail(breaker);
    expect(breaker.cooldownMs).toBe(4000);
    advance(4000);
    succeed(breaker);
    expect(breaker.state).toBe('closed');
    expect(breaker.cooldownMs).toBe(1000);
    expect(breaker.retryAfterMs()).toBe(0);
  });

  it('lets several probes through at once; the first success closes it', () => {
    const { breaker, changes, advance } = setup({ failureThreshold: 1, probes: 3 });
    fail(breaker);
    advance(1000);
    const probes = [breaker.tryAcquire(), breaker.tryAcquire(), breaker.tryAcquire()];
    expect(probes.every((p) => p !== null)).toBe(true);
    expect(breaker.tryAcquire()).toBeNull();
    probes[1]?.success();
    expect(breaker.state).toBe('closed');
    probes[0]?.failure(); // a verdict from the half-open era does not re-open it
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
      ['closed', 'half-open'],
    ]);
  });

  it('a released probe frees its slot', () => {
    const { breaker, advance } = setup({ failureThreshold: 1, probes: 1 });
    fail(breaker);
    advance(1000);
    breaker.tryAcquire()?.release();
    expect(breaker.tryAcquire()).not.toBeNull();
  });

  it('ignores double verdicts and verdicts of permits issued before a state change', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    const late = breaker.tryAcquire();
    const first = breaker.tryAcquire();
    first?.failure();
    first?.failure();
    expect(breaker.state).toBe('open');
    late?.success();
    expect(breaker.state).toBe('open');
  });

  it('recovers within seconds of a 5 s outage and keeps most checks of a flapping upstream', () => {
    // One look-up every 50 ms against an upstream that is down for 5 s, then up for 5 s, …
    const { breaker, advance } = setup({ failureThreshold: 5, cooldownMs: 30_000 });
    let t = 0;
    let upAttempts = 0;
    let upSuccesses = 0;
    let firstSuccessAfterRecovery = -1;
    while (t < 60_000) {
      const up = Math.floor(t / 5000) % 2 === 1;
      const permit = breaker.tryAcquire();
      if (up) upAttempts++;
      if (permit) {
        if (up) {
          permit.success();
          upSuccesses++;
          if (firstSuccessAfterRecovery < 0) firstSuccessAfterRecovery = t - 5000;
        } else permit.failure();
      }
      advance(50);
      t += 50;
    }
    expect(firstSuccessAfterRecovery).toBeLessThanOrEqual(5000);
    expect(upSuccesses / upAttempts).toBeGreaterThan(0.6);
  });
});
