/**
 * `closed`: look-ups flow. `open`: look-ups are shed. `half-open`: the cool-down has
 * passed and a few probes may go through.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerConfig {
  /**
   * Fewest failures inside the window that can open the breaker, so that one or two
   * errors on a quiet service never shed traffic.
   */
  failureThreshold: number;
  /**
   * The longest cool-down, in milliseconds. The first cool-down after the breaker opens
   * is `minCooldownMs`; each failed probe doubles it, up to this value; a successful
   * probe closes the breaker and resets it.
   */
  cooldownMs: number;
  /**
   * The first (shortest) cool-down in milliseconds.
   * @default min(1000, cooldownMs)
   */
  minCooldownMs?: number | undefined;
  /**
   * The sliding window over which failures are counted, in milliseconds.
   * @default 10_000
   */
  windowMs?: number | undefined;
  /**
   * Share of failed look-ups within the window (0 < rate ≤ 1) at or above which the
   * breaker opens, once `failureThreshold` failures are in it.
   * @default 0.5
   */
  failureRate?: number | undefined;
  /**
   * Probes allowed at once while half-open. More than one, so that a single slow or
   * unlucky probe does not hide a recovered upstream.
   * @default 3
   */
  probes?: number | undefined;
  /** The clock, in milliseconds. */
  now: () => number;
  /** Called on every state change. */
  onStateChange?: ((state: CircuitState, previous: CircuitState) => void) | undefined;
}

/**
 * A permit to make one look-up. Report exactly one outcome: `success()`, `failure()`
 * (the upstream is unhealthy), or `release()` (no verdict about the upstream's health:
 * the caller gave up, or the answer was about this one request).
 */
export interface CircuitPermit {
  success(): void;
  failure(): void;
  release(): void;
}

/** An error-rate circuit breaker with a growing cool-down and several half-open probes. */
export interface CircuitBreaker {
  /** The current state (an open breaker whose cool-down has passed reads `half-open`). */
  readonly state: CircuitState;
  /** Failures since the last success. */
  readonly consecutiveFailures: number;
  /** The cool-down the breaker is in, or will use when it next opens, in milliseconds. */
  readonly cooldownMs: number;
  /**
   * Milliseconds until the next probe may go through while open; 0 when look-ups flow
   * (closed) or probes may be sent now (half-open).
   */
  retryAfterMs(): number;
  /** A permit for one look-up, or `null` when the look-up must be shed. */
  tryAcquire(): CircuitPermit | null;
}

const BUCKETS = 10;

/** Success and failure counts over a sliding window, in {@link BUCKETS} time buckets. */
class OutcomeWindow {
  private readonly successes = new Array<number>(BUCKETS).fill(0);
  private readonly failures = new Array<number>(BUCKETS).fill(0);
  private readonly bucketMs: number;
  private currentBucket = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
  }

  record(t: number, failed: boolean): void {
    const index = this.advance(t);
    if (failed) this.failures[index] = (this.failures[index] ?? 0) + 1;
    else this.successes[index] = (this.successes[index] ?? 0) + 1;
  }

  /** Failures and total outcomes inside the window ending at `t`. */
  totals(t: number): { failures: number; total: number } {
    this.advance(t);
    let failures = 0;
    let total = 0;
    for (let i = 0; i < BUCKETS; i++) {
      failures += this.failures[i] ?? 0;
      total += (this.failures[i] ?? 0) + (this.successes[i] ?? 0);
    }
    return { failures, total };
  }

  reset(): void {
    this.successes.fill(0);
    this.failures.fill(0);
  }

  /** Moves the window to `t`, emptying the buckets it leaves behind; returns t's bucket. */
  private advance(t: number): number {
    const bucket = Math.floor(t / this.bucketMs);
    if (bucket < this.currentBucket) return this.indexOf(this.currentBucket); // clock went back
    const gone = Math.min(BUCKETS, bucket - this.currentBucket);
    for (let i = 1; i <= gone; i++) {
      const index = this.indexOf(this.currentBucket + i);
      this.successes[index] = 0;
      this.failures[index] = 0;
    }
    this.currentBucket = bucket;
    return this.indexOf(bucket);
  }

  private indexOf(bucket: number): number {
    return ((bucket % BUCKETS) + BUCKETS) % BUCKETS;
  }
}

