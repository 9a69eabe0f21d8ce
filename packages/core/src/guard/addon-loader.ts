/**
 * One Phone ID add-on request as the add-on cache asks for it, under the same limits as a
 * Live look-up: a circuit-breaker permit, a unit of the look-up budget, the provider call
 * raced with the flight's signal, and a `lookup` event (`product: 'addons'`). Failures are
 * counted (`addonLookupFailures`) and logged as an episode, so that an add-on outage is
 * never mistaken for "no data"; statuses that say the deployment is wrong (2806 not
 * enabled) or phone-guard is (2801/2807, unreadable data) are logged here too.
 */
import type { AddonLoader, AddonRequest } from '../cache/addon-cache.js';
import type {
  AddonStatus,
  PhoneIdAddons,
  PhoneIdAddonsProvider,
} from '../model/identity-signals.js';
import { maskPhone } from '../model/mask.js';
import type { LiveStatusProvider, UseCase } from '../model/types.js';
import { channels } from '../observe/channels.js';
import { addonStatusReason, isFailedAddonStatus } from '../signals/addon-status-reason.js';
import type { GuardLog } from './guard-log.js';
import {
  admitRequest,
  raceSignal,
  settleFailure,
  type UpstreamLoaderParts,
} from './upstream-loader.js';

/** The provider's add-on method, or `null` when it has none (a custom `LiveStatusProvider`). */
export function addonProviderOf(provider: LiveStatusProvider): PhoneIdAddonsProvider | null {
  const candidate = provider as Partial<PhoneIdAddonsProvider>;
  return typeof candidate.getPhoneIdAddons === 'function'
    ? (candidate as PhoneIdAddonsProvider)
    : null;
}

/** Log episode keys of an add-on that is not enabled, by add-on. */
const NOT_ENABLED_EPISODE = 'addon-not-enabled:';
/** Log episode key of failing add-on requests (errors, timeouts, 2802/2810/2811). */
const FAILING_EPISODE = 'addons-failing';

const NAMES = {
  numberDeactivation: ['number-deactivation', 'reassignment'],
  simSwap: ['SIM-swap', 'simSwap'],
} as const;

/** Logs that add-on requests fail: when it begins, every minute while it lasts. */
function reportFailing(log: GuardLog, code: string): void {
  log.episode(
    FAILING_EPISODE,
    'warn',
    () =>
      `phone-guard: Phone ID add-on requests are failing (last error: ${code}): the identity signals they carry (number deactivation, SIM swap) cannot be had, so checks that ask for them follow the fail mode (LOOKUP_FAILED with REASSIGNMENT_UNKNOWN / SIM_SWAP_UNKNOWN) until they answer again. This is an outage, not "no data"`,
  );
}

/**
 * Logs what an add-on's status says about the deployment: not enabled for the account
 * (an error naming the add-on when it begins and every minute while it lasts, then once
 * when it answers again), parameters refused (a phone-guard bug, once), data that cannot
 * be read (once), a passing failure (the failing episode). Returns the reason code of
 * the first status that means the add-on could not answer, or `null`.
 */
