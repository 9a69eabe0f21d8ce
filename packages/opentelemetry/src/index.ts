/**
 * `@phone-guard/opentelemetry`: phone-guard's diagnostics channels → OpenTelemetry
 * metrics and spans. `instrumentPhoneGuard()` subscribes (instrument.ts); every metric,
 * span and attribute name is in names.ts; payloads become attributes in attributes.ts.
 */
export {
  instrumentPhoneGuard,
  type PhoneGuardInstrumentation,
} from './instrument.js';
export {
  LOOKUP_DURATION_BUCKETS,
  LOOKUP_SPAN_NAME,
  PHONE_GUARD_ATTRIBUTES,
  PHONE_GUARD_METRICS,
  SCOPE_NAME,
  SCOPE_VERSION,
} from './names.js';
export type { PhoneGuardInstrumentationOptions } from './options.js';
