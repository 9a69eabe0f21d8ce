/** Small helpers shared by the benchmarks: pinned child servers and JSON result lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** True when `taskset` can pin processes (Linux with util-linux). */
export const canPin = await new Promise<boolean>((resolve) => {
  const child = spawn('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  child.on('error', () => resolve(false));
  child.on('exit', (code) => resolve(code === 0));
});

/** Runs a bench server script in its own process, pinned to `core`, and waits for its port. */
export async function startPinnedServer(
  script: string,
  args: string[],
  core: number,
): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
  const command = canPin ? 'taskset' : tsx;
  const argv = canPin ? ['-c', String(core), tsx, script, ...args] : [script, ...args];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return {
    port,
    child,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** Prints one result line that bench/run.mjs collects. */
export function report(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
