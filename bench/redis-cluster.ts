/**
 * Several application instances (worker processes, each with its own guard and its own
 * in-process cache) share one Redis store and one sandbox, and check overlapping sets of
 * numbers at the same time: a "hot" set every worker checks at once (a thundering herd),
 * then overlapping windows of a larger set in each worker's own order.
 *
 * Reports
 * - `lookupsPerNumber`: upstream look-ups (counted at the sandbox) per distinct number
 *   checked, with the shared store (target 1.0) and, as the baseline, without it;
 * - the latency of a check that misses the in-process cache and is served from Redis
 *   (`redisHitUs`) beside one served from the in-process cache (`nearHitUs`), median and
 *   p99 in µs, their difference (`addedByRedisUs`), and one bare `store.get`
 *   (`storeGetUs`) for comparison. Measured one worker at a time, warm-up excluded.
 *
 * Every process loads the workspace sources (the `@phone-guard/source` condition). Needs
 * Redis at REDIS_URL (default redis://127.0.0.1:6379); touches only its own random key
 * prefix and deletes it afterwards.
 *
 * Run: pnpm tsx bench/redis-cluster.ts   (about 15 s; prints one JSON line)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKERS = 4;
/** Numbers every worker checks at once, first. */
const HOT = 40;
/** The larger set; each worker checks a window of WINDOW of them, starting WORKER·STEP. */
const SPREAD = 240;
const WINDOW = 180;
const STEP = 60;
/** Checks in flight per worker. */
const CONCURRENCY = 16;
/** Checks of each worker's latency round that are not measured. */
const WARMUP_CHECKS = 20;
/** Sandbox answer delay: a fast upstream; Telesign itself takes longer. */
const UPSTREAM_LATENCY_MS = 100;
const SELF = fileURLToPath(import.meta.url);
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CONDITION = '--conditions=@phone-guard/source';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MODE = process.argv[2] ?? 'main';

/** Distinct valid US numbers outside the sandbox's test table; `base` separates rounds. */
function number(base: number, i: number): string {
  return `+14152${String(100_000 + base + i * 37)}`;
}

/** The numbers worker `id` checks, in its order: the hot set, then its shuffled window. */
function workload(id: number, base: number): string[] {
  const hot = Array.from({ length: HOT }, (_, i) => number(base, i));
  const window = Array.from({ length: WINDOW }, (_, k) =>
    number(base, HOT + ((id * STEP + k) % SPREAD)),
  );
  let seed = id + 1;
  for (let i = window.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [window[i], window[j]] = [window[j] as string, window[i] as string];
  }
  return [...hot, ...window];
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------- worker process
async function runWorker(id: number, sandboxUrl: string, keyPrefix: string, keySecret: string) {
  const { createPhoneGuard } = await import('@phone-guard/core');
  const { createRedisStore } = await import('@phone-guard/redis');
  const { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID } = await import('@phone-guard/sandbox');
  // Count outages (a call slower than commandTimeoutMs counts as one) instead of logging.
  let outages = 0;
  const logger = {
    warn: (message: string) => {
      if (message.includes('unavailable')) outages++;
    },
    error: () => {},
    info: () => {},
  };
  const store = createRedisStore({ url: REDIS_URL, keyPrefix, keySecret, logger });
  const guards: { close(): Promise<void> }[] = [];
  const newGuard = (withStore: boolean) => {
    const guard = createPhoneGuard({
      telesign: { baseUrl: sandboxUrl, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
      store: withStore ? store : undefined,
      timeoutMs: 5000,
      logger: false,
    });
    guards.push(guard);
    return guard;
  };
  const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

  async function checkAll(guard: ReturnType<typeof createPhoneGuard>, phones: string[]) {
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < phones.length) {
          const decision = await guard.check(phones[next++] as string);
          if (decision.reasons.includes('LOOKUP_FAILED')) failed++;
        }
      }),
    );
    return failed;
  }

  const commands = createInterface({ input: process.stdin });
  send({ ready: true });
  for await (const line of commands) {
    const [command, arg] = line.split(' ');
    const base = Number(arg);
    if (command === 'run' || command === 'run-nostore') {
      const guard = newGuard(command === 'run');
      outages = 0;
      const started = performance.now();
      const failed = await checkAll(guard, workload(id, base));
      send({ done: true, ms: performance.now() - started, failed, outages, stats: guard.stats() });
    } else if (command === 'latency') {
      // A new guard: empty in-process cache, every number already in Redis.
      const guard = newGuard(true);
      const phones = workload(id, base);
      const missUs: number[] = [];
      const hitUs: number[] = [];
      for (const [index, phone] of phones.entries()) {
        let t = performance.now();
        const miss = await guard.check(phone);
        const missTime = (performance.now() - t) * 1000;
        t = performance.now();
        const hit = await guard.check(phone);
        const hitTime = (performance.now() - t) * 1000;
        // The first checks warm the code paths up; they are not measured.
        if (index >= WARMUP_CHECKS) {
          missUs.push(missTime);
          hitUs.push(hitTime);
        }
        if (miss.source !== 'cache' || hit.source !== 'cache') {
          send({ error: `unexpected source ${miss.source}/${hit.source}` });
        }
      }
      // The store alone (one GET and decode), for comparison.
      const storeUs: number[] = [];
      for (const [index, phone] of phones.entries()) {
        const t = performance.now();
        await store.get(phone);
        if (index >= WARMUP_CHECKS) storeUs.push((performance.now() - t) * 1000);
      }
      send({ latency: true, missUs, hitUs, storeUs, stats: guard.stats() });
    } else if (command === 'exit') {
      break;
    }
  }
  commands.close();
  await Promise.all(guards.map((guard) => guard.close()));
  await store.close();
}

