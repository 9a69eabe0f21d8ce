/**
 * The demo: `pnpm demo` at the repository root runs this. It exits with code 1 and one
 * line on stderr when it cannot start (refused credentials, Telesign unreachable, bad PORT).
 */
import { startDemo } from './demo.js';
import { startupFailureLine } from './startup-error.js';

try {
  const demo = await startDemo();
  process.stdout.write(demo.banner);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void demo.close().then(() => process.exit(0));
    });
  }
} catch (error) {
  process.stderr.write(`${startupFailureLine(error, process.env)}\n`);
  process.exitCode = 1;
}
