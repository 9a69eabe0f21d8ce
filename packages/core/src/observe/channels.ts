import diagnosticsChannel from 'node:diagnostics_channel';
import type { DecisionAction, DecisionReason, DecisionSource } from '../model/decision.js';
import type { UseCase } from '../model/types.js';
import type { CircuitState } from '../resilience/circuit-breaker.js';

/**
 * The `node:diagnostics_channel` names the guard publishes on. Payloads never hold a full
 * phone number: `phone` is masked with `maskPhone` (`+1415*****71`).
 */
export const GUARD_CHANNELS = Object.freeze({
  /** Every decision: {@link DecisionEvent}. */
  decision: 'phone-guard:decision',
  /** Every upstream look-up when it ends: {@link LookupEvent}. */
  lookup: 'phone-guard:lookup',
  /** Circuit breaker state changes: {@link BreakerEvent}. */
  breaker: 'phone-guard:breaker',
  /** Store calls that failed or timed out: {@link StoreErrorEvent}. */
  storeError: 'phone-guard:store-error',
});

/** Payload of `phone-guard:decision`. */
export interface DecisionEvent {
  action: DecisionAction;
  reasons: readonly DecisionReason[];
  source: DecisionSource;
  failedOpen: boolean;
  useCase: UseCase;
  /** Masked number, or `null` for invalid input. */
  phone: string | null;
  /** The decision's error code, or `null`. */
  errorCode: string | null;
}

/** Payload of `phone-guard:lookup`. */
export interface LookupEvent {
  /** Masked number. */
  phone: string;
  useCase: UseCase;
  outcome: 'ok' | 'error' | 'aborted';
  durationMs: number;
  /** Subscriber status when `outcome` is `ok`. */
  subscriberStatus: string | null;
  /** Error code when `outcome` is `error`. */
  errorCode: string | null;
}

/** Payload of `phone-guard:breaker`. */
export interface BreakerEvent {
  state: CircuitState;
  previous: CircuitState;
}

/** Payload of `phone-guard:store-error`. */
export interface StoreErrorEvent {
  operation: string;
  errorCode: string;
}

/** The channels, created once per process (diagnostics_channel keeps one per name). */
export const channels = {
  decision: diagnosticsChannel.channel(GUARD_CHANNELS.decision),
  lookup: diagnosticsChannel.channel(GUARD_CHANNELS.lookup),
  breaker: diagnosticsChannel.channel(GUARD_CHANNELS.breaker),
  storeError: diagnosticsChannel.channel(GUARD_CHANNELS.storeError),
};
