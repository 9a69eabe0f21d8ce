/**
 * Helpers for Redis-backed tests: find out whether the shared Redis at 127.0.0.1:6379
 * answers, give each test its own key prefix and clean it up, and run a private
 * `redis-server` that a test may stop and restart (only that one, by its pid).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Re-exported for suites outside this package, which cannot resolve ioredis themselves. */
export { Redis };

/** The shared Redis the tests use (never flushed: tests only touch their own prefix). */
export const SHARED_REDIS_URL = process.env.PHONE_GUARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a Redis at `url` answers PING within a second. */
export async function redisAnswers(url: string = SHARED_REDIS_URL): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Whether the Redis-backed suites should run. Without Redis they are skipped with a
 * message, except under CI (`CI` set), where a missing Redis is a failure.
 */
export async function requireSharedRedis(suite: string): Promise<boolean> {
  if (await redisAnswers()) return true;
  if (process.env.CI) {
    throw new Error(
      `${suite}: Redis is not reachable at ${SHARED_REDIS_URL}, and CI requires it (start redis-server)`,
    );
  }
  console.warn(
    `${suite}: SKIPPED - no Redis at ${SHARED_REDIS_URL} (start redis-server to run these tests)`,
  );
  return false;
}

/** True when a `redis-server` binary is on the PATH. */
export function redisServerInstalled(): boolean {
  const result = spawnSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5000 });
  return result.status === 0;
}

/**
 * Whether suites that run their own `redis-server` should run: skipped with a message
 * when the binary is missing, a failure under CI.
 */
export function requireRedisServerBinary(suite: string): boolean {
  if (redisServerInstalled()) return true;
  if (process.env.CI) {
    throw new Error(`${suite}: redis-server is not installed, and CI requires it`);
  }
  console.warn(`${suite}: SKIPPED - redis-server is not installed`);
  return false;
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `pgtest:${randomUUID()}:`;
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysWithPrefix(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  const keys = await keysWithPrefix(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}

/** A free TCP port on loopback (free when asked; good enough for a test server). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A private redis-server that a test may stop and start again on the same port. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** The running server's pid, or undefined while stopped. */
  readonly pid: number | undefined;
  /** Starts the server (again) and waits until it answers PING. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL, by pid) and waits until it has exited. */
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Undoes {@link PrivateRedis.pause}. */
  resume(): void;
}

/** Starts a private `redis-server --port P --save '' --appendonly no` on a free port. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    if (running.pid !== undefined) {
      try {
        process.kill(running.pid, 'SIGCONT');
      } catch {}
      process.kill(running.pid, 'SIGKILL');
    }
    await exited;
  }

  async function start(): Promise<void> {
    if (child) return;
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = spawned;
    spawned.on('error', () => {});
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (spawned.exitCode !== null) throw new Error(`redis-server on port ${port} exited`);
      if (await redisAnswers(url)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stop();
    throw new Error(`redis-server on port ${port} did not start within 10 s`);
  }

  await start();
  return {
    port,
    url,
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    pause() {
      if (child?.pid !== undefined) process.kill(child.pid, 'SIGSTOP');
    },
    resume() {
      if (child?.pid !== undefined) process.kill(child.pid, 'SIGCONT');
    },
  };
}
