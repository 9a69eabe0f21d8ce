/** `closed`: look-ups flow. `open`: look-ups are shed. `half-open`: one probe is in flight or allowed. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerConfig {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before letting one probe through. */
  cooldownMs: number;
  /** The clock, in milliseconds. */
  now: () => number;
  /** Called on every state change. */
  onStateChange?: ((state: CircuitState, previous: CircuitState) => void) | undefined;
}

/**
 * A permit to make one look-up. Report exactly one outcome: `success()`, `failure()`,
 * or `release()` (aborted by the caller: no verdict either way).
 */
export interface CircuitPermit {
  success(): void;
  failure(): void;
  release(): void;
}

/** A consecutive-failure circuit breaker with a single half-open probe. */
export interface CircuitBreaker {
  /** The current state (an open breaker whose cool-down has passed reads `half-open`). */
  readonly state: CircuitState;
  /** Consecutive failures counted so far. */
  readonly consecutiveFailures: number;
  /** A permit for one look-up, or `null` when the look-up must be shed. */
  tryAcquire(): CircuitPermit | null;
}

/**
 * Creates a circuit breaker: after `failureThreshold` consecutive failures it opens and
 * sheds every look-up for `cooldownMs`; then it half-opens and lets exactly one probe
 * through; the probe's success closes it, its failure re-opens it for another cool-down.
 * A probe that is released without a verdict (caller abort) lets the next caller probe.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000, now: Date.now });
 * const permit = breaker.tryAcquire();
 * if (permit) { try { await lookUp(); permit.success(); } catch { permit.failure(); } }
 * ```
 */
export function createCircuitBreaker(config: CircuitBreakerConfig): CircuitBreaker {
  const { failureThreshold, cooldownMs, now, onStateChange } = config;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  /** Bumped on each transition, so that permits issued earlier cannot change the new state. */
  let generation = 0;

  const set = (next: CircuitState): void => {
    if (next === state) return;
    const previous = state;
    state = next;
    generation++;
    onStateChange?.(next, previous);
  };
  const current = (): CircuitState => {
    if (state === 'open' && now() - openedAt >= cooldownMs) {
      set('half-open');
      probing = false;
    }
    return state;
  };
  const open = (): void => {
    openedAt = now();
    probing = false;
    set('open');
  };

  const permit = (isProbe: boolean): CircuitPermit => {
    const gen = generation;
    let done = false;
    const settle = (): boolean => {
      if (done) return false;
      done = true;
      if (isProbe) probing = false;
      return gen === generation;
    };
    return {
      success() {
        if (!settle()) return;
        failures = 0;
        if (state !== 'closed') set('closed');
      },
      failure() {
        if (!settle()) return;
        failures++;
        if (isProbe || (state === 'closed' && failures >= failureThreshold)) open();
      },
      release() {
        settle();
      },
    };
  };

  return {
    get state() {
      return current();
    },
    get consecutiveFailures() {
      return failures;
    },
    tryAcquire() {
      const s = current();
      if (s === 'closed') return permit(false);
      if (s === 'open' || probing) return null;
      probing = true;
      return permit(true);
    },
  };
}
