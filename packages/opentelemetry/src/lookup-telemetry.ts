import {
  type Attributes,
  context,
  type Histogram,
  type Meter,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import { lookupAttributes, maskedPhone, type Payload, text } from './attributes.js';
import {
  PHONE_GUARD_ATTRIBUTES as A,
  LOOKUP_DURATION_BUCKETS,
  LOOKUP_SPAN_NAME,
  PHONE_GUARD_METRICS as M,
} from './names.js';

/** Records one `phone-guard:lookup` event: its duration and its span. */
export type LookupRecorder = (payload: Payload) => void;

/**
 * The look-up histogram (seconds) and span. The look-up event is published in the async
 * context of the check that started the look-up, so the active span at that moment is the
 * caller's (the request's): the look-up span becomes its child, back-dated to when the
 * look-up began.
 */
export function createLookupRecorder(
  meter: Meter,
  tracer: Tracer,
  recordMaskedPhone: boolean,
): LookupRecorder {
  const duration: Histogram = meter.createHistogram(M.lookupDuration, {
    description: 'Duration of upstream phone look-ups (Telesign or another provider).',
    unit: 's',
    advice: { explicitBucketBoundaries: [...LOOKUP_DURATION_BUCKETS] },
  });

  const recordSpan = (p: Payload, attributes: Attributes, durationMs: number): void => {
    const endTime = performance.timeOrigin + performance.now();
    const spanAttributes: Attributes = { ...attributes };
    const phone = recordMaskedPhone ? maskedPhone(p.phone) : undefined;
    if (phone !== undefined) spanAttributes[A.phone] = phone;
    const status = text(p.subscriberStatus);
    if (status !== undefined) spanAttributes[A.subscriberStatus] = status;
    const span = tracer.startSpan(
      LOOKUP_SPAN_NAME,
      { kind: SpanKind.INTERNAL, startTime: endTime - durationMs, attributes: spanAttributes },
      context.active(),
    );
    if (attributes[A.outcome] === 'error') {
      const code = attributes[A.errorType];
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: typeof code === 'string' ? code : 'look-up failed',
      });
    }
    span.end(endTime);
  };

  return (p) => {
    const attributes = lookupAttributes(p);
    const ms = p.durationMs;
    const valid = typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;
    if (valid) duration.record(ms / 1000, attributes);
    recordSpan(p, attributes, valid ? ms : 0);
  };
}
