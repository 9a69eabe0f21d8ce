import { type CacheEntry, createStatusCache, type LookupResult } from '../cache/status-cache.js';
import type { Decision, DecisionReason, DecisionSource } from '../model/decision.js';
import { isPhoneGuardError, PhoneGuardError, PhoneGuardOptionError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import type { LiveStatus, LiveStatusProvider, UseCase } from '../model/types.js';
import {
  type NormalizedPhone,
  type NormalizeResult,
  normalizePhone,
} from '../normalize/normalize.js';
import { channels } from '../observe/channels.js';
import {
  evaluatePolicy,
  internReasons,
  isUseCase,
  POLICY_PRESETS,
  type ResolvedPolicy,
  resolvePolicy,
} from '../policy/policy.js';
import { type CircuitBreaker, createCircuitBreaker } from '../resilience/circuit-breaker.js';
import { createLookupBudget, type LookupBudget } from '../resilience/lookup-budget.js';
import { callStore } from '../resilience/store-call.js';
import { createTelesignClient } from '../telesign/client.js';
import type { CheckOptions } from './check-options.js';
import {
  type FailMode,
  type PhoneGuardOptions,
  type ResolvedGuardOptions,
  resolveGuardOptions,
} from './options.js';
import { GuardCounters, type GuardStats } from './stats.js';

/** A guard created by {@link createPhoneGuard}. */
export interface PhoneGuard {
  /**
   * Decides about one phone number. Never rejects and never throws, whatever `input` is:
   * invalid input gives `block` with `PHONE_INVALID`; a failed look-up follows the fail
   * mode; an aborted check settles at once with error code `ABORTED`; an invalid
   * per-call `policy` follows the fail mode with error code `POLICY_INVALID`, without a
   * look-up. Decisions are frozen and may be shared between calls.
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
  /** A snapshot of the guard's counters. */
  stats(): GuardStats;
  /**
   * Cancels look-ups in flight and releases what the guard created (its Telesign client,
   * its cache). A caller-supplied `provider` or `store` is left open. Checks made
   * afterwards answer from nothing: they follow the fail mode with error code `GUARD_CLOSED`.
   */
  close(): Promise<void>;
}

const ENV_HINT =
  'pass `provider`, or `telesign: { customerId, apiKey }`, or set the TELESIGN_CUSTOMER_ID and TELESIGN_API_KEY environment variables';

function createDefaultProvider(o: ResolvedGuardOptions): LiveStatusProvider {
  const t = o.telesign ?? {};
  const env = typeof process === 'undefined' ? {} : process.env;
  const customerId = t.customerId ?? (env.TELESIGN_CUSTOMER_ID || undefined);
  const apiKey = t.apiKey ?? (env.TELESIGN_API_KEY || undefined);
  const baseUrl = t.baseUrl ?? (env.TELESIGN_BASE_URL || undefined);
  if (customerId === undefined && apiKey === undefined) {
    throw new PhoneGuardOptionError(
      'provider',
      `is missing and no Telesign credentials were found: ${ENV_HINT}`,
    );
  }
  if (customerId === undefined) {
    throw new PhoneGuardOptionError(
      'telesign.customerId',
      'is missing (an API key was given without a customer id): pass it or set TELESIGN_CUSTOMER_ID',
    );
  }
  if (apiKey === undefined) {
    throw new PhoneGuardOptionError(
      'telesign.apiKey',
      'is missing (a customer id was given without an API key): pass it or set TELESIGN_API_KEY',
    );
  }
  return createTelesignClient({
    ...t,
    customerId,
    apiKey,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    timeoutMs: t.timeoutMs ?? o.timeoutMs,
  });
}

/** Replaces anything that looks like a phone number in a message by its masked form. */
function scrub(message: string): string {
  return message.replace(/\+?\d[\d\s().-]{5,}\d/g, (m) => maskPhone(m));
}

/**
 * What the logger is given for an error phone-guard did not make itself (an `onDecision`
 * hook's, an internal one): a copy whose message and stack have phone numbers masked —
 * such errors may quote the number or the decision — and, for a thrown non-Error, only
 * its type (it may be the decision itself).
 */
function redactError(error: unknown): Error {
  if (!(error instanceof Error)) {
    return new Error(`a non-Error value was thrown (${error === null ? 'null' : typeof error})`);
  }
  const copy: Error & { code?: string } = new Error(scrub(error.message));
  copy.name = error.name;
  copy.stack = scrub(error.stack ?? '');
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string') copy.code = code;
  return copy;
}

interface ErrorInfo {
  code: string;
  message: string;
  reasons: DecisionReason[];
}

const ABORT_NAMES = new Set(['AbortError', 'TimeoutError']);

/**
 * A policy ready for use by `check()`: the guard's own, or a per-call one resolved once.
 * `hits` holds cache-hit decisions per use case (static policies only), so that hits stay
 * allocation-free for every route sharing the guard.
 */
interface PolicyHandle {
  readonly policy: ResolvedPolicy;
  /** The use case of checks under this policy that name none. */
  readonly useCase: UseCase;
  readonly hits: Map<UseCase, WeakMap<CacheEntry, Decision>> | null;
}

/** The use case a per-call policy names itself, if any (presets, `useCase`, `extends`). */
function namedUseCase(option: unknown): UseCase | undefined {
  if (option === 'signup' || option === 'passwordReset') return POLICY_PRESETS[option].useCase;
  if (typeof option !== 'object' || option === null) return undefined;
  const { useCase, extends: base } = option as { useCase?: unknown; extends?: unknown };
  if (isUseCase(useCase)) return useCase;
  if (base === 'signup' || base === 'passwordReset') return POLICY_PRESETS[base].useCase;
  return undefined;
}

/** Per-call policies remembered by value (strings) — bounded against unbounded junk. */
const MAX_POLICY_NAMES = 64;

const CLOSED_INFO: ErrorInfo = {
  code: 'GUARD_CLOSED',
  message: 'The guard is closed.',
  reasons: internReasons(['LOOKUP_FAILED']),
};

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
  const o = resolveGuardOptions(options);
  const { now, policy, normalize: normalizeOptions, timeoutMs, logger } = o;
  const defaultUseCase = o.useCase;
  const defaultFailMode = o.failMode;
  const staticPolicy = policy.kind === 'rules';
  const defaultHandle: PolicyHandle = {
    policy,
    useCase: defaultUseCase,
    hits: staticPolicy ? new Map() : null,
  };
  const ownProvider = o.provider === undefined;
  if (!ownProvider && o.telesign !== undefined) {
    logger.warn('phone-guard: option "telesign" is ignored because "provider" is given');
  }
  const provider = o.provider ?? createDefaultProvider(o);
  const counters = new GuardCounters();
  const warned = new Set<string>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const warnOnce = (key: string, message: string, ...details: unknown[]): void => {
    if (warned.has(key)) return;
    warned.add(key);
    try {
      logger.warn(message, ...details);
    } catch {
      // a broken logger must not break a check
    }
  };
  const logError = (key: string, message: string, ...details: unknown[]): void => {
    if (warned.has(key)) return;
    warned.add(key);
    try {
      logger.error(message, ...details);
    } catch {
      // ignore
    }
  };
  const errorCodeOf = (error: unknown): string =>
    isPhoneGuardError(error)
      ? error.code
      : error instanceof Error && ABORT_NAMES.has(error.name)
        ? error.name
        : 'UNKNOWN_ERROR';

  const breaker: CircuitBreaker | null = o.breaker
    ? createCircuitBreaker({
        ...o.breaker,
        now,
        onStateChange(state, previous) {
          try {
            if (state === 'open') {
              logger.warn(
                `phone-guard: circuit breaker opened; look-ups are shed for ${o.breaker ? o.breaker.cooldownMs : 0} ms`,
              );
            } else if (state === 'closed') logger.warn('phone-guard: circuit breaker closed');
          } catch {
            // ignore
          }
          if (channels.breaker.hasSubscribers) channels.breaker.publish({ state, previous });
        },
      })
    : null;

  const onStoreError = (operation: string, error: unknown): void => {
    counters.storeErrors++;
    const code = errorCodeOf(error);
    warnOnce(
      `store:${operation}:${code}`,
      `phone-guard: store ${operation} failed (${code}); treated as a miss. Further such failures are counted in stats().storeErrors, not logged.`,
    );
    if (channels.storeError.hasSubscribers)
      channels.storeError.publish({ operation, errorCode: code });
  };

  const budget: LookupBudget | null = o.budget
    ? createLookupBudget({
        ...o.budget,
        now,
        store: o.store,
        callStore: <T>(call: () => Promise<T>) =>
          callStore('consumeBudget', call, o.storeTimeoutMs, onStoreError),
      })
    : null;

  const cache = createStatusCache({
    max: o.cache.max,
    ttl: o.cache.ttl,
    staleWhileRevalidateMs: o.cache.staleWhileRevalidateMs,
    staleIfErrorMs: o.cache.staleIfErrorMs,
    now,
    store: o.store,
    storeTimeoutMs: o.storeTimeoutMs,
    lockTtlMs: timeoutMs,
    onStoreError,
    precompute: staticPolicy
      ? (status, phone) => decide(policy, status, phone, defaultUseCase, 'cache', defaultFailMode)
      : undefined,
    async load(e164, useCase, signal, flight) {
      const permit = breaker ? breaker.tryAcquire() : null;
      if (breaker && permit === null) {
        throw new PhoneGuardError(
          'CIRCUIT_OPEN',
          'The circuit breaker is open: look-ups are shed.',
        );
      }
      if (budget && !(await budget.consume())) {
        permit?.release();
        throw new PhoneGuardError('BUDGET_EXCEEDED', 'The look-up budget of this window is spent.');
      }
      if (signal.aborted) {
        permit?.release();
        throw signal.reason;
      }
      counters.lookups++;
      const started = performance.now();
      const publish = (
        outcome: 'ok' | 'error' | 'aborted',
        status: LiveStatus | null,
        code: string | null,
      ): void => {
        if (!channels.lookup.hasSubscribers) return;
        channels.lookup.publish({
          phone: maskPhone(e164),
          useCase,
          outcome,
          durationMs: performance.now() - started,
          subscriberStatus: status ? status.subscriberStatus : null,
          errorCode: code,
        });
      };
      try {
        // Race the signal too: a provider that ignores it must not keep the flight alive.
        const status = await new Promise<LiveStatus>((resolve, reject) => {
          const onAbort = (): void => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          Promise.resolve()
            .then(() => provider.getLiveStatus(e164, { useCase, signal }))
            .then(resolve, reject)
            .finally(() => signal.removeEventListener('abort', onAbort));
        });
        permit?.success();
        publish('ok', status, null);
        return status;
      } catch (error) {
        const code = errorCodeOf(error);
        const callerGone = flight.abortCause === 'aborted' || flight.abortCause === 'closed';
        const badInput = code === 'TELESIGN_INVALID_PHONE' || code === 'TELESIGN_INVALID_USE_CASE';
        if (callerGone || badInput || code === 'TELESIGN_CLIENT_CLOSED') permit?.release();
        else {
          permit?.failure();
          counters.lookupFailures++;
        }
        publish(
          callerGone ? 'aborted' : 'error',
          null,
          flight.abortCause === 'timeout' ? 'LOOKUP_TIMEOUT' : code,
        );
        throw error;
      }
    },
  });

  // Repeated raw inputs skip normalizePhone entirely (the guard's normalize options are
  // fixed). A plain Map, emptied when full: cheaper than an LRU on the hot path.
  const memoMax = Math.min(o.cache.max, 10_000);
  const inputMemo = new Map<string, NormalizeResult>();
  const normalizeInput = (input: unknown): NormalizeResult => {
    if (typeof input !== 'string') return normalizePhone(input, normalizeOptions);
    let r = inputMemo.get(input);
    if (r === undefined) {
      r = normalizePhone(input, normalizeOptions);
      if (input.length <= 64) {
        if (inputMemo.size >= memoMax) inputMemo.clear();
        inputMemo.set(input, r);
      }
    }
    return r;
  };

  // With the default (native) clock, Date.now() is read at most once per millisecond on
  // the hit path (it costs 50–100 ns on some VMs); TTLs are minutes long. An injected or
  // faked clock (test fake timers) is called every time.
  let coarseNow = 0;
  let coarseTimer: NodeJS.Timeout | undefined;
  const resetCoarse = (): void => {
    coarseNow = 0;
    coarseTimer = undefined;
  };
  const nativeClock =
    now === Date.now && /\[native code\]/.test(Function.prototype.toString.call(Date.now));
  const hitNow = nativeClock
    ? (): number => {
        if (coarseNow !== 0) return coarseNow;
        coarseNow = Date.now();
        coarseTimer = setTimeout(resetCoarse, 1);
        coarseTimer.unref();
        return coarseNow;
      }
    : now;

  const finish = (d: Decision): Decision => {
    counters.checks++;
    if (channels.decision.hasSubscribers) {
      channels.decision.publish({
        action: d.action,
        reasons: d.reasons,
        source: d.source,
        failedOpen: d.failedOpen,
        useCase: d.useCase,
        phone: d.phone ? maskPhone(d.phone.e164) : null,
        errorCode: d.error ? d.error.code : null,
      });
    }
    const hook = o.onDecision;
    if (hook !== undefined) {
      try {
        const r: unknown = hook(d);
        if (
          r !== null &&
          typeof r === 'object' &&
          typeof (r as Promise<unknown>).then === 'function'
        ) {
          (r as Promise<unknown>).then(undefined, (error: unknown) =>
            logError(
              'onDecision',
              'phone-guard: onDecision rejected (logged once)',
              redactError(error),
            ),
          );
        }
      } catch (error) {
        logError('onDecision', 'phone-guard: onDecision threw (logged once)', redactError(error));
      }
    }
    return d;
  };

  const failure = (
    phone: NormalizedPhone | null,
    useCase: UseCase,
    failMode: FailMode,
    info: ErrorInfo,
  ): Decision => {
    counters.error(info.code);
    const open = failMode === 'open';
    return Object.freeze({
      action: open ? 'flag' : 'block',
      reasons: info.reasons,
      phone,
      status: null,
      source: 'none',
      failedOpen: open,
      error: Object.freeze({ code: info.code, message: info.message }),
      useCase,
    });
  };

  const decide = (
    rules: ResolvedPolicy,
    status: LiveStatus,
    phone: NormalizedPhone,
    useCase: UseCase,
    source: DecisionSource,
    failMode: FailMode,
  ): Decision => {
    const verdict = evaluatePolicy(rules, status, phone, useCase);
    if (verdict === null) {
      logError(
        'policy',
        'phone-guard: the policy function threw or returned an invalid verdict (logged once)',
      );
      const d = failure(phone, useCase, failMode, {
        code: 'POLICY_ERROR',
        message: 'The policy function threw or returned an invalid verdict.',
        reasons: internReasons([]),
      });
      return Object.freeze({ ...d, status, source });
    }
    return Object.freeze({
      action: verdict.action,
      reasons: verdict.reasons,
      phone,
      status,
      source,
      failedOpen: false,
      error: null,
      useCase,
    });
  };

  const lookupError = (r: Extract<LookupResult, { ok: false }>): ErrorInfo => {
    if (r.reason === 'timeout') {
      return {
        code: 'LOOKUP_TIMEOUT',
        message: `No answer within the ${timeoutMs} ms deadline.`,
        reasons: internReasons(['LOOKUP_FAILED', 'LOOKUP_TIMEOUT']),
      };
    }
    if (r.reason === 'aborted') {
      return {
        code: 'ABORTED',
        message: 'The check was aborted by its caller.',
        reasons: internReasons(['LOOKUP_FAILED']),
      };
    }
    const code = errorCodeOf(r.error);
    if (code === 'CIRCUIT_OPEN' || code === 'BUDGET_EXCEEDED') {
      return {
        code,
        message: (r.error as Error).message,
        reasons: internReasons(['LOOKUP_FAILED', code]),
      };
    }
    const message = r.error instanceof Error ? scrub(r.error.message) : 'The look-up failed.';
    const timedOut = code.endsWith('TIMEOUT') || code === 'TimeoutError';
    return {
      code,
      message,
      reasons: internReasons(timedOut ? ['LOOKUP_FAILED', 'LOOKUP_TIMEOUT'] : ['LOOKUP_FAILED']),
    };
  };

  const invalidDecisions = new Map<string, Decision>();
  const invalid = (error: { code: string; message: string }, useCase: UseCase): Decision => {
    counters.invalid++;
    const key = `${error.code}|${useCase}|${error.message}`;
    let d = invalidDecisions.get(key);
    if (d === undefined) {
      d = Object.freeze({
        action: 'block',
        reasons: internReasons(['PHONE_INVALID']),
        phone: null,
        status: null,
        source: 'none',
        failedOpen: false,
        error: Object.freeze({ code: error.code, message: error.message }),
        useCase,
      });
      if (invalidDecisions.size < 256) invalidDecisions.set(key, d);
    }
    return d;
  };

  const slow = async (
    handle: PolicyHandle,
    phone: NormalizedPhone,
    entry: CacheEntry | undefined,
    t: number,
    useCase: UseCase,
    signal: AbortSignal | undefined,
    failMode: FailMode,
  ): Promise<Decision> => {
    const rules = handle.policy;
    counters.misses++;
    const freshUntil = entry === undefined ? 0 : cache.freshUntil(entry);
    const stale = entry !== undefined && freshUntil + cache.staleWindow > t ? entry : undefined;
    const { staleWhileRevalidateMs, staleIfErrorMs } = o.cache;
    if (closed) return failure(phone, useCase, failMode, CLOSED_INFO);
    if (stale && staleWhileRevalidateMs > 0 && t < freshUntil + staleWhileRevalidateMs) {
      counters.staleServed++;
      cache.refresh(phone, useCase, timeoutMs);
      return decide(rules, stale.status, phone, useCase, 'stale', failMode);
    }
    if (signal?.aborted) {
      return failure(
        phone,
        useCase,
        failMode,
        lookupError({ ok: false, reason: 'aborted', error: signal.reason, coalesced: false }),
      );
    }
    const r = await cache.lookup(phone.e164, { useCase, phone, signal, timeoutMs });
    if (r.coalesced) counters.coalesced++;
    if (r.ok) {
      if (r.origin === 'store') counters.storeHits++;
      return decide(
        rules,
        r.status,
        phone,
        useCase,
        r.origin === 'store' ? 'cache' : 'upstream',
        failMode,
      );
    }
    if (
      r.reason !== 'aborted' &&
      stale &&
      staleIfErrorMs > 0 &&
      now() < freshUntil + staleIfErrorMs
    ) {
      counters.staleServed++;
      return decide(rules, stale.status, phone, useCase, 'stale', failMode);
    }
    if (closed) return failure(phone, useCase, failMode, CLOSED_INFO);
    return failure(phone, useCase, failMode, lookupError(r));
  };

  // Cache-hit decisions of static policies for every (policy, use case) pair but the
  // guard's own default (which lives on the entry itself), so that a guard shared by
  // routes with different policies or use cases stays allocation-free on hits.
  const cachedHit = (
    handle: PolicyHandle,
    hits: Map<UseCase, WeakMap<CacheEntry, Decision>>,
    entry: CacheEntry,
    phone: NormalizedPhone,
    useCase: UseCase,
  ): Decision => {
    let byEntry = hits.get(useCase);
    if (byEntry === undefined) {
      byEntry = new WeakMap();
      hits.set(useCase, byEntry);
    }
    let d = byEntry.get(entry);
    if (d === undefined) {
      d = decide(handle.policy, entry.status, phone, useCase, 'cache', defaultFailMode);
      byEntry.set(entry, d);
    }
    return d;
  };

  // Per-call policies, resolved once per distinct value: preset names (and junk strings)
  // by value, objects and functions by identity. The guard's own policy value maps to the
  // default handle, so passing it per call changes nothing.
  const namedPolicies = new Map<unknown, PolicyHandle | ErrorInfo>();
  const objectPolicies = new WeakMap<object, PolicyHandle | ErrorInfo>();
  const ownPolicy: unknown = (options as { policy?: unknown } | null | undefined)?.policy;
  if ((typeof ownPolicy === 'object' && ownPolicy !== null) || typeof ownPolicy === 'function') {
    objectPolicies.set(ownPolicy, defaultHandle);
  }
  const policyHandle = (value: unknown): PolicyHandle | ErrorInfo => {
    const byIdentity = (typeof value === 'object' && value !== null) || typeof value === 'function';
    let h = byIdentity ? objectPolicies.get(value as object) : namedPolicies.get(value);
    if (h !== undefined) return h;
    try {
      const resolved = resolvePolicy(value);
      h =
        resolved === policy ||
        (resolved.kind === 'rules' && policy.kind === 'rules' && resolved.rules === policy.rules)
          ? defaultHandle
          : {
              policy: resolved,
              useCase: namedUseCase(value) ?? defaultUseCase,
              hits: resolved.kind === 'rules' ? new Map() : null,
            };
    } catch (error) {
      // The option error quotes the value, which could be anything the caller passed.
      const message = scrub(error instanceof Error ? error.message : String(error));
      logError(
        'policyInvalid',
        `phone-guard: check() was given an invalid policy; such checks follow the fail mode with POLICY_INVALID (logged once): ${message}`,
      );
      h = {
        code: 'POLICY_INVALID',
        message: `check() was given an invalid policy: ${message}`,
        reasons: internReasons(['LOOKUP_FAILED']),
      };
    }
    if (byIdentity) objectPolicies.set(value as object, h);
    else if (namedPolicies.size < MAX_POLICY_NAMES) namedPolicies.set(value, h);
    return h;
  };

  /** What a check needs when it cannot be decided without a look-up. */
  interface PendingCheck {
    handle: PolicyHandle;
    phone: NormalizedPhone;
    entry: CacheEntry | undefined;
    t: number;
    uc: UseCase;
    signal: AbortSignal | undefined;
    failMode: FailMode;
  }

  /**
   * The synchronous part of a check: options, normalization, the cache. Returns the
   * decision (not yet passed to `finish`) when no look-up is needed, else what the slow
   * path needs. May throw only on an internal error.
   */
  const prepare = (input: unknown, options: CheckOptions | undefined): Decision | PendingCheck => {
    let useCase: UseCase | undefined;
    let signal: AbortSignal | undefined;
    let failMode = defaultFailMode;
    let handle = defaultHandle;
    if (typeof options === 'object' && options !== null) {
      const u: unknown = options.useCase;
      const sig: unknown = options.signal;
      const f: unknown = options.failMode;
      const p: unknown = options.policy;
      if (u !== undefined) {
        if (isUseCase(u)) useCase = u;
        else
          warnOnce(
            'useCase',
            `phone-guard: check() ignored an unknown useCase; using the policy's or the guard's default`,
          );
      }
      if (sig !== undefined) {
        if (sig instanceof AbortSignal) signal = sig;
        else warnOnce('signal', 'phone-guard: check() ignored a signal that is not an AbortSignal');
      }
      if (f !== undefined) {
        if (f === 'open' || f === 'closed') failMode = f;
        else
          warnOnce(
            'failMode',
            `phone-guard: check() ignored an unknown failMode; using '${defaultFailMode}'`,
          );
      }
      if (p !== undefined) {
        const h = policyHandle(p);
        if (!('policy' in h)) {
          const norm = normalizeInput(input);
          return failure(norm.ok ? norm.phone : null, useCase ?? defaultUseCase, failMode, h);
        }
        handle = h;
      }
    }
    const uc = useCase ?? handle.useCase;
    const norm = normalizeInput(input);
    if (!norm.ok) return invalid(norm.error, uc);
    const phone = norm.phone;
    const entry = cache.peek(phone.e164);
    const t = hitNow();
    if (entry !== undefined && cache.freshUntil(entry) > t) {
      counters.hits++;
      const hits = handle.hits;
      if (hits === null) return decide(handle.policy, entry.status, phone, uc, 'cache', failMode);
      if (handle === defaultHandle && uc === defaultUseCase) {
        entry.decision ??= decide(policy, entry.status, phone, uc, 'cache', failMode);
        return entry.decision;
      }
      return cachedHit(handle, hits, entry, phone, uc);
    }
    return { handle, phone, entry, t, uc, signal, failMode };
  };

  const isDecision = (r: Decision | PendingCheck): r is Decision => 'action' in r;

  const check = (input: unknown, options?: CheckOptions): Promise<Decision> => {
    try {
      const r = prepare(input, options);
      if (isDecision(r)) return Promise.resolve(finish(r));
      return slow(r.handle, r.phone, r.entry, r.t, r.uc, r.signal, r.failMode).then(
        finish,
        (error: unknown) => finish(internalError(error, r.phone, r.uc, r.failMode)),
      );
    } catch (error) {
      return Promise.resolve(finish(internalError(error, null, defaultUseCase, defaultFailMode)));
    }
  };

  const checkCached = (input: unknown, options?: CheckOptions): Decision | undefined => {
    try {
      const r = prepare(input, options);
      return isDecision(r) ? finish(r) : undefined;
    } catch (error) {
      return finish(internalError(error, null, defaultUseCase, defaultFailMode));
    }
  };

  const internalError = (
    error: unknown,
    phone: NormalizedPhone | null,
    useCase: UseCase,
    failMode: FailMode,
  ): Decision => {
    logError(
      'internal',
      'phone-guard: internal error in check() (logged once)',
      redactError(error),
    );
    return failure(phone, useCase, failMode, {
      code: 'INTERNAL_ERROR',
      message: 'phone-guard failed internally.',
      reasons: internReasons(['LOOKUP_FAILED']),
    });
  };

  return {
    check,
    checkCached,
    stats(): GuardStats {
      return {
        checks: counters.checks,
        invalid: counters.invalid,
        hits: counters.hits,
        misses: counters.misses,
        storeHits: counters.storeHits,
        coalesced: counters.coalesced,
        staleServed: counters.staleServed,
        lookups: counters.lookups,
        lookupFailures: counters.lookupFailures,
        errors: counters.errorRecord(),
        storeErrors: counters.storeErrors,
        inFlight: cache.inFlight,
        cache: { size: cache.size, max: cache.max },
        breaker: breaker
          ? { state: breaker.state, consecutiveFailures: breaker.consecutiveFailures }
          : null,
        budget: budget
          ? {
              used: budget.used,
              limit: budget.limit,
              windowMs: budget.windowMs,
              shared: budget.shared,
            }
          : null,
      };
    },
    close() {
      // Every call returns the same promise, so a second caller also waits for the
      // provider to be released.
      closing ??= (async () => {
        closed = true;
        cache.close();
        inputMemo.clear();
        clearTimeout(coarseTimer);
        if (ownProvider) await provider.close?.();
      })();
      return closing;
    },
  };
}
