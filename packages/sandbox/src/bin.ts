#!/usr/bin/env node
/** `phone-guard-sandbox`: runs the sandbox from a shell until SIGINT / SIGTERM. */
import { parseArgs } from 'node:util';
import { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID } from './credentials.js';
import { startSandbox } from './start-sandbox.js';

const HELP = `Usage: phone-guard-sandbox [--port N] [--host H] [--latency MS]

A local Telesign Phone ID Live look-alike (GET /v1/phoneid/live/{number}?ucid=CODE).

  --port N       port to listen on (default 0: a free port)
  --host H       interface to listen on (default 127.0.0.1)
  --latency MS   milliseconds added before every answer (default 0)
  --help         show this help
`;

function numberArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      latency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const sandbox = await startSandbox({
    port: numberArg('port', values.port),
    host: values.host,
    latencyMs: numberArg('latency', values.latency),
  });
  process.stdout.write(
    `phone-guard sandbox listening on ${sandbox.url}\n` +
      `  TELESIGN_BASE_URL=${sandbox.url}\n` +
      `  TELESIGN_CUSTOMER_ID=${SANDBOX_CUSTOMER_ID}\n` +
      `  TELESIGN_API_KEY=${SANDBOX_API_KEY}   (public test key, not a secret)\n` +
      'Press Ctrl+C to stop.\n',
  );
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`${signal}: stopping\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `phone-guard-sandbox: ${err instanceof Error ? err.message : String(err)}\n${HELP}`,
  );
  process.exit(2);
});
