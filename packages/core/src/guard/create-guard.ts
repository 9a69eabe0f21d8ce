/**
 * `createPhoneGuard`: the entry points `check()` and `checkCached()`, read first. A check
 * flows normalize → cache (→ store) → provider → policy → decision; the pieces it uses
 * are built in `assemble-guard.ts`; `forget()`, `clear()` and `close()` live in
 * `forget-number.ts` and `guard-lifecycle.ts`.
 */
import type { Decision } from '../model/decision.js';
import type { NormalizedPhone } from '../model/phone.js';
import { assembleGuard } from './assemble-guard.js';
import type { CheckOptions } from './check-options.js';
import { type ForgetOptions, forgetNumber } from './forget-number.js';
import { clearGuard, closeGuard } from './guard-lifecycle.js';
import type { PendingCheck } from './miss-path.js';
import type { PhoneGuardOptions } from './options.js';
import { resolveGuardOptions } from './resolve-options.js';
import { isPolicyHandle } from './route-policies.js';
import type { SignalPending } from './signal-path.js';
import { type GuardStats, statsSnapshot } from './stats.js';
import { type VerifyOptions, type VerifyResult, verifyProvider } from './verify.js';

export type { ForgetOptions } from './forget-number.js';

/** A guard created by {@link createPhoneGuard}. */
export interface PhoneGuard {
  /** The guard's `name` option, or `undefined` for an unnamed guard. */
  readonly name: string | undefined;
  /**
   * Decides about one phone number. Never rejects and never throws, whatever `input` and
   * `options` are: invalid input gives `block` with `PHONE_INVALID`; a failed look-up
   * follows the fail mode; an aborted check settles at once with error code `ABORTED`; an
   * invalid per-call `policy` follows the fail mode with error code `POLICY_INVALID`,
   * without a look-up. Decisions are frozen and may be shared between calls.
   */
  check(input: unknown, options?: CheckOptions): Promise<Decision>;
  /**
   * The decision for `input` when it can be made without any I/O — the input is invalid,
   * or a fresh answer for the number is cached — and `undefined` otherwise (nothing is
   * started: call `check()`). Synchronous and never throws. Counted in `stats()` and
   * published like `check()`'s decisions. The adapters use it to answer cache hits
   * without promises, timers or abort signals.
   *
   * @example
   * ```ts
   * const decision = guard.checkCached(phone) ?? (await guard.check(phone));
   * ```
   */
  checkCached(input: unknown, options?: CheckOptions): Decision | undefined;
  /**
   * Forgets what the guard knows about one number, so that its next check looks it up
   * again — for instance after support staff have confirmed a number works. Drops it from
   * the in-process cache and, when the `store` has `delete()`, from the shared store.
   * `input` is read like `check()`'s (with `options.defaultCountry` or the guard's).
   *
   * Resolves `true` when the number is gone from every cache the guard uses; `false` when
   * `input` is not a usable number (nothing to forget; never throws for it), or when the
   * store has no `delete()` (the in-process copy is dropped, the store keeps its copy
   * until its TTL; warned once). Rejects with a `PhoneGuardError` of code `STORE_ERROR`
   * when the store's `delete()` fails or exceeds `storeTimeoutMs`. A look-up already in
   * flight for the number still answers the checks waiting on it.
   *
   * @example
   * ```ts
   * await guard.forget('+14155552671'); // true
   * ```
   */
  forget(input: unknown, options?: ForgetOptions): Promise<boolean>;
  /**
   * Empties the guard's in-process cache and memos (normalized inputs, shared decisions),
   * so that every number is looked up again — from the store first, when there is one.
   * The shared store is left alone: other processes and guards use it, and its entries
   * expire on their own (use `forget()` for one number, or the store's own tools).
   * Counters in `stats()` are kept.
   */
  clear(): void;
  /**
   * Proves at start-up that the provider is reachable and accepts the credentials, so
   * that a wrong API key stops a deploy instead of making every check fail open. Makes
   * ONE look-up (billed by Telesign) of `options.phone` — by default `+12025550100`, a
   * number reserved for fiction — outside the breaker and the budget, bounded by the
   * guard's `timeoutMs`. Resolves when the credentials were accepted (also when the
   * provider refused only the number); rejects with the provider's error otherwise:
   * `fault: 'config'` for credentials, a product not enabled, payment or a hard cap
   * (`TELESIGN_AUTH_FAILED` …), `fault: 'upstream'` when it cannot be reached.
   *
   * @example
   * ```ts
   * await guard.verify(); // throws TELESIGN_AUTH_FAILED with a wrong key
   * app.listen(3000);
   * ```
   */
  verify(options?: VerifyOptions): Promise<VerifyResult>;
  /** A snapshot of the guard's counters. */
  stats(): GuardStats;
  /**
   * Cancels look-ups in flight and releases what the guard created (its Telesign client,
   * its cache). A caller-supplied `provider` or `store` is left open. Checks made
   * afterwards answer from nothing: they follow the fail mode with error code `GUARD_CLOSED`.
   */
  close(): Promise<void>;
}

