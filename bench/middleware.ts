/**
 * Express signup route (express.json() + handler) with and without phone-guard in front,
 * every request a cache hit. The server runs pinned to core 0, autocannon (this process)
 * to core 1 when taskset is available; rounds alternate plain/guarded after a warm-up and
 * the figure is the median of the per-pair ratios.
 *
 * Run: taskset -c 1 pnpm tsx bench/middleware.ts
 */
import autocannon from 'autocannon';
import { median, report, startPinnedServer } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const script = new URL('./servers/express-signup.ts', import.meta.url).pathname;
const body = JSON.stringify({ email: 'ada@example.com', phone: '+14155550100' });

async function load(port: number, duration: number): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/signup`,
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
  return result.requests.average;
}

const plain = await startPinnedServer(script, ['plain'], 0);
const guarded = await startPinnedServer(script, ['guarded'], 0);
try {
  // Warm-up: JIT, connection pools, and the guard's cache (the first request looks up).
  await load(plain.port, 2);
  await load(guarded.port, 2);
  const plainRps: number[] = [];
  const guardedRps: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first so drift on the machine hits both sides alike.
    const order = round % 2 === 0 ? ['plain', 'guarded'] : ['guarded', 'plain'];
    const rps: Record<string, number> = {};
    for (const side of order) {
      rps[side] = await load(side === 'plain' ? plain.port : guarded.port, SECONDS);
    }
    plainRps.push(rps.plain!);
    guardedRps.push(rps.guarded!);
    ratios.push(rps.guarded! / rps.plain!);
  }
  report({
    bench: 'middleware',
    plainRps: Math.round(median(plainRps)),
    guardedRps: Math.round(median(guardedRps)),
    ratio: +median(ratios).toFixed(3),
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
  });
} finally {
  await plain.stop();
  await guarded.stop();
}
