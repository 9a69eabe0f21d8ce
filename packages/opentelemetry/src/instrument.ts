import diagnosticsChannel from 'node:diagnostics_channel';
import { diag, metrics, trace } from '@opentelemetry/api';
import { GUARD_CHANNELS } from '@phone-guard/core';
import {
  asPayload,
  breakerAttributes,
  budgetAttributes,
  cacheAttributes,
  coalescedAttributes,
  decisionAttributes,
  guardName,
  type Payload,
  storeErrorAttributes,
} from './attributes.js';
import { createLookupRecorder } from './lookup-telemetry.js';
import { PHONE_GUARD_METRICS as M, SCOPE_NAME, SCOPE_VERSION } from './names.js';
import { type PhoneGuardInstrumentationOptions, resolveInstrumentationOptions } from './options.js';
import { counterTotals } from './totals.js';

/**
 * What {@link instrumentPhoneGuard} returns: a handle that stops recording, by
 * `unsubscribe()` or, being `Disposable`, at the end of a `using` block.
 */
export interface PhoneGuardInstrumentation {
  /**
   * Stops recording: unsubscribes from every phone-guard channel. What was recorded stays
   * with the provider (counters keep reporting their totals). Calling it again does nothing.
   */
  unsubscribe(): void;
  /**
   * The same as `unsubscribe()`, so that `using instrumentation = instrumentPhoneGuard()`
   * stops recording when the block ends (TypeScript 5.2 or later compiles `using` for
   * Node 20). Set where the runtime defines `Symbol.dispose` (every Node version this
   * package supports, 20.18 and later).
   */
  [Symbol.dispose](): void;
}

type Handler = (message: unknown, name: string | symbol) => void;

/**
 * Records what every phone-guard guard in the process publishes on its
 * `node:diagnostics_channel` channels as OpenTelemetry metrics and spans, through
 * `@opentelemetry/api`: bring your own SDK and exporters. Works for guards created before
 * and after the call. Records nothing until a provider is registered (globally or in the
 * options). Metric attributes never hold a phone number; spans hold at most a masked one.
 *
 * @example
 * ```ts
 * import { instrumentPhoneGuard } from '@phone-guard/opentelemetry';
 *
 * const instrumentation = instrumentPhoneGuard(); // the global providers
 * // … on shutdown:
 * instrumentation.unsubscribe();
 *
 * // Or for a scope (a test, a script): recording stops when the block ends.
 * {
 *   using scoped = instrumentPhoneGuard({ meterProvider, tracerProvider });
 *   await guard.check(phone);
 * }
 * ```
 */
export function instrumentPhoneGuard(
  options?: PhoneGuardInstrumentationOptions,
): PhoneGuardInstrumentation {
  const settings = resolveInstrumentationOptions(options);
  const meter = (settings.meterProvider ?? metrics.getMeterProvider()).getMeter(
    SCOPE_NAME,
    SCOPE_VERSION,
  );
  const tracer = (settings.tracerProvider ?? trace.getTracerProvider()).getTracer(
    SCOPE_NAME,
    SCOPE_VERSION,
  );

  const decisions = counterTotals(meter, {
    name: M.decisions,
    description: 'Decisions made by phone-guard, by action and first reason.',
    unit: '{decision}',
  });
  const cacheHits = counterTotals(meter, {
    name: M.cacheHits,
    description: 'Checks answered from a fresh entry of the in-process cache.',
    unit: '{check}',
  });
  const cacheMisses = counterTotals(meter, {
    name: M.cacheMisses,
    description: 'Checks of a valid number that found no fresh in-process cache entry.',
    unit: '{check}',
  });
  const coalesced = counterTotals(meter, {
    name: M.coalesced,
    description: 'Checks that joined a look-up already in flight instead of starting one.',
    unit: '{check}',
  });
  const breakerTransitions = counterTotals(meter, {
    name: M.breakerTransitions,
    description: 'Circuit breaker state changes, by new state.',
    unit: '{transition}',
  });
  const budgetExhausted = counterTotals(meter, {
    name: M.budgetExhausted,
    description: 'Look-ups refused because the look-up budget of the window was spent.',
    unit: '{lookup}',
  });
  const storeErrors = counterTotals(meter, {
    name: M.storeErrors,
    description: 'Store calls that failed or timed out (each treated as a cache miss).',
    unit: '{error}',
  });
  const recordLookup = createLookupRecorder(meter, tracer, settings.recordMaskedPhone);

  // By key of GUARD_CHANNELS. Each counter is keyed by the raw fields its attributes are
  // made of.
  const handlers: Readonly<Record<string, (p: Payload) => void>> = {
    decision: (p) => {
      const reasons = p.reasons;
      const reason = Array.isArray(reasons) ? reasons[0] : undefined;
      decisions.add(
        [p.action, reason, p.source, p.failedOpen, p.useCase, p.guard, p.route, p.mode],
        p,
        decisionAttributes,
      );
      // The guard reports cache hits on their decision event (see `cacheHit`).
      if (p.cacheHit === true) cacheHits.add([p.guard], p, cacheAttributes);
    },
    lookup: recordLookup,
    cache: (p) => {
      if (p.result === 'hit') cacheHits.add([p.guard], p, cacheAttributes);
      else if (p.result === 'miss') cacheMisses.add([p.guard], p, cacheAttributes);
    },
    coalesced: (p) => coalesced.add([p.guard, p.useCase], p, coalescedAttributes),
    budget: (p) => budgetExhausted.add([p.guard, p.shared], p, budgetAttributes),
    breaker: (p) => breakerTransitions.add([p.guard, p.state, p.previous], p, breakerAttributes),
    storeError: (p) =>
      storeErrors.add([p.guard, p.operation, p.errorCode], p, storeErrorAttributes),
  };

  const wanted = (p: Payload): boolean => {
    if (settings.guards === null) return true;
    const name = guardName(p);
    return name !== undefined && settings.guards.has(name);
  };

  // A subscriber that throws would surface as an uncaught exception in the publishing
  // process: never let one escape. Reported once per channel through OpenTelemetry's diag.
  const reported = new Set<string>();
  const subscriptions: Array<[string, Handler]> = [];
  const channelNames: Readonly<Record<string, string | undefined>> = GUARD_CHANNELS;
  for (const [key, handle] of Object.entries(handlers)) {
    const name = channelNames[key];
    if (name === undefined) continue; // an older core: nothing publishes on this channel
    const handler: Handler = (message) => {
      try {
        const p = asPayload(message);
        if (p !== null && wanted(p)) handle(p);
      } catch (error) {
        if (reported.has(name)) return;
        reported.add(name);
        diag.error(`@phone-guard/opentelemetry: recording an event of ${name} failed`, error);
      }
    };
    diagnosticsChannel.subscribe(name, handler);
    subscriptions.push([name, handler]);
  }

  const unsubscribe = (): void => {
    for (const [name, handler] of subscriptions.splice(0)) {
      diagnosticsChannel.unsubscribe(name, handler);
    }
  };
  const handle = { unsubscribe } as PhoneGuardInstrumentation;
  // Guarded: a runtime without Symbol.dispose would otherwise get a property "undefined".
  if (typeof Symbol.dispose === 'symbol') handle[Symbol.dispose] = unsubscribe;
  return handle;
}