function reportStatuses(parts: UpstreamLoaderParts, answer: PhoneIdAddons): string | null {
  const { log } = parts;
  const each: [keyof typeof NAMES, AddonStatus | undefined][] = [
    ['numberDeactivation', answer.numberDeactivation?.status],
    ['simSwap', answer.simSwap?.status],
  ];
  let failed: string | null = null;
  for (const [addon, status] of each) {
    if (status === undefined) continue;
    const [name, rule] = NAMES[addon];
    const key = `${NOT_ENABLED_EPISODE}${addon}`;
    if (isFailedAddonStatus(status)) failed ??= addonStatusReason(status);
    if (status.outcome === 'config_error') {
      log.episode(
        key,
        'error',
        () =>
          `phone-guard: configuration error: the Telesign ${name} add-on is not enabled for this account (status ${status.code ?? '?'}). Every ${name} signal fails until Telesign enables it (or the policy says ${rule}: false): checks that ask for it follow the fail mode (LOOKUP_FAILED, CONFIG_ERROR).`,
      );
      continue;
    }
    log.endEpisode(key, `phone-guard: the Telesign ${name} add-on answers again`);
    if (status.outcome === 'bug') {
      log.errorOnce(
        `addon-rejected:${addon}`,
        `phone-guard: Telesign refused the parameters of the ${name} add-on (status ${status.code ?? '?'}): a phone-guard bug, please report it. Checks that ask for it follow the fail mode (logged once).`,
      );
    } else if (status.outcome === 'retryable') {
      reportFailing(log, `${addonStatusReason(status)} (${name} status ${status.code ?? '?'})`);
    } else if (addonStatusReason(status) === 'ADDON_UNREADABLE') {
      log.errorOnce(
        `addon-unreadable:${addon}`,
        `phone-guard: the Telesign ${name} add-on answered with data phone-guard cannot read (${status.description ?? '?'}): such verdicts are unknown (ADDON_UNREADABLE), never a pass. Please report it (logged once).`,
      );
    }
  }
  return failed;
}

/** Asks the provider for the add-on records, racing its promise with `signal`. */
function askAddons(
  provider: PhoneIdAddonsProvider,
  e164: string,
  request: AddonRequest,
  signal: AbortSignal,
): Promise<PhoneIdAddons> {
  const options = {
    numberDeactivation: request.numberDeactivation,
    simSwap: request.simSwap,
    signal,
  };
  return raceSignal(() => provider.getPhoneIdAddons(e164, options), signal);
}

/** Publishes the `lookup` event of one add-on request (`product: 'addons'`). */
function publishAddonLookup(
  guardName: string | undefined,
  e164: string,
  useCase: UseCase,
  started: number,
  outcome: 'ok' | 'error' | 'aborted',
  errorCode: string | null,
): void {
  if (!channels.lookup.hasSubscribers) return;
  channels.lookup.publish({
    phone: maskPhone(e164),
    useCase,
    outcome,
    durationMs: performance.now() - started,
    subscriberStatus: null,
    errorCode,
    guard: guardName,
    product: 'addons',
  });
}

/**
 * Creates the loader the add-on cache calls. Like the Live loader it rejects with
 * `CIRCUIT_OPEN`, `BUDGET_EXCEEDED` (one budget unit per request), the signal's reason or
 * the provider's error; the breaker counts upstream faults of add-on requests too, since
 * they go to the same Telesign. A request that fails, or whose answer says an add-on
 * could not answer (2801/2802/2806/2807/2810/2811), counts in `addonLookupFailures` and
 * publishes `outcome: 'error'`.
 *
 * @param useCaseOf The use case of the check that started the request for a number, for
 *   its `lookup` event (Telesign's add-on request itself carries none).
 */
export function createAddonLoader(
  provider: PhoneIdAddonsProvider,
  parts: UpstreamLoaderParts,
  useCaseOf: (e164: string) => UseCase,
): AddonLoader {
  const { counters, guardName, log } = parts;
  return async function loadAddons(e164, request, signal, flight) {
    const permit = await admitRequest(parts, signal);
    counters.addonLookups++;
    const started = performance.now();
    const useCase = useCaseOf(e164);
    try {
      const answer = await askAddons(provider, e164, request, signal);
      permit?.success();
      const failed = reportStatuses(parts, answer);
      if (failed === null) {
        log.endEpisode(FAILING_EPISODE, 'phone-guard: Phone ID add-on requests answer again');
      } else counters.addonLookupFailures++;
      publishAddonLookup(guardName, e164, useCase, started, failed ? 'error' : 'ok', failed);
      return answer;
    } catch (error) {
      const { code, fault, callerGone } = settleFailure(parts, permit, flight, error);
      if (fault !== 'caller') counters.addonLookupFailures++;
      // An answer about this one number (400/404 with Telesign's code) is no outage.
      if (fault === 'upstream' || flight.abortCause === 'timeout') reportFailing(log, code);
      publishAddonLookup(guardName, e164, useCase, started, callerGone ? 'aborted' : 'error', code);
      throw error;
    }
  };
}