/**
 * Creates a circuit breaker that measures the upstream's health only. It opens when, in
 * the last `windowMs`, at least `failureThreshold` look-ups failed and they are at least
 * `failureRate` of all look-ups. It then sheds look-ups for a cool-down that starts at
 * `minCooldownMs` (1 s) and doubles after each failed probe up to `cooldownMs` (30 s).
 * Half-open, it lets up to `probes` look-ups through at once: the first success closes
 * it (and resets the cool-down), a failure re-opens it. Permits released without a
 * verdict (caller aborts, answers about one number) change nothing.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000, now: Date.now });
 * const permit = breaker.tryAcquire();
 * if (permit) { try { await lookUp(); permit.success(); } catch { permit.failure(); } }
 * ```
 */
export function createCircuitBreaker(config: CircuitBreakerConfig): CircuitBreaker {
  const { failureThreshold, now, onStateChange } = config;
  const maxCooldownMs = config.cooldownMs;
  const minCooldownMs = Math.min(config.minCooldownMs ?? 1000, maxCooldownMs);
  const failureRate = config.failureRate ?? 0.5;
  const maxProbes = config.probes ?? 3;
  const window = new OutcomeWindow(config.windowMs ?? 10_000);

  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let cooldownMs = minCooldownMs;
  let openedAt = 0;
  let probesInFlight = 0;
  /** Bumped on each transition, so that permits issued earlier cannot change the new state. */
  let generation = 0;

  const transition = (next: CircuitState): void => {
    if (next === state) return;
    const previous = state;
    state = next;
    generation++;
    probesInFlight = 0;
    onStateChange?.(next, previous);
  };
  const currentState = (): CircuitState => {
    if (state === 'open' && now() - openedAt >= cooldownMs) transition('half-open');
    return state;
  };
  const open = (afterFailedProbe: boolean): void => {
    if (afterFailedProbe) cooldownMs = Math.min(maxCooldownMs, cooldownMs * 2);
    openedAt = now();
    transition('open');
  };
  const close = (): void => {
    cooldownMs = minCooldownMs;
    window.reset();
    transition('closed');
  };
  const shouldOpen = (t: number): boolean => {
    const { failures, total } = window.totals(t);
    return failures >= failureThreshold && failures >= failureRate * total;
  };

  const issuePermit = (isProbe: boolean): CircuitPermit => {
    const issuedIn = generation;
    let settled = false;
    /** True when the verdict still belongs to the state the permit was issued in. */
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (issuedIn !== generation) return false;
      if (isProbe) probesInFlight--;
      return true;
    };
    return {
      success() {
        const current = settle();
        consecutiveFailures = 0;
        if (!current) return;
        if (isProbe) close();
        else window.record(now(), false);
      },
      failure() {
        const current = settle();
        consecutiveFailures++;
        if (!current) return;
        if (isProbe) {
          open(true);
          return;
        }
        const t = now();
        window.record(t, true);
        if (shouldOpen(t)) open(false);
      },
      release() {
        settle();
      },
    };
  };

  return {
    get state() {
      return currentState();
    },
    get consecutiveFailures() {
      return consecutiveFailures;
    },
    get cooldownMs() {
      return cooldownMs;
    },
    retryAfterMs() {
      if (currentState() !== 'open') return 0;
      return Math.max(0, openedAt + cooldownMs - now());
    },
    tryAcquire() {
      const s = currentState();
      if (s === 'closed') return issuePermit(false);
      if (s === 'open' || probesInFlight >= maxProbes) return null;
      probesInFlight++;
      return issuePermit(true);
    },
  };
}
