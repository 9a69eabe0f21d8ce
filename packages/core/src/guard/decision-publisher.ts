import type { Decision } from '../model/decision.js';
import { maskPhone } from '../model/mask.js';
import { channels } from '../observe/channels.js';
import { type GuardLog, redactError } from './guard-log.js';
import type { GuardCounters } from './stats.js';

/** Hands a finished decision to the world and returns it. */
export type DecisionPublisher = (decision: Decision) => Decision;

/**
 * Every decision passes here once before the caller gets it: it is counted, published on
 * the `decision` channel (with the guard's `name`, the number masked) and given to the
 * `onDecision` hook, whose errors and rejections are logged once and never reach the check.
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
  return (decision) => {
    counters.checks++;
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
