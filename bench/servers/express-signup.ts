/**
 * The signup route used by bench/middleware.ts: Express 5, JSON body parser, a handler
 * that answers 201 — with or without phone-guard in front. Run in its own process, pinned
 * to its own core; prints `{"port":…}` once listening.
 *
 *   tsx bench/servers/express-signup.ts plain|guarded
 */
import { phoneGuard } from '@phone-guard/express';
import { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID, startSandbox } from '@phone-guard/sandbox';
import express, { type RequestHandler } from 'express';

const mode = process.argv[2] === 'guarded' ? 'guarded' : 'plain';
const sandbox = await startSandbox();
const app = express();
app.disable('x-powered-by');

const handler: RequestHandler = (req, res) => {
  const body = req.body as { phone?: string; email?: string };
  res.status(201).json({ ok: true, email: body.email ?? null });
};

if (mode === 'guarded') {
  app.post(
    '/signup',
    express.json(),
    phoneGuard({
      policy: 'signup',
      telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    }),
    handler,
  );
} else {
  app.post('/signup', express.json(), handler);
}

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    void sandbox.close().then(() => process.exit(0));
  });
}
