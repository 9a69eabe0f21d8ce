/**
 * What `@phone-guard/opentelemetry` costs the guard's cache-hit path: `await guard.check()`
 * for cached numbers, with and without `instrumentPhoneGuard()` subscribed to a real
 * OpenTelemetry SDK (MeterProvider with a reader, tracer provider with an in-memory span
 * exporter), in the same process, in alternating rounds (A B A B …, the order flipping
 * every pair), median of each. Also reports how many records the instruments received
 * per check, which shows which channels the guard publishes on.
 *
 * Run alone (no build needed: sources through the `@phone-guard/source` condition):
 *   NODE_OPTIONS=--conditions=@phone-guard/source taskset -c 1 node_modules/.bin/tsx bench/otel-overhead.ts
 */
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
// By path: the bench measures the source, not a possibly stale dist/.
import {
  createPhoneGuard,
  type LiveStatus,
  type LiveStatusProvider,
  normalizePhone,
} from '../packages/core/src/index.js';
import { instrumentPhoneGuard } from '../packages/opentelemetry/src/index.js';
import { median, report } from './lib.js';

const HOT = 1_000;
const PAIRS = 6;
const PER_ROUND = 300_000;

const provider: LiveStatusProvider = {
  async getLiveStatus(phone): Promise<LiveStatus> {
    return {
      phone,
      subscriberStatus: 'ACTIVE',
      deviceStatus: 'REACHABLE',
      roaming: 'NO',
      roamingCountry: null,
      roamingCountryIso2: null,
      phoneType: { code: '2', description: 'MOBILE' },
      carrier: 'Verizon',
      referenceId: '0123456789ABCDEF0123456789ABCDEF',
      statusCode: 300,
      errors: [],
      checkedAt: Date.now(),
    };
  },
};

// Distinct valid numbers, each a fresh flat string as a parsed request body would give.
const hot: string[] = [];
for (let i = 0; hot.length < HOT && i < 10_000; i++) {
  const input = `+1 415 555 ${String(i).padStart(4, '0')}`;
  if (normalizePhone(input).ok) hot.push(JSON.parse(JSON.stringify(input)) as string);
}
if (hot.length < HOT) throw new Error(`only ${hot.length} valid numbers`);

const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000, // exported once, at the end
});
const meterProvider = new MeterProvider({ readers: [reader] });
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
});

const guard = createPhoneGuard({ provider, logger: false, name: 'bench' });
for (const n of hot) await guard.check(n);

async function round(instrumented: boolean): Promise<number> {
  const handle = instrumented ? instrumentPhoneGuard({ meterProvider, tracerProvider }) : null;
  const start = process.hrtime.bigint();
  for (let i = 0; i < PER_ROUND; i++) await guard.check(hot[i % HOT]);
  const perSec = PER_ROUND / (Number(process.hrtime.bigint() - start) / 1e9);
  handle?.unsubscribe();
  return perSec;
}

await round(false); // warm-up, both paths
await round(true);
const plain: number[] = [];
const instrumented: number[] = [];
for (let pair = 0; pair < PAIRS; pair++) {
  if (pair % 2 === 0) {
    plain.push(await round(false));
    instrumented.push(await round(true));
  } else {
    instrumented.push(await round(true));
    plain.push(await round(false));
  }
}

await reader.forceFlush();
let records = 0;
const recordsByInstrument: Record<string, number> = {};
for (const scope of metricExporter.getMetrics().at(-1)?.scopeMetrics ?? []) {
  for (const metric of scope.metrics) {
    let sum = 0;
    for (const p of metric.dataPoints) if (typeof p.value === 'number') sum += p.value;
    recordsByInstrument[metric.descriptor.name] = sum;
    records += sum;
  }
}
const instrumentedChecks = (PAIRS + 1) * PER_ROUND;
const s = guard.stats();
if (s.lookups !== HOT) throw new Error(`unexpected look-ups: ${JSON.stringify(s)}`);
await guard.close();
await meterProvider.shutdown();
await tracerProvider.shutdown();

const plainPerSec = median(plain);
const instrumentedPerSec = median(instrumented);
report({
  bench: 'otel-overhead',
  node: process.version,
  plainPerSec: Math.round(plainPerSec),
  instrumentedPerSec: Math.round(instrumentedPerSec),
  ratio: Number((instrumentedPerSec / plainPerSec).toFixed(3)),
  addedNsPerCheck: Math.round(1e9 / instrumentedPerSec - 1e9 / plainPerSec),
  recordsPerCheck: Number((records / instrumentedChecks).toFixed(3)),
  recordsByInstrument,
  pairs: PAIRS,
  opsPerRound: PER_ROUND,
  plainRounds: plain.map(Math.round),
  instrumentedRounds: instrumented.map(Math.round),
});