// ---------------------------------------------------------------- coordinator
interface Worker {
  child: ChildProcess;
  lines: Interface;
  next(): Promise<Record<string, unknown>>;
  send(command: string): void;
}

function startWorker(id: number, sandboxUrl: string, keyPrefix: string, keySecret: string): Worker {
  const child = spawn(
    TSX,
    [CONDITION, SELF, 'worker', String(id), sandboxUrl, keyPrefix, keySecret],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    if (!line.startsWith('{')) return;
    const resolve = waiting.shift();
    if (resolve) resolve(line);
    else queue.push(line);
  });
  return {
    child,
    lines,
    async next() {
      const line = queue.shift() ?? (await new Promise<string>((resolve) => waiting.push(resolve)));
      const message = JSON.parse(line) as Record<string, unknown>;
      if (typeof message.error === 'string') throw new Error(`worker ${id}: ${message.error}`);
      return message;
    },
    send(command) {
      child.stdin!.write(`${command}\n`);
    },
  };
}

async function main() {
  const { Redis } = await import('ioredis');
  const { startSandbox } = await import('@phone-guard/sandbox');
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await admin.connect();
  } catch {
    console.error(`redis-cluster bench: no Redis at ${REDIS_URL}`);
    process.exit(1);
  }
  const sandbox = await startSandbox({
    latencyMs: UPSTREAM_LATENCY_MS,
    maxRecordedRequests: 100_000,
  });
  const keyPrefix = `pgbench:${randomUUID()}:`;
  const keySecret = randomBytes(32).toString('base64');
  const workers = Array.from({ length: WORKERS }, (_, id) =>
    startWorker(id, sandbox.url, keyPrefix, keySecret),
  );
  try {
    await Promise.all(workers.map((w) => w.next()));

    const upstreamFor = (base: number) => {
      const distinct = new Set<string>();
      for (let id = 0; id < WORKERS; id++)
        for (const phone of workload(id, base)) distinct.add(phone.slice(1));
      const requests = sandbox.requests.filter(
        (r) => r.digits !== null && distinct.has(r.digits),
      ).length;
      return { distinct: distinct.size, requests };
    };
    const runRound = async (command: string, base: number) => {
      for (const w of workers) w.send(`${command} ${base}`);
      const results = await Promise.all(workers.map((w) => w.next()));
      const { distinct, requests } = upstreamFor(base);
      return {
        distinctNumbers: distinct,
        checks: WORKERS * (HOT + WINDOW),
        upstreamLookups: requests,
        lookupsPerNumber: round(requests / distinct, 3),
        lookupFailures: results.reduce((n, r) => n + Number(r.failed), 0),
        storeOutages: results.reduce((n, r) => n + Number(r.outages), 0),
        wallMs: Math.round(Math.max(...results.map((r) => Number(r.ms)))),
      };
    };

    const shared = await runRound('run', 0);
    const baseline = await runRound('run-nostore', 100_000);

    // Latency, one worker at a time so that they do not compete for the CPU.
    const missUs: number[] = [];
    const hitUs: number[] = [];
    const storeUs: number[] = [];
    for (const w of workers) {
      w.send('latency 0');
      const result = await w.next();
      missUs.push(...(result.missUs as number[]));
      hitUs.push(...(result.hitUs as number[]));
      storeUs.push(...(result.storeUs as number[]));
    }
    for (const w of workers) w.send('exit');
    await Promise.all(
      workers.map((w) => (w.child.exitCode === null ? once(w.child, 'exit') : null)),
    );

    const missMedian = quantile(missUs, 0.5);
    const hitMedian = quantile(hitUs, 0.5);
    console.log(
      JSON.stringify({
        bench: 'redis-cluster',
        workers: WORKERS,
        upstreamLatencyMs: UPSTREAM_LATENCY_MS,
        lookupsPerNumber: shared.lookupsPerNumber,
        lookupsPerNumberWithoutStore: baseline.lookupsPerNumber,
        withStore: shared,
        withoutStore: baseline,
        nearHitUs: { median: round(hitMedian), p99: round(quantile(hitUs, 0.99)) },
        redisHitUs: { median: round(missMedian), p99: round(quantile(missUs, 0.99)) },
        storeGetUs: { median: round(quantile(storeUs, 0.5)), p99: round(quantile(storeUs, 0.99)) },
        addedByRedisUs: {
          median: round(missMedian - hitMedian),
          p99: round(quantile(missUs, 0.99) - quantile(hitUs, 0.99)),
        },
        latencySamples: missUs.length,
      }),
    );
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await sandbox.close();
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await admin.del(...keys);
    } while (cursor !== '0');
    await admin.quit();
  }
}

const hasCondition =
  process.execArgv.includes(CONDITION) || (process.env.NODE_OPTIONS ?? '').includes(CONDITION);

if (MODE === 'worker') {
  const [, , , id, sandboxUrl, keyPrefix, keySecret] = process.argv;
  await runWorker(Number(id), sandboxUrl as string, keyPrefix as string, keySecret as string);
} else if (!hasCondition) {
  // Re-run under the source condition so that no stale dist/ is measured.
  const child = spawn(TSX, [CONDITION, SELF, 'main'], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  process.exit(code ?? 1);
} else {
  const killer = setTimeout(() => {
    console.error('redis-cluster bench: gave up after 60 s');
    process.exit(1);
  }, 60_000);
  killer.unref();
  await main();
}
