/**
 * The guard's cache-hit path: `await guard.check(input)` for numbers already cached
 * (cached normalize → cached status → the entry's precomputed decision), beside a bare
 * lru-cache `get` (sync, and awaited like check()) in the same run; then the heap cost of
 * one cached number with 100,000 numbers cached.
 *
 * Run: pnpm tsx bench/guard-hit.ts   (prints one JSON line)
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LRUCache } from 'lru-cache';
// By path: the bench measures the source, not a possibly stale dist/.
import {
  createPhoneGuard,
  type LiveStatus,
  type LiveStatusProvider,
  normalizePhone,
} from '../packages/core/src/index.js';

const HOT = 1_000;
const ROUNDS = 5;
const PER_ROUND = 1_000_000;
const HEAP_ENTRIES = 100_000;

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

/** Distinct valid numbers, as a person would type them. */
function numbers(count: number): string[] {
  const out: string[] = [];
  for (let area = 201; out.length < count && area < 990; area++) {
    for (let i = 0; out.length < count && i < 100_000; i += 7) {
      const local = String(2_000_000 + i * 13).padStart(7, '0');
      const input = `+1 ${area} ${local.slice(0, 3)} ${local.slice(3)}`;
      // A fresh flat string, as a parsed request body would give (not a cons string whose
      // flattening would be charged to the guard).
      if (normalizePhone(input).ok) out.push(JSON.parse(JSON.stringify(input)) as string);
    }
  }
  return out;
}

function gcFn(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const gc = gcFn();

async function opsPerSec(count: number, fn: (i: number) => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fn(i);
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}
function syncOpsPerSec(count: number, fn: (i: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) fn(i);
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}
const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

// --- throughput -----------------------------------------------------------------------
const hot = numbers(HOT);
const guard = createPhoneGuard({ provider, logger: false });
for (const n of hot) await guard.check(n);
const bare = new LRUCache<string, object>({ max: 10_000 });
for (const n of hot) bare.set(n, { n });

// What an adapter passes: a use case other than the guard's default, and a signal.
const checkOptions = { useCase: 'PWRT', signal: new AbortController().signal } as const;
const guardRounds: number[] = [];
const guardOptionRounds: number[] = [];
const bareRounds: number[] = [];
const bareAwaitRounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  guardRounds.push(await opsPerSec(PER_ROUND, (i) => guard.check(hot[i % HOT])));
  guardOptionRounds.push(
    await opsPerSec(PER_ROUND, (i) => guard.check(hot[i % HOT], checkOptions)),
  );
  bareRounds.push(syncOpsPerSec(PER_ROUND, (i) => bare.get(hot[i % HOT] as string)));
  bareAwaitRounds.push(await opsPerSec(PER_ROUND, (i) => bare.get(hot[i % HOT] as string)));
}
const s = guard.stats();
if (s.lookups !== HOT || s.hits !== 2 * ROUNDS * PER_ROUND) {
  throw new Error(`unexpected stats: ${JSON.stringify(s)}`);
}
await guard.close();

// --- heap per cached entry --------------------------------------------------------------
const many = numbers(HEAP_ENTRIES);
const big = createPhoneGuard({ provider, logger: false, cache: { max: HEAP_ENTRIES } });
await big.check(many[0]);
gc();
gc();
const before = process.memoryUsage().heapUsed;
for (const n of many) await big.check(n);
for (const n of many) await big.check(n); // second pass: the precomputed decision exists too
gc();
gc();
const after = process.memoryUsage().heapUsed;
const cached = big.stats().cache.size;
await big.close();

console.log(
  JSON.stringify({
    bench: 'guard-hit',
    node: process.version,
    checkHitPerSec: Math.round(median(guardRounds)),
    checkHitWithOptionsPerSec: Math.round(median(guardOptionRounds)),
    bareLruGetPerSec: Math.round(median(bareRounds)),
    bareLruGetAwaitedPerSec: Math.round(median(bareAwaitRounds)),
    rounds: ROUNDS,
    opsPerRound: PER_ROUND,
    heapEntries: cached,
    heapBytesPerEntry: Math.round((after - before) / cached),
  }),
);
