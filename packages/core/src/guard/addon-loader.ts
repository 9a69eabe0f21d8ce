/**
 * One Phone ID add-on request as the add-on cache asks for it, under the same limits as a
 * Live look-up: a circuit-breaker permit, a unit of the look-up budget, the provider call
 * raced with the flight's signal. Add-on statuses that say the deployment is wrong (2806
 * not enabled) or phone-guard is (2801/2807) are logged here.
 */
import type { AddonLoader, AddonRequest } from '../cache/addon-cache.js';
import { faultOf } from '../model/errors.js';
import type {
  AddonStatus,
  PhoneIdAddons,
  PhoneIdAddonsProvider,
} from '../model/identity-signals.js';
import type { LiveStatusProvider } from '../model/types.js';
import { errorCodeOf } from './guard-log.js';
import { reportConfigFault, shed, spent, type UpstreamLoaderParts } from './upstream-loader.js';

/** The provider's add-on method, or `null` when it has none (a custom `LiveStatusProvider`). */
export function addonProviderOf(provider: LiveStatusProvider): PhoneIdAddonsProvider | null {
  const candidate = provider as Partial<PhoneIdAddonsProvider>;
  return typeof candidate.getPhoneIdAddons === 'function'
    ? (candidate as PhoneIdAddonsProvider)
    : null;
}

/** Log episode keys of an add-on that is not enabled, by add-on. */
const NOT_ENABLED_EPISODE = 'addon-not-enabled:';

const NAMES = {
  numberDeactivation: ['number-deactivation', 'reassignment'],
  simSwap: ['SIM-swap', 'simSwap'],
} as const;

/**
 * Logs what an add-on's status says about the deployment: not enabled for the account
 * (an error naming the add-on when it begins and every minute while it lasts, then once
 * when it answers again), or parameters refused (a phone-guard bug, once).
 */
function reportStatuses(parts: UpstreamLoaderParts, answer: PhoneIdAddons): void {
  const { log } = parts;
  const each: [keyof typeof NAMES, AddonStatus | undefined][] = [
    ['numberDeactivation', answer.numberDeactivation?.status],
    ['simSwap', answer.simSwap?.status],
  ];
  for (const [addon, status] of each) {
    if (status === undefined) continue;
    const [name, rule] = NAMES[addon];
    const key = `${NOT_ENABLED_EPISODE}${addon}`;
    if (status.outcome === 'config_error') {
      log.episode(
        key,
        'error',
        () =>
          `phone-guard: configuration error: the Telesign ${name} add-on is not enabled for this account (status ${status.code ?? '?'}). Every ${name} verdict is unknown until Telesign enables it (or the policy says ${rule}: false); checks follow the policy's unknown rule.`,
      );
    } else if (status.outcome === 'bug') {
      log.errorOnce(
        `addon-rejected:${addon}`,
        `phone-guard: Telesign refused the parameters of the ${name} add-on (status ${status.code ?? '?'}): a phone-guard bug, please report it. Its verdicts are unknown (logged once).`,
      );
    } else {
      log.endEpisode(key, `phone-guard: the Telesign ${name} add-on answers again`);
    }
  }
}

/** Calls the provider, racing its promise with `signal`. */
function askAddons(
  provider: PhoneIdAddonsProvider,
  e164: string,
  request: AddonRequest,
  signal: AbortSignal,
): Promise<PhoneIdAddons> {
  return new Promise<PhoneIdAddons>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() =>
        provider.getPhoneIdAddons(e164, {
          numberDeactivation: request.numberDeactivation,
          simSwap: request.simSwap,
          signal,
        }),
      )
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Creates the loader the add-on cache calls. Like the Live loader it rejects with
 * `CIRCUIT_OPEN`, `BUDGET_EXCEEDED` (one budget unit per request), the signal's reason or
 * the provider's error; the breaker counts upstream faults of add-on requests too, since
 * they go to the same Telesign.
 */
export function createAddonLoader(
  provider: PhoneIdAddonsProvider,
  parts: UpstreamLoaderParts,
): AddonLoader {
  const { breaker, budget, counters, guardName, log, health } = parts;
  return async function loadAddons(e164, request, signal, flight) {
    const permit = breaker ? breaker.tryAcquire() : null;
    if (breaker && permit === null) throw shed(breaker, log, health);
    if (budget) {
      if (!(await budget.consume())) {
        permit?.release();
        throw spent(budget, log, guardName);
      }
    }
    if (signal.aborted) {
      permit?.release();
      throw signal.reason;
    }
    counters.addonLookups++;
    try {
      const answer = await askAddons(provider, e164, request, signal);
      permit?.success();
      reportStatuses(parts, answer);
      return answer;
    } catch (error) {
      const callerGone = flight.abortCause === 'aborted' || flight.abortCause === 'closed';
      const fault = callerGone ? 'caller' : faultOf(error);
      const code = flight.abortCause === 'timeout' ? 'LOOKUP_TIMEOUT' : errorCodeOf(error);
      if (flight.abortCause === 'timeout' || fault === 'upstream') {
        health.lastErrorCode = code;
        permit?.failure();
      } else permit?.release();
      if (fault === 'config') reportConfigFault(log, code, error);
      throw error;
    }
  };
}
