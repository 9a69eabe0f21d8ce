/**
 * A real Redis Cluster for tests: three `redis-server --cluster-enabled yes` masters on
 * free ports, each in its own temporary folder, joined with `redis-cli --cluster create`.
 * Every process is stopped by its own pid, and the folders are removed.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, redisAnswers, requireRedisServerBinary } from './redis-test-server.js';

const run = promisify(execFile);

/**
 * Whether cluster suites should run: they need `redis-server` and `redis-cli`. Skipped
 * with a message when either is missing, a failure under CI.
 */
export function requireRedisClusterTools(suite: string): boolean {
  if (!requireRedisServerBinary(suite)) return false;
  const cli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore', timeout: 5000 });
  if (cli.status === 0) return true;
  if (process.env.CI) throw new Error(`${suite}: redis-cli is not installed, and CI requires it`);
  console.warn(`${suite}: SKIPPED - redis-cli is not installed`);
  return false;
}

/** A running test cluster. */
export interface TestCluster {
  /** The masters' ports, in the order they were created. */
  readonly ports: readonly number[];
  /** Kills master `index` (SIGKILL, by pid) and waits until it has exited. */
  kill(index: number): Promise<void>;
  /** Stops every server still running and removes the folders. */
  close(): Promise<void>;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`test cluster: ${what} within ${timeoutMs} ms`);
}

async function clusterOk(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = String(await client.call('CLUSTER', 'INFO'));
    return info.includes('cluster_state:ok');
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGKILL');
  await exited;
}

/**
 * Starts a three-master cluster (no replicas). `nodeTimeoutMs` is each node's
 * `cluster-node-timeout`: how long the others wait before they declare a dead master
 * failed (and, with full coverage required, the whole cluster down).
 */
export async function startTestCluster(nodeTimeoutMs = 15_000): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const close = async () => {
    await Promise.all(children.map(stopProcess));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          String(nodeTimeoutMs),
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      child.on('error', () => {});
      children.push(child);
      ports.push(port);
    }
    for (const port of ports) {
      await until(
        `node ${port} did not start`,
        () => redisAnswers(`redis://127.0.0.1:${port}`),
        10_000,
      );
    }
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 20_000 },
    );
    for (const port of ports) {
      await until(`node ${port} did not report cluster_state:ok`, () => clusterOk(port), 20_000);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    ports,
    async kill(index) {
      const child = children[index];
      if (child) await stopProcess(child);
    },
    close,
  };
}
