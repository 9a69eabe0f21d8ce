import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { PhoneGuardOptionError } from '@phone-guard/core';

/** Options of {@link instrumentPhoneGuard}. `undefined` always means the default. */
export interface PhoneGuardInstrumentationOptions {
  /**
   * Where metrics are recorded.
   * @default the global MeterProvider (`metrics.getMeterProvider()` of `@opentelemetry/api`)
   */
  meterProvider?: MeterProvider | undefined;
  /**
   * Where look-up spans are recorded.
   * @default the global TracerProvider (`trace.getTracerProvider()` of `@opentelemetry/api`)
   */
  tracerProvider?: TracerProvider | undefined;
  /**
   * Record only events of the guards with these names (their `name` option). Events of
   * guards without a name, and events that carry no guard name, are then ignored.
   * @default every guard in the process
   */
  guards?: readonly string[] | undefined;
  /**
   * Put the masked number (`+1415*****71`, never more) on look-up spans as
   * `phone_guard.phone.masked`. Metrics never carry a number, masked or not.
   * @default true
   */
  recordMaskedPhone?: boolean | undefined;
}

/** The options with defaults applied. Internal. */
export interface ResolvedInstrumentationOptions {
  meterProvider: MeterProvider | undefined;
  tracerProvider: TracerProvider | undefined;
  guards: ReadonlySet<string> | null;
  recordMaskedPhone: boolean;
}

const KNOWN = ['meterProvider', 'tracerProvider', 'guards', 'recordMaskedPhone'];

function hasMethod(value: unknown, method: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[method] === 'function'
  );
}

/** Checks the options once, up front: unknown keys and impossible values throw. */
export function resolveInstrumentationOptions(options: unknown): ResolvedInstrumentationOptions {
  if (options === undefined) {
    return {
      meterProvider: undefined,
      tracerProvider: undefined,
      guards: null,
      recordMaskedPhone: true,
    };
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PhoneGuardOptionError('options', 'must be an object');
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key)) {
      throw new PhoneGuardOptionError(key, `is not a known option (known: ${KNOWN.join(', ')})`);
    }
  }
  const { meterProvider, tracerProvider, guards, recordMaskedPhone } = o;
  if (meterProvider !== undefined && !hasMethod(meterProvider, 'getMeter')) {
    throw new PhoneGuardOptionError('meterProvider', 'must be a MeterProvider (with getMeter())');
  }
  if (tracerProvider !== undefined && !hasMethod(tracerProvider, 'getTracer')) {
    throw new PhoneGuardOptionError(
      'tracerProvider',
      'must be a TracerProvider (with getTracer())',
    );
  }
  if (
    guards !== undefined &&
    (!Array.isArray(guards) || guards.some((g) => typeof g !== 'string' || g === ''))
  ) {
    throw new PhoneGuardOptionError(
      'guards',
      'must be an array of guard names (non-empty strings)',
    );
  }
  if (recordMaskedPhone !== undefined && typeof recordMaskedPhone !== 'boolean') {
    throw new PhoneGuardOptionError('recordMaskedPhone', 'must be a boolean');
  }
  return {
    meterProvider: meterProvider as MeterProvider | undefined,
    tracerProvider: tracerProvider as TracerProvider | undefined,
    guards: guards === undefined ? null : new Set(guards as string[]),
    recordMaskedPhone: recordMaskedPhone ?? true,
  };
}
