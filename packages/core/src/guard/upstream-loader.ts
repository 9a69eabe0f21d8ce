/**
 * One upstream look-up as the cache asks for it: a circuit-breaker permit, a unit of the
 * look-up budget, the provider call raced with the flight's signal, and a `lookup` event.
 */
import type { FlightInfo, UpstreamLoader } from '../cache/status-cache.js';
import { type ErrorFault, faultOf } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import type { LiveStatus, LiveStatusProvider, UseCase } from '../model/types.js';
import { channels, publishGuardEvent } from '../observe/channels.js';
import type { CircuitBreaker, CircuitPermit } from '../resilience/circuit-breaker.js';
import type { LookupBudget } from '../resilience/lookup-budget.js';
import { guardError } from './error-codes.js';
import { errorCodeOf, type GuardLog, scrub } from './guard-log.js';
import type { GuardCounters } from './stats.js';

/** What the loader works with. */
export interface UpstreamLoaderParts {
  readonly provider: LiveStatusProvider;
  readonly breaker: CircuitBreaker | null;
  readonly budget: LookupBudget | null;
  readonly counters: GuardCounters;
  /** The guard's `name`, carried by `lookup` events. */
  readonly guardName: string | undefined;
  readonly log: GuardLog;
  /** What the loader last saw go wrong upstream, for the breaker's log lines. */
  readonly health: UpstreamHealth;
}

/** The loader's memory of the upstream's last failure. */
export interface UpstreamHealth {
  /** Code of the last failure whose fault was the upstream's, or `null`. */
  lastErrorCode: string | null;
}

const CONFIG_EPISODE = 'config:';

/**
 * Admits one upstream request (a Live look-up or an add-on request): a breaker permit and
 * a unit of the budget. Throws `CIRCUIT_OPEN`, `BUDGET_EXCEEDED` (both logged as lasting
 * conditions, with a retry time) or the signal's reason; the permit is released on each.
 */
export async function admitRequest(
  parts: Pick<UpstreamLoaderParts, 'breaker' | 'budget' | 'log' | 'health' | 'guardName'>,
  signal: AbortSignal,
): Promise<CircuitPermit | null> {
  const { breaker, budget, log, health, guardName } = parts;
  const permit = breaker ? breaker.tryAcquire() : null;
  if (breaker && permit === null) throw shed(breaker, log, health);
  if (budget) {
    if (!(await budget.consume())) {
      permit?.release();
      throw spent(budget, log, guardName);
    }
    log.endEpisode('budget', 'phone-guard: the look-up budget has room again');
  }
  if (signal.aborted) {
    permit?.release();
    throw signal.reason;
  }
  return permit;
}

/** How a request failed, once {@link settleFailure} has accounted for it. */
export interface SettledFailure {
  /** `LOOKUP_TIMEOUT` when the flight's deadline passed, else the error's code. */
  readonly code: string;
  /** Whose fault it was (`caller` when every waiter left or the guard closed). */
  readonly fault: ErrorFault;
  /** Every waiter aborted, or the guard closed. */
  readonly callerGone: boolean;
}

/**
 * Accounts for a failed request: the breaker counts only the upstream's faults (and a
 * request every waiter left by timeout), anything else releases the permit; a
 * configuration fault is logged as an error naming the cause.
 */
export function settleFailure(
  parts: Pick<UpstreamLoaderParts, 'log' | 'health'>,
  permit: CircuitPermit | null,
  flight: FlightInfo,
  error: unknown,
): SettledFailure {
  const callerGone = flight.abortCause === 'aborted' || flight.abortCause === 'closed';
  const fault = callerGone ? 'caller' : faultOf(error);
  const code = flight.abortCause === 'timeout' ? 'LOOKUP_TIMEOUT' : errorCodeOf(error);
  if (flight.abortCause === 'timeout' || fault === 'upstream') {
    parts.health.lastErrorCode = code;
    permit?.failure();
  } else permit?.release();
  if (fault === 'config') reportConfigFault(parts.log, code, error);
  return { code, fault, callerGone };
}

/**
 * Creates the loader the status cache calls on a miss. It rejects with `CIRCUIT_OPEN`
 * when the breaker sheds, `BUDGET_EXCEEDED` when the budget is spent, the signal's reason
 * when the flight is aborted, or the provider's error.
 *
 * The breaker measures upstream health only: a failure whose fault is `upstream`
 * (transport, timeout, 5xx, rate limiting, an unusable answer — see `faultOf`) counts
 * against it, and so does a look-up every waiter left by timeout (the upstream did not
 * answer in time); an answer about one request or number, a configuration fault, an
 * internal error, or a caller who gave up releases the permit without a verdict.
 */