/**
 * Creates a guard: normalize → cache (→ store) → provider → policy → decision.
 *
 * @example
 * ```ts
 * import { createPhoneGuard } from '@phone-guard/core';
 *
 * const guard = createPhoneGuard({ policy: 'signup', defaultCountry: 'US' });
 * const decision = await guard.check(req.body.phone);
 * if (decision.action === 'block') res.status(403).end();
 * ```
 */
export function createPhoneGuard(options: PhoneGuardOptions = {}): PhoneGuard {
  const ownPolicyValue: unknown = (options as { policy?: unknown } | null | undefined)?.policy;
  const parts = assembleGuard(resolveGuardOptions(options), ownPolicyValue);
  const { settings, cache, memo, policies, outcomes, counters, publish, decideAfterLookup } = parts;
  const readOptions = parts.options;
  const hitNow = parts.clock.now;
  const guardUseCase = settings.useCase;
  const guardFailMode = settings.failMode;
  let closing: Promise<void> | undefined;

  const check = (input: unknown, options?: CheckOptions): Promise<Decision> => {
    let pending: PendingCheck;
    try {
      const started = decideOrDefer(input, options);
      if (isDecision(started)) return Promise.resolve(started);
      pending = started;
    } catch (error) {
      return Promise.resolve(publish(internalError(error, null)));
    }
    const { route, mode, enforce } = pending;
    // A reset whose Live status was fresh in process and only waited for the add-ons is a
    // hit of the Live cache (as `stats().hits` counts it).
    const liveHit = 'signals' in pending && (pending as SignalPending).signals.liveFresh;
    return decideAfterLookup(pending).then(
      (decision) => publish(decision, route, mode, enforce, liveHit),
      (error: unknown) =>
        publish(
          outcomes.internalError(error, pending.phone, pending.useCase, pending.failMode),
          route,
          mode,
          enforce,
        ),
    );
  };

  const checkCached = (input: unknown, options?: CheckOptions): Decision | undefined => {
    try {
      const started = decideOrDefer(input, options);
      return isDecision(started) ? started : undefined;
    } catch (error) {
      return publish(internalError(error, null));
    }
  };

  /**
   * The synchronous part of a check: options, normalization, the in-process cache.
   * Returns the decision, published, when no I/O is needed, else what the miss path
   * needs. Throws only on an internal error.
   */
  const decideOrDefer = (input: unknown, options: unknown): Decision | PendingCheck => {
    const call = readOptions.read(options);
    const { useCase: askedUseCase, signal, failMode, policy, country } = call;
    // Labels of the decision event, copied out before a policy function may check again.
    const { route, mode, enforce } = call;
    const lastVerifiedAt: unknown = call.lastVerifiedAt;
    const normalized = memo.normalize(input, country);
    if (!isPolicyHandle(policy)) {
      const phone = normalized.ok ? normalized.phone : null;
      const failed = outcomes.failure(phone, askedUseCase ?? guardUseCase, failMode, policy);
      return publish(failed, route, mode, enforce);
    }
    const useCase = askedUseCase ?? policy.useCase;
    if (!normalized.ok) {
      return publish(outcomes.invalid(normalized.error, useCase), route, mode, enforce);
    }
    const phone = normalized.phone;
    const entry = cache.peek(phone.e164);
    const time = hitNow();
    if (policy.asksSignals) {
      const pending = {
        policy,
        phone,
        entry,
        time,
        useCase,
        signal,
        failMode,
        route,
        mode,
        enforce,
      };
      const started = parts.signals.start(pending, lastVerifiedAt);
      // A decision here came from the in-process caches alone: a hit.
      return isDecision(started) ? publish(started, route, mode, enforce, true) : started;
    }
    if (entry !== undefined && cache.freshUntil(entry) > time) {
      counters.hits++;
      // The hit is published with the decision (`cacheHit`): one subscriber check, not two.
      const hit = policies.hitDecision(policy, entry, phone, useCase, failMode);
      return publish(hit, route, mode, enforce, true);
    }
    return { policy, phone, entry, time, useCase, signal, failMode, route, mode, enforce };
  };

  const internalError = (error: unknown, phone: NormalizedPhone | null): Decision =>
    outcomes.internalError(error, phone, guardUseCase, guardFailMode);

  return {
    name: settings.name,
    check,
    checkCached,
    forget: (input: unknown, options?: ForgetOptions) => forgetNumber(parts, input, options),
    clear: () => clearGuard(parts),
    verify: (options?: VerifyOptions) =>
      verifyProvider(parts.provider, settings.timeoutMs, options),
    stats: () => statsSnapshot(parts),
    // Every call returns the same promise, so a second caller also waits for the provider
    // to be released.
    close: () => (closing ??= closeGuard(parts)),
  };
}

function isDecision(started: Decision | PendingCheck): started is Decision {
  return 'action' in started;
}
