import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';

/** Builds the attributes of an attribute set from the event that first produced it. */
export type AttributesOf<P> = (payload: P) => Attributes;

interface Entry {
  readonly attributes: Attributes;
  value: number;
}
type Level = Map<unknown, Level | Entry>;

/**
 * Attribute sets beyond this many per counter are counted together under
 * `otel.metric.overflow: true` (OpenTelemetry's convention for a cardinality limit; below
 * the SDK's own default limit of 2,000, so the SDK never merges sets on its own).
 */
export const MAX_ATTRIBUTE_SETS = 1_000;
const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/**
 * The running totals of one counter, per attribute set, read by an `ObservableCounter` at
 * each collection. Counting is a few `Map` look-ups keyed by the event's raw fields; the
 * attributes of a set are built (and checked) once, the first time it is seen. This keeps
 * the SDK's per-measurement work (hashing the attributes) off the guard's hot path.
 */
export class CounterTotals {
  private readonly root: Level = new Map();
  private readonly entries: Entry[] = [];
  private overflow: Entry | null = null;

  /**
   * Adds 1 to the set identified by `keys` (raw event fields that determine the
   * attributes); `attributesOf(payload)` makes the set's attributes when it is new.
   */
  add<P>(keys: readonly unknown[], payload: P, attributesOf: AttributesOf<P>): void {
    let level = this.root;
    const last = keys.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(keys[i]) as Level | undefined;
      if (next === undefined) {
        if (this.entries.length >= MAX_ATTRIBUTE_SETS) {
          this.addOverflow();
          return;
        }
        next = new Map();
        level.set(keys[i], next);
      }
      level = next;
    }
    let entry = level.get(keys[last]) as Entry | undefined;
    if (entry === undefined) {
      if (this.entries.length >= MAX_ATTRIBUTE_SETS) {
        this.addOverflow();
        return;
      }
      entry = { attributes: Object.freeze(attributesOf(payload)), value: 0 };
      level.set(keys[last], entry);
      this.entries.push(entry);
    }
    entry.value++;
  }

  private addOverflow(): void {
    this.overflow ??= { attributes: OVERFLOW, value: 0 };
    this.overflow.value++;
  }

  /** Reports every total (cumulative, as an observable counter expects). */
  observe(result: ObservableResult): void {
    for (const e of this.entries) result.observe(e.value, e.attributes);
    if (this.overflow !== null) result.observe(this.overflow.value, this.overflow.attributes);
  }
}

/** One counter: its name, description and unit. */
export interface CounterSpec {
  name: string;
  description: string;
  unit: string;
}

const shared = new WeakMap<Meter, Map<string, CounterTotals>>();

/**
 * The totals behind counter `spec` of `meter`, creating the observable counter the first
 * time. Every instrumentation on the same meter shares them, as they would share a
 * synchronous counter: totals survive an `unsubscribe()`, and two live instrumentations
 * both count.
 */
export function counterTotals(meter: Meter, spec: CounterSpec): CounterTotals {
  let byName = shared.get(meter);
  if (byName === undefined) {
    byName = new Map();
    shared.set(meter, byName);
  }
  let totals = byName.get(spec.name);
  if (totals === undefined) {
    const created = new CounterTotals();
    meter
      .createObservableCounter(spec.name, { description: spec.description, unit: spec.unit })
      .addCallback((result) => created.observe(result));
    byName.set(spec.name, created);
    totals = created;
  }
  return totals;
}
