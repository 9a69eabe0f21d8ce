import type { Decision } from '../model/decision.js';
import { maskPhone } from '../model/mask.js';
import { channels } from '../observe/channels.js';
import type { CheckMode } from './check-options.js';
import { type GuardLog, redactError } from './guard-log.js';
import { isEnforced } from './rollout.js';
import type { GuardCounters } from './stats.js';

/**
 * Hands a finished decision to the world and returns it. `route`, `mode` and `enforce`
 * are the check's labels (see `CheckOptions`): passed as arguments, not as an object,
 * so that a cache hit allocates nothing.
 */
export type DecisionPublisher = (
  decision: Decision,
  route?: string,
  mode?: CheckMode,
  enforce?: number,
  cacheHit?: boolean,
) => Decision;

/**
 * Every decision passes here once before the caller gets it: it is counted (in shadow
 * mode, outside the enforced share, a `block` also in `wouldBlock`), published on the
 * `decision` channel (with the guard's `name`, the check's route and mode, the number
 * masked) and given to the `onDecision` hook, whose errors and rejections are logged once
 * and never reach the check.
 */
export function createDecisionPublisher(
  guardName: string | undefined,
  counters: GuardCounters,
  onDecision: ((decision: Decision) => void) | undefined,
  log: GuardLog,
): DecisionPublisher {
  const reportHookError = (error: unknown): void =>
    log.errorOnce(
      'onDecision',
      'phone-guard: onDecision rejected (logged once)',
      redactError(error),
    );
  return (decision, route, mode, enforce = 0, cacheHit = false) => {
    counters.checks++;
    if (mode === 'shadow') {
      // An enforced number of a gradual rollout is handled as in block mode.
      if (enforce > 0 && decision.phone !== null && isEnforced(decision.phone.e164, enforce)) {
        mode = 'block';
      } else if (decision.action === 'block') {
        counters.shadowBlock(decision.reasons[0] ?? 'NONE');
      }
    }
    if (channels.decision.hasSubscribers) {
      channels.decision.publish({
        action: decision.action,
        reasons: decision.reasons,
        source: decision.source,
        failedOpen: decision.failedOpen,
        useCase: decision.useCase,
        phone: decision.phone ? maskPhone(decision.phone.e164) : null,
        errorCode: decision.error ? decision.error.code : null,
        guard: guardName,
        route,
        mode,
        cacheHit,
      });
    }
    if (onDecision !== undefined) {
      try {
        const returned: unknown = onDecision(decision);
        if (
          returned !== null &&
          typeof returned === 'object' &&
          typeof (returned as Promise<unknown>).then === 'function'
        ) {
          (returned as Promise<unknown>).then(undefined, reportHookError);
        }
      } catch (error) {
        log.errorOnce(
          'onDecision',
          'phone-guard: onDecision threw (logged once)',
          redactError(error),
        );
      }
    }
    return decision;
  };
}
