/**
 * A real OpenTelemetry SDK set-up for tests: a MeterProvider whose reader exports to an
 * in-memory exporter on demand, and a tracer provider exporting every ended span to an
 * in-memory span exporter.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface Telemetry {
  meterProvider: MeterProvider;
  tracerProvider: BasicTracerProvider;
  /** Collects now and returns every metric, by instrument name. */
  collect(): Promise<Map<string, MetricData>>;
  /** The sum of a counter's data points whose attributes include `where`. */
  count(name: string, where?: Attributes): Promise<number>;
  /** The data points of one instrument (after a collection). */
  points(name: string): Promise<DataPoint<number | Histogram>[]>;
  spans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

const matches = (attributes: Attributes, where: Attributes): boolean =>
  Object.entries(where).every(([k, v]) => attributes[k] === v);

export function createTelemetry(): Telemetry {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 3_600_000, // only forceFlush() exports
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });

  const collect = async (): Promise<Map<string, MetricData>> => {
    await reader.forceFlush();
    const last = exporter.getMetrics().at(-1);
    const byName = new Map<string, MetricData>();
    for (const scope of last?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    }
    return byName;
  };
  const points = async (name: string): Promise<DataPoint<number | Histogram>[]> =>
    ((await collect()).get(name)?.dataPoints ?? []) as DataPoint<number | Histogram>[];

  return {
    meterProvider,
    tracerProvider,
    collect,
    points,
    async count(name, where = {}) {
      let sum = 0;
      for (const p of await points(name)) {
        if (typeof p.value === 'number' && matches(p.attributes, where)) sum += p.value;
      }
      return sum;
    },
    spans: () => spanExporter.getFinishedSpans(),
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}
