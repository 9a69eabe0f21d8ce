/**
 * What phoneGuard() costs an Express route on cache hits: the same signup route
 * (express.json() + a handler answering 201) with and without the guard, beside two
 * controls measured in the same run: a pass-through middleware (one more Express layer)
 * and one that only sets a property on req (a layer plus a request property, which the
 * guard also needs). See servers/express-signup.ts.
 *
 * One server process, pinned to core 0, serves every route, so process-level luck (heap
 * layout, JIT) cannot favour a side: two processes of identical code differ by up to
 * ~10% on this machine. autocannon runs here, pinned to core 1 when taskset exists.
 * After a warm-up (which also caches the number), each pair of short rounds loads the
 * plain route and one other route in ABBA order; throughput ratios and server CPU time
 * per request (process.cpuUsage() before and after) are medians over the pairs.
 *
 * Run: taskset -c 1 pnpm tsx bench/middleware.ts
 * BENCH_PAIRS and BENCH_SECONDS change the number of pairs per route and their length.
 */
import autocannon from 'autocannon';
import { median, report, startPinnedServer } from './lib.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUTES = ['guarded', 'passthrough', 'annotate-only'] as const;
const script = new URL('./servers/express-signup.ts', import.meta.url).pathname;
const body = JSON.stringify({ email: 'ada@example.com', phone: '+14155550100' });

const server = await startPinnedServer(script, [], 0);
const base = `http://127.0.0.1:${server.port}`;

async function serverCpuUs(): Promise<number> {
  const res = await fetch(`${base}/__cpu`);
  return ((await res.json()) as { cpuUs: number }).cpuUs;
}

/** Requests per second, and server CPU time per request (µs). */
async function load(route: string, duration: number): Promise<{ rps: number; cpuUs: number }> {
  const cpuBefore = await serverCpuUs();
  const result = await autocannon({
    url: `${base}/${route}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: 50,
    pipelining: 1,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  const cpuUs = (await serverCpuUs()) - cpuBefore;
  return { rps: result.requests.average, cpuUs: cpuUs / result.requests.total };
}

interface Side {
  rps: number[];
  cpu: number[];
  rpsRatio: number[];
  cpuRatio: number[];
}
const sides = new Map<string, Side>(
  ['plain', ...ROUTES].map((r) => [r, { rps: [], cpu: [], rpsRatio: [], cpuRatio: [] }]),
);

try {
  for (const route of ['plain', ...ROUTES]) await load(route, 2);
  for (let pair = 0; pair < PAIRS; pair++) {
    for (const route of ROUTES) {
      // ABBA: alternate which side goes first, so drift hits both alike.
      const order = pair % 2 === 0 ? ['plain', route] : [route, 'plain'];
      const got: Record<string, { rps: number; cpuUs: number }> = {};
      for (const r of order) got[r] = await load(r, SECONDS);
      const a = got.plain!;
      const b = got[route]!;
      const side = sides.get(route)!;
      side.rps.push(b.rps);
      side.cpu.push(b.cpuUs);
      side.rpsRatio.push(b.rps / a.rps);
      side.cpuRatio.push(b.cpuUs / a.cpuUs);
      sides.get('plain')!.rps.push(a.rps);
      sides.get('plain')!.cpu.push(a.cpuUs);
    }
  }
  const summary = (name: string) => {
    const s = sides.get(name)!;
    return {
      rps: Math.round(median(s.rps)),
      cpuUsPerRequest: +median(s.cpu).toFixed(1),
      ...(name === 'plain'
        ? {}
        : { ratio: +median(s.rpsRatio).toFixed(3), cpuRatio: +median(s.cpuRatio).toFixed(3) }),
    };
  };
  const guarded = summary('guarded');
  const plain = summary('plain');
  report({
    bench: 'middleware',
    plainRps: plain.rps,
    guardedRps: guarded.rps,
    ratio: guarded.ratio,
    plainCpuUsPerRequest: plain.cpuUsPerRequest,
    guardedCpuUsPerRequest: guarded.cpuUsPerRequest,
    cpuRatio: guarded.cpuRatio,
    passthrough: summary('passthrough'),
    annotateOnly: summary('annotate-only'),
    pairs: PAIRS,
    secondsPerRound: SECONDS,
  });
} finally {
  await server.stop();
}
