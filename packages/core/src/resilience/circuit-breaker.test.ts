import { describe, expect, it } from 'vitest';
import { type CircuitState, createCircuitBreaker } from './circuit-breaker.js';

function setup(failureThreshold = 2, cooldownMs = 1000) {
  let t = 0;
  const changes: [CircuitState, CircuitState][] = [];
  const breaker = createCircuitBreaker({
    failureThreshold,
    cooldownMs,
    now: () => t,
    onStateChange: (s, p) => changes.push([s, p]),
  });
  return { breaker, changes, advance: (ms: number) => (t += ms) };
}

describe('createCircuitBreaker', () => {
  it('opens after consecutive failures only', () => {
    const { breaker } = setup(2);
    breaker.tryAcquire()?.failure();
    breaker.tryAcquire()?.success();
    breaker.tryAcquire()?.failure();
    expect(breaker.state).toBe('closed');
    breaker.tryAcquire()?.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();
  });

  it('half-opens after the cool-down with exactly one probe', () => {
    const { breaker, changes, advance } = setup(1, 1000);
    breaker.tryAcquire()?.failure();
    advance(999);
    expect(breaker.tryAcquire()).toBeNull();
    advance(1);
    const probe = breaker.tryAcquire();
    expect(probe).not.toBeNull();
    expect(breaker.tryAcquire()).toBeNull();
    probe?.success();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
      ['closed', 'half-open'],
    ]);
  });

  it('a failed probe re-opens for another cool-down; a released probe lets another through', () => {
    const { breaker, advance } = setup(1, 1000);
    breaker.tryAcquire()?.failure();
    advance(1000);
    breaker.tryAcquire()?.release();
    const probe = breaker.tryAcquire();
    expect(probe).not.toBeNull();
    probe?.failure();
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.tryAcquire()).toBeNull();
  });

  it('ignores verdicts of permits issued before a state change, and double verdicts', () => {
    const { breaker } = setup(1);
    const late = breaker.tryAcquire();
    const first = breaker.tryAcquire();
    first?.failure();
    first?.failure();
    expect(breaker.state).toBe('open');
    late?.success();
    expect(breaker.state).toBe('open');
  });
});