export function createUpstreamLoader(parts: UpstreamLoaderParts): UpstreamLoader {
  const { provider, counters, guardName, log } = parts;
  return async function loadFromUpstream(e164, useCase, signal, flight) {
    const permit = await admitRequest(parts, signal);
    counters.lookups++;
    const started = performance.now();
    try {
      const status = await askProvider(provider, e164, useCase, signal);
      permit?.success();
      log.endEpisodes(
        CONFIG_EPISODE,
        (key) =>
          `phone-guard: look-ups succeed again; the configuration error ${key.slice(CONFIG_EPISODE.length)} is over`,
      );
      publishLookup(guardName, e164, useCase, started, 'ok', status, null);
      return status;
    } catch (error) {
      const { code, fault, callerGone } = settleFailure(parts, permit, flight, error);
      if (fault !== 'caller') counters.lookupFailures++;
      const outcome = callerGone ? 'aborted' : 'error';
      publishLookup(guardName, e164, useCase, started, outcome, null, code);
      throw error;
    }
  };
}

/** The error of a look-up the open breaker sheds; it says when the next probe may go. */
export function shed(breaker: CircuitBreaker, log: GuardLog, health: UpstreamHealth): Error {
  const retryAfterMs = Math.max(breaker.retryAfterMs(), 1000);
  log.episode('breaker', 'warn', () => breakerOpenMessage(breaker, health));
  return guardError(
    'CIRCUIT_OPEN',
    'The circuit breaker is open: the upstream is failing, so look-ups are shed.',
    'upstream',
    undefined,
    retryAfterMs,
  );
}

/** What the breaker's log lines say while it is open. */
export function breakerOpenMessage(breaker: CircuitBreaker, health: UpstreamHealth): string {
  const last = health.lastErrorCode === null ? '' : ` (last error: ${health.lastErrorCode})`;
  return `phone-guard: circuit breaker open: the upstream is failing${last}; look-ups are shed (CIRCUIT_OPEN) and checks of numbers not in the cache follow the fail mode; next probe in ${breaker.retryAfterMs()} ms`;
}

/** The error of a look-up the spent budget refuses; logged and published once per episode. */
export function spent(budget: LookupBudget, log: GuardLog, guardName: string | undefined): Error {
  const retryAfterMs = budget.retryAfterMs();
  const { used, limit, windowMs, shared } = budget;
  // Every refusal is published (a counter of refused look-ups); the log says it once per
  // episode and reminds every minute.
  publishGuardEvent('budget', { used, limit, windowMs, shared, guard: guardName });
  log.episode(
    'budget',
    'warn',
    () =>
      `phone-guard: the look-up budget (${limit} per ${windowMs} ms${shared ? ', shared' : ''}) is spent: checks of numbers not in the cache follow the fail mode (BUDGET_EXCEEDED) for ${retryAfterMs} ms more. If one client spends it, put a per-client rate limit in front of the route`,
  );
  return guardError(
    'BUDGET_EXCEEDED',
    'The look-up budget of this window is spent.',
    'upstream',
    undefined,
    retryAfterMs,
  );
}

/**
 * A look-up failed because the deployment is wrong (credentials, a product not enabled,
 * payment, hard cap): an error naming the cause when it begins and every minute while it
 * lasts, whether or not the breaker is on.
 */
function reportConfigFault(log: GuardLog, code: string, error: unknown): void {
  log.episode(`${CONFIG_EPISODE}${code}`, 'error', () => {
    const detail = error instanceof Error ? scrub(error.message) : String(code);
    const what = code.includes('AUTH')
      ? 'Telesign rejected the credentials (authentication failed)'
      : 'the provider refused the look-up for a configuration reason';
    return `phone-guard: ${what} [${code}]: ${detail} Every look-up fails until this is fixed; checks follow the fail mode.`;
  });
}

/**
 * Runs a provider call, racing its promise with `signal`: a provider that ignores the
 * signal must not keep the flight alive.
 */
export function raceSignal<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(call)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Asks the provider for the Live status (see {@link raceSignal}). */
function askProvider(
  provider: LiveStatusProvider,
  e164: string,
  useCase: UseCase,
  signal: AbortSignal,
): Promise<LiveStatus> {
  return raceSignal(() => provider.getLiveStatus(e164, { useCase, signal }), signal);
}

function publishLookup(
  guardName: string | undefined,
  e164: string,
  useCase: UseCase,
  started: number,
  outcome: 'ok' | 'error' | 'aborted',
  status: LiveStatus | null,
  errorCode: string | null,
): void {
  if (!channels.lookup.hasSubscribers) return;
  channels.lookup.publish({
    phone: maskPhone(e164),
    useCase,
    outcome,
    durationMs: performance.now() - started,
    subscriberStatus: status ? status.subscriberStatus : null,
    errorCode,
    guard: guardName,
    product: 'live',
  });
}
