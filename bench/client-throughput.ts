/**
 * Look-ups per second of `createTelesignClient` against the sandbox, beside Telesign's
 * official Node SDK (`telesignsdk`, its generic `RestClient.execute`) and a bare undici
 * `request` loop to the same URL (same keep-alive pool size, same Digest signing per
 * request, body read and JSON-parsed) at the same concurrency. The difference is what the
 * client itself costs: validation, deadline and attempt timers, abort wiring, bounded body
 * reading and LiveStatus parsing.
 *
 * The sandbox runs in its own process pinned to core 0, the load in another pinned to
 * core 1 (when `taskset` exists); warm-up first, then alternating rounds; medians.
 * Both processes load the workspace sources (the `@phone-guard/source` condition), never
 * a possibly stale dist/.
 *
 * Run: pnpm tsx bench/client-throughput.ts   (about 30 s; prints one JSON line)
 *
 * `ratio` is client / bare look-ups per second (1.0 = no measurable cost at this load);
 * `cpuRatio` is client / bare CPU time of the load process per look-up, which shows the
 * client's own cost even when the sandbox is the bottleneck.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = 32;
const WARMUP_MS = 2000;
const ROUND_MS = 2000;
const ROUNDS = 4; // per contender, alternating
const MODE = process.argv[2] ?? 'main';
const SELF = fileURLToPath(import.meta.url);
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const CONDITION = '--conditions=@phone-guard/source';

const canPin = await new Promise<boolean>((resolve) => {
  const child = spawn('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  child.on('error', () => resolve(false));
  child.on('exit', (code) => resolve(code === 0));
});

function spawnSelf(
  mode: string,
  core: number,
  args: string[],
  stdout: 'pipe' | 'inherit',
): ChildProcess {
  const argv = [TSX, CONDITION, SELF, mode, ...args];
  const [command, ...rest] = canPin ? ['taskset', '-c', String(core), ...argv] : argv;
  return spawn(command as string, rest, { stdio: ['ignore', stdout, 'inherit'] });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runSandbox(): Promise<void> {
  const { startSandbox } = await import('@phone-guard/sandbox');
  const sandbox = await startSandbox({ maxRecordedRequests: 0 });
  process.stdout.write(`${JSON.stringify({ port: sandbox.port })}\n`);
  process.on('SIGTERM', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

async function runMeasure(port: number): Promise<void> {
  const { createTelesignClient, signTelesignRequest } = await import('@phone-guard/core');
  const { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID, TEST_NUMBERS } = await import(
    '@phone-guard/sandbox'
  );
  const { Pool, request } = await import('undici');

  const baseUrl = `http://127.0.0.1:${port}`;
  const phone = TEST_NUMBERS.active;
  const resource = `/v1/phoneid/live/${phone.slice(1)}`;
  const credentials = { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY };

  const client = createTelesignClient({ baseUrl, ...credentials, connections: 64 });
  const pool = new Pool(baseUrl, { connections: 64 });

  // The official SDK as shipped (telesignsdk 3: node-fetch, callback API), through its
  // generic RestClient.execute against the same Live endpoint.
  const require = createRequire(import.meta.url);
  const TeleSignSDK = require('telesignsdk') as new (
    customerId: string,
    apiKey: string,
    restEndpoint: string,
    timeout: number,
  ) => {
    rest: {
      execute(
        callback: (err: unknown, body: { live?: { subscriber_status?: string } }) => void,
        method: string,
        resource: string,
        params: Record<string, string>,
      ): void;
    };
  };
  const sdk = new TeleSignSDK(SANDBOX_CUSTOMER_ID, SANDBOX_API_KEY, baseUrl, 5000);
  const viaSdk = () =>
    new Promise<void>((resolve, reject) => {
      sdk.rest.execute(
        (err, body) => {
          if (err || body?.live?.subscriber_status !== 'ACTIVE')
            reject(new Error('unexpected answer'));
          else resolve();
        },
        'GET',
        resource,
        { ucid: 'OTHR' },
      );
    });

  const viaClient = async (): Promise<void> => {
    const status = await client.getLiveStatus(phone);
    if (status.subscriberStatus !== 'ACTIVE') throw new Error('unexpected answer');
  };
  const bare = async (): Promise<void> => {
    const headers = signTelesignRequest({ method: 'GET', resource, contentType: '' }, credentials);
    const res = await request(`${baseUrl}${resource}?ucid=OTHR`, {
      dispatcher: pool,
      method: 'GET',
      headers: { ...headers, accept: 'application/json' },
    });
    const body = (await res.body.json()) as { live?: { subscriber_status?: string } };
    if (res.statusCode !== 200 || body.live?.subscriber_status !== 'ACTIVE') {
      throw new Error('unexpected answer');
    }
  };

  interface Round {
    perSec: number;
    /** CPU time of this (load) process per look-up, in microseconds. */
    cpuUs: number;
  }
  async function round(fn: () => Promise<void>, ms: number): Promise<Round> {
    let done = 0;
    const end = performance.now() + ms;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          await fn();
          done++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return {
      perSec: done / ((performance.now() - started) / 1000),
      cpuUs: (used.user + used.system) / done,
    };
  }

  await round(viaClient, WARMUP_MS);
  await round(bare, WARMUP_MS);
  await round(viaSdk, WARMUP_MS);
  const clientRps: Round[] = [];
  const bareRps: Round[] = [];
  const sdkRps: Round[] = [];
  const contenders: Array<[() => Promise<void>, Round[]]> = [
    [viaClient, clientRps],
    [bare, bareRps],
    [viaSdk, sdkRps],
  ];
  for (let i = 0; i < ROUNDS; i++) {
    // Rotate which goes first so drift (GC, thermal) hits all alike.
    for (let j = 0; j < contenders.length; j++) {
      const [fn, out] = contenders[(i + j) % contenders.length]!;
      out.push(await round(fn, ROUND_MS));
    }
  }
  await client.close();
  await pool.close();

  const clientMedian = median(clientRps.map((r) => r.perSec));
  const bareMedian = median(bareRps.map((r) => r.perSec));
  const sdkMedian = median(sdkRps.map((r) => r.perSec));
  const sdkCpu = median(sdkRps.map((r) => r.cpuUs));
  const clientCpu = median(clientRps.map((r) => r.cpuUs));
  const bareCpu = median(bareRps.map((r) => r.cpuUs));
  console.log(
    JSON.stringify({
      bench: 'client-throughput',
      concurrency: CONCURRENCY,
      roundMs: ROUND_MS,
      rounds: ROUNDS,
      pinned: canPin,
      clientLookupsPerSec: Math.round(clientMedian),
      bareUndiciPerSec: Math.round(bareMedian),
      ratio: Number((clientMedian / bareMedian).toFixed(3)),
      clientCpuUsPerLookup: Math.round(clientCpu),
      bareCpuUsPerLookup: Math.round(bareCpu),
      cpuRatio: Number((clientCpu / bareCpu).toFixed(3)),
      officialSdkPerSec: Math.round(sdkMedian),
      officialSdkCpuUsPerLookup: Math.round(sdkCpu),
      clientVsSdk: Number((clientMedian / sdkMedian).toFixed(3)),
      clientRounds: clientRps.map((r) => Math.round(r.perSec)),
      bareRounds: bareRps.map((r) => Math.round(r.perSec)),
      sdkRounds: sdkRps.map((r) => Math.round(r.perSec)),
    }),
  );
}

async function main(): Promise<void> {
  const server = spawnSelf('sandbox', 0, [], 'pipe');
  try {
    const lines = createInterface({ input: server.stdout! });
    const [line] = (await once(lines, 'line')) as [string];
    const { port } = JSON.parse(line) as { port: number };
    const measure = spawnSelf('measure', 1, [String(port)], 'inherit');
    const [code] = (await once(measure, 'exit')) as [number | null];
    if (code !== 0) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
  }
}

if (MODE === 'sandbox') await runSandbox();
else if (MODE === 'measure') await runMeasure(Number(process.argv[3]));
else await main();
