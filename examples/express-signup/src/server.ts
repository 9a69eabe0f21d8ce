/** The demo: `pnpm demo` at the repository root runs this. */
import { startDemo } from './demo.js';

const demo = await startDemo({
  port: process.env.PORT ? Number(process.env.PORT) : 3000,
  host: process.env.HOST ?? '127.0.0.1',
});
process.stdout.write(demo.banner);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
