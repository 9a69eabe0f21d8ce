import diagnosticsChannel from 'node:diagnostics_channel';
import type { DecisionAction, DecisionReason, DecisionSource } from '../model/decision.js';
import type { UseCase } from '../model/types.js';
import type { CircuitState } from '../resilience/circuit-breaker.js';

/**
 * The `node:diagnostics_channel` names the guard publishes on. Payloads never hold a full
 * phone number: `phone` is masked with `maskPhone` (`+1415*****71`). Every payload may
 * carry `guard`, the publishing guard's `name` option, when it has one.
 * `@phone-guard/opentelemetry` turns these events into metrics and spans.
 */
export const GUARD_CHANNELS = Object.freeze({
  /** Every decision: {@link DecisionEvent}. */
  decision: 'phone-guard:decision',
  /**
   * Every upstream request when it ends — Live look-ups and Phone ID add-on requests
   * (`product` tells them apart): {@link LookupEvent}. Published in the async context of
   * the check that started it, so a subscriber can find the caller's active span.
   */
  lookup: 'phone-guard:lookup',
  /**
   * Every check of a valid number that found no fresh entry in the in-process cache
   * (`{ result: 'miss' }`, see {@link CacheEvent}). Cache hits are the `decision` events
   * with `cacheHit: true`.
   */
  cache: 'phone-guard:cache',
  /** Checks that joined a look-up already in flight: {@link CoalescedEvent}. */
  coalesced: 'phone-guard:coalesced',
  /** Look-ups refused because the look-up budget is spent: {@link BudgetEvent}. */
  budget: 'phone-guard:budget',
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
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
  /** The route that asked (a route pattern such as `/signup`, never a raw URL), when known. */
  route?: string | undefined;
  /** The adapter's mode (`'block'`, `'annotate'`, `'shadow'`…), when known. */
  mode?: string | undefined;
  /**
   * `true` when the check was answered from a fresh entry of the in-process cache, with
   * no I/O (a cache hit). Hits are reported here rather than on the `cache` channel, so
   * that the hit path checks one channel for subscribers, not two.
   */
  cacheHit?: boolean | undefined;
}

/** Payload of `phone-guard:lookup`. */
export interface LookupEvent {
  /** Masked number. */
  phone: string;
  /**
   * The check's use case. An add-on request carries none of its own: it is the use case
   * of the check that started it.
   */
  useCase: UseCase;
  /**
   * `error` when the request failed, or (add-ons) when an add-on asked for could not
   * answer (2801, 2802, 2806, 2807, 2810, 2811); `aborted` when every check waiting on it
   * gave up.
   */
  outcome: 'ok' | 'error' | 'aborted';
  durationMs: number;
  /** Subscriber status when `outcome` is `ok` (Live only; `null` for add-ons). */
  subscriberStatus: string | null;
  /**
   * Error code when `outcome` is `error`: the request's (`LOOKUP_TIMEOUT`, `TELESIGN_…`)
   * or, for an add-on that could not answer, `ADDON_UNAVAILABLE`, `ADDON_NOT_ENABLED` or
   * `ADDON_REJECTED`.
   */
  errorCode: string | null;
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
  /**
   * What was asked: `live` (the Live status look-up) or `addons` (a Phone ID add-on
   * request: number deactivation, SIM swap). Always set by this version; absent in events
   * of older ones, which published Live look-ups only.
   */
  product?: 'live' | 'addons' | undefined;
}

/**
 * Payload of `phone-guard:cache`: one per check of a valid number that missed the
 * in-process cache. The guard publishes hits on their `decision` event (`cacheHit: true`)
 * instead; `'hit'` stays in the type for subscribers written against earlier versions.
 */
export interface CacheEvent {
  /** `miss`: no fresh in-process entry (`hit` is no longer published here). */
  result: 'hit' | 'miss';
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
}

/** Payload of `phone-guard:coalesced`: a check joined a look-up already in flight. */
export interface CoalescedEvent {
  useCase: UseCase;
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
}

/** Payload of `phone-guard:budget`: a look-up was refused because the budget is spent. */
export interface BudgetEvent {
  /** Look-ups counted in the current window. */
  used: number;
  limit: number;
  windowMs: number;
  /** Whether the budget is kept in a shared store. */
  shared: boolean;
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
}

/** Payload of `phone-guard:breaker`. */
export interface BreakerEvent {
  state: CircuitState;
  previous: CircuitState;
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
}

/** Payload of `phone-guard:store-error`. */
export interface StoreErrorEvent {
  operation: string;
  errorCode: string;
  /** The guard's `name` option, when it has one. */
  guard?: string | undefined;
}

/** The payload type of each channel, by its key in {@link GUARD_CHANNELS}. */
export interface GuardChannelEvents {
  decision: DecisionEvent;
  lookup: LookupEvent;
  cache: CacheEvent;
  coalesced: CoalescedEvent;
  budget: BudgetEvent;
  breaker: BreakerEvent;
  storeError: StoreErrorEvent;
}

/** The channels, created once per process (diagnostics_channel keeps one per name). */
export const channels: Readonly<Record<keyof GuardChannelEvents, diagnosticsChannel.Channel>> = {
  decision: diagnosticsChannel.channel(GUARD_CHANNELS.decision),
  lookup: diagnosticsChannel.channel(GUARD_CHANNELS.lookup),
  cache: diagnosticsChannel.channel(GUARD_CHANNELS.cache),
  coalesced: diagnosticsChannel.channel(GUARD_CHANNELS.coalesced),
  budget: diagnosticsChannel.channel(GUARD_CHANNELS.budget),
  breaker: diagnosticsChannel.channel(GUARD_CHANNELS.breaker),
  storeError: diagnosticsChannel.channel(GUARD_CHANNELS.storeError),
};

/**
 * Publishes `event` on the channel `key` when anyone subscribes, typed by channel. On a
 * hot path test `channels[key].hasSubscribers` first, so the payload is not even built.
 *
 * @example
 * ```ts
 * if (channels.cache.hasSubscribers) publishGuardEvent('cache', MISS_EVENT);
 * ```
 */
export function publishGuardEvent<K extends keyof GuardChannelEvents>(
  key: K,
  event: GuardChannelEvents[K],
): void {
  const channel = channels[key];
  if (channel.hasSubscribers) channel.publish(event);
}
