// Runs every benchmark in bench/ one after another and rewrites the results section of
// bench/README.md (between the "results" markers) with the machine, the Node version and
// each figure beside its baseline from the same run.
//
//   pnpm bench                 all of them (about 5 minutes on 2 cores)
//   pnpm bench normalize guard just these
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** name → how to run it. `pin` runs the script on core 1 (servers it starts pin to core 0). */
const BENCHES = {
  normalize: { script: 'normalize.ts', pin: true },
  guard: { script: 'guard-hit.ts', node: ['--expose-gc'], pin: true },
  client: { script: 'client-throughput.ts' },
  middleware: { script: 'middleware.ts', pin: true },
  redis: { script: 'redis-cluster.ts' },
  // Sources through the export condition, so @phone-guard/opentelemetry and the guard it
  // observes are the same code as guard-hit's.
  otel: { script: 'otel-overhead.ts', node: ['--conditions=@phone-guard/source'], pin: true },
};

async function canPin() {
  return new Promise((resolve) => {
    const child = spawn('taskset', ['-c', '1', 'true'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

function runOne(name, spec, pin) {
  const nodeOptions = (spec.node ?? []).join(' ');
  const command = pin ? 'taskset' : tsx;
  const argv = pin ? ['-c', '1', tsx, join(here, spec.script)] : [join(here, spec.script)];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, argv, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim(),
      },
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const lines = out.trim().split('\n').reverse();
      const line = lines.find((l) => l.startsWith('{'));
      if (code !== 0 || !line) {
        reject(new Error(`${name} exited with ${code}`));
        return;
      }
      resolve({ ...JSON.parse(line), seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

const fmt = (n, digits = 0) =>
  typeof n === 'number'
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits })
    : String(n ?? '–');

/** One table row per figure: [what, figure, baseline from the same run, ratio/target]. */
function rows(name, r) {
  switch (name) {
    case 'normalize':
      return [
        [
          'normalizePhone, first call for a string (a parse)',
          `${fmt(r.firstCallUs, 2)} µs`,
          `bare libphonenumber-js/max parse: ${fmt(r.bareLibphonenumberParseUs, 2)} µs`,
          '—',
        ],
        [
          'normalizePhone, repeated call (parse cache)',
          `${fmt(r.repeatedCallNs)} ns`,
          `first call: ${fmt(r.firstCallUs, 2)} µs`,
          `${fmt(r.speedupRepeatedVsFirst)}× faster`,
        ],
      ];
    case 'guard':
      return [
        [
          'guard.check(), cache hit (checks/s)',
          fmt(r.checkHitPerSec),
          `bare lru-cache get: ${fmt(r.bareLruGetPerSec)}/s sync, ${fmt(r.bareLruGetAwaitedPerSec)}/s awaited`,
          `target ≥ 1,000,000/s: ${r.checkHitPerSec >= 1e6 ? 'met' : 'NOT met'}`,
        ],
        [
          'guard.check() with { useCase, signal }, cache hit (checks/s)',
          fmt(r.checkHitWithOptionsPerSec),
          `plain hit: ${fmt(r.checkHitPerSec)}/s`,
          `${fmt(r.checkHitWithOptionsPerSec / r.checkHitPerSec, 2)}×`,
        ],
        [
          `heap per cached number at ${fmt(r.heapEntries)} entries`,
          `${fmt(r.heapBytesPerEntry)} bytes`,
          '—',
          `target < 500 bytes: ${r.heapBytesPerEntry < 500 ? 'met' : 'NOT met'}`,
        ],
      ];
    case 'client':
      return [
        [
          `Telesign client look-ups/s against the sandbox (${r.concurrency} in flight)`,
          fmt(r.clientLookupsPerSec),
          `bare undici loop: ${fmt(r.bareUndiciPerSec)}/s`,
          `${fmt(r.ratio, 2)}×`,
        ],
        [
          '… CPU per look-up in the load process',
          `${fmt(r.clientCpuUsPerLookup)} µs`,
          `bare undici: ${fmt(r.bareCpuUsPerLookup)} µs`,
          `${fmt(r.cpuRatio, 2)}×`,
        ],
        [
          '… against the official SDK (telesignsdk, RestClient.execute)',
          fmt(r.clientLookupsPerSec),
          `telesignsdk: ${fmt(r.officialSdkPerSec)}/s, ${fmt(r.officialSdkCpuUsPerLookup)} µs CPU per look-up`,
          `${fmt(r.clientVsSdk, 2)}× faster`,
        ],
      ];
    case 'middleware':
      return [
        [
          'Express signup route with phoneGuard(), cache hits (req/s)',
          fmt(r.guardedRps),
          `same route without the guard: ${fmt(r.plainRps)} req/s`,
          `${fmt(r.ratio * 100, 1)}% kept (target ≥ 95%: ${r.ratio >= 0.95 ? 'met' : 'NOT met'})`,
        ],
        [
          '… server CPU per request',
          `${fmt(r.guardedCpuUsPerRequest, 1)} µs`,
          `without the guard: ${fmt(r.plainCpuUsPerRequest, 1)} µs`,
          `${fmt(r.cpuRatio, 3)}×`,
        ],
        [
          'control: a pass-through middleware (one more Express layer)',
          `${fmt(r.passthrough?.rps)} req/s`,
          `same route without it: ${fmt(r.plainRps)} req/s`,
          `${fmt((r.passthrough?.ratio ?? 0) * 100, 1)}% kept`,
        ],
        [
          'control: a middleware that only sets a property on req',
          `${fmt(r.annotateOnly?.rps)} req/s`,
          `same route without it: ${fmt(r.plainRps)} req/s`,
          `${fmt((r.annotateOnly?.ratio ?? 0) * 100, 1)}% kept`,
        ],
      ];
    case 'redis':
      return [
        [
          `upstream look-ups per distinct number, ${r.workers} processes sharing Redis`,
          fmt(r.lookupsPerNumber, 3),
          `without the store: ${fmt(r.lookupsPerNumberWithoutStore, 3)}`,
          `target 1.0: ${r.lookupsPerNumber <= 1.0001 ? 'met' : 'NOT met'}`,
        ],
        [
          'check() served from Redis after a near-cache miss (median / p99)',
          `${fmt(r.redisHitUs?.median, 1)} / ${fmt(r.redisHitUs?.p99, 1)} µs`,
          `near-cache hit: ${fmt(r.nearHitUs?.median, 1)} / ${fmt(r.nearHitUs?.p99, 1)} µs`,
          `added by Redis: ${fmt(r.addedByRedisUs?.median, 1)} µs median`,
        ],
      ];
    case 'otel':
      return [
        [
          'guard.check(), cache hit, with instrumentPhoneGuard() and the OpenTelemetry SDK (checks/s)',
          fmt(r.instrumentedPerSec),
          `same guard, not instrumented: ${fmt(r.plainPerSec)}/s`,
          `${fmt(r.ratio, 2)}×, +${fmt(r.addedNsPerCheck)} ns per check (${fmt(r.recordsPerCheck, 1)} records per check)`,
        ],
      ];
    default:
      return Object.entries(r)
        .filter(([k]) => k !== 'bench' && k !== 'seconds')
        .map(([k, v]) => [
          `${name}: ${k}`,
          typeof v === 'object' ? JSON.stringify(v) : fmt(v, 3),
          '',
          '',
        ]);
  }
}

// `--render` rewrites the table from the raw results already in bench/README.md.
const render = process.argv.includes('--render');
const selected = process.argv.slice(2).filter((a) => a !== '--render');
const names = render ? [] : selected.length ? selected : Object.keys(BENCHES);
const pin = await canPin();
const results = {};
for (const name of names) {
  const spec = BENCHES[name];
  if (!spec)
    throw new Error(`unknown benchmark "${name}" (have: ${Object.keys(BENCHES).join(', ')})`);
  console.error(`\n--- ${name} (${spec.script}) ---`);
  results[name] = await runOne(name, spec, pin && spec.pin);
}

const readmePath = join(here, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';
const previous = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
const kept = {};
for (const m of previous.matchAll(/<!-- raw:(\w+) (.*) -->/g)) kept[m[1]] = JSON.parse(m[2]);
const all = { ...kept, ...results };
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const table = [
  '| benchmark | figure | baseline (same run) | ratio / target |',
  '| --- | --- | --- | --- |',
  ...Object.keys(BENCHES)
    .filter((n) => all[n])
    .flatMap((n) => rows(n, all[n]).map((cells) => `| ${cells.join(' | ')} |`)),
];
const section = [
  START,
  render
    ? (previous.split('\n').find((l) => l.startsWith('Machine:')) ?? '')
    : `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; ` +
      `taskset pinning ${pin ? 'on' : 'unavailable'}; run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      (selected.length ? ` (re-ran: ${names.join(', ')}; other rows from the previous run)` : '') +
      '.',
  '',
  ...table,
  '',
  ...Object.keys(BENCHES)
    .filter((n) => all[n])
    .map((n) => `<!-- raw:${n} ${JSON.stringify(all[n])} -->`),
  END,
].join('\n');
writeFileSync(
  readmePath,
  readme.slice(0, readme.indexOf(START)) + section + readme.slice(readme.indexOf(END) + END.length),
);
console.error(`\nbench/README.md updated (${names.join(', ')}).`);
