/**
 * One upstream look-up as the cache asks for it: a circuit-breaker permit, a unit of the
 * look-up budget, the provider call raced with the flight's signal, and a `lookup` event.
 */
import type { UpstreamLoader } from '../cache/status-cache.js';
import { faultOf } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import type { LiveStatus, LiveStatusProvider, UseCase } from '../model/types.js';
import { channels } from '../observe/channels.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { LookupBudget } from '../resilience/lookup-budget.js';
import { guardError } from './error-codes.js';
import { errorCodeOf } from './guard-log.js';
import type { GuardCounters } from './stats.js';

/** What the loader works with. */
export interface UpstreamLoaderParts {
  readonly provider: LiveStatusProvider;
  readonly breaker: CircuitBreaker | null;
  readonly budget: LookupBudget | null;
  readonly counters: GuardCounters;
  /** The guard's `name`, carried by `lookup` events. */
  readonly guardName: string | undefined;
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
  const { provider, breaker, budget, counters, guardName } = parts;
  return async function loadFromUpstream(e164, useCase, signal, flight) {
    const permit = breaker ? breaker.tryAcquire() : null;
    if (breaker && permit === null) {
      throw guardError(
        'CIRCUIT_OPEN',
        'The circuit breaker is open: look-ups are shed.',
        'upstream',
      );
    }
    if (budget && !(await budget.consume())) {
      permit?.release();
      throw guardError('BUDGET_EXCEEDED', 'The look-up budget of this window is spent.', 'config');
    }
    if (signal.aborted) {
      permit?.release();
      throw signal.reason;
    }
    counters.lookups++;
    const started = performance.now();
    try {
      const status = await askProvider(provider, e164, useCase, signal);
      permit?.success();
      publishLookup(guardName, e164, useCase, started, 'ok', status, null);
      return status;
    } catch (error) {
      const callerGone = flight.abortCause === 'aborted' || flight.abortCause === 'closed';
      const fault = callerGone ? 'caller' : faultOf(error);
      if (flight.abortCause === 'timeout' || fault === 'upstream') permit?.failure();
      else permit?.release();
      if (fault !== 'caller') counters.lookupFailures++;
      const code = flight.abortCause === 'timeout' ? 'LOOKUP_TIMEOUT' : errorCodeOf(error);
      const outcome = callerGone ? 'aborted' : 'error';
      publishLookup(guardName, e164, useCase, started, outcome, null, code);
      throw error;
    }
  };
}

/**
 * Calls the provider, racing its promise with `signal`: a provider that ignores the
 * signal must not keep the flight alive.
 */
function askProvider(
  provider: LiveStatusProvider,
  e164: string,
  useCase: UseCase,
  signal: AbortSignal,
): Promise<LiveStatus> {
  return new Promise<LiveStatus>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => provider.getLiveStatus(e164, { useCase, signal }))
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
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
  });
}
