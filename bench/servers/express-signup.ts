/**
 * The signup routes used by bench/middleware.ts, in one Express 5 app. Every route is
 * express.json() + a handler answering 201; they differ only in what runs in between:
 *
 * - `POST /plain`: nothing (the baseline);
 * - `POST /guarded`: phoneGuard({ policy: 'signup' });
 * - `POST /passthrough`: a middleware that only calls next() (what one more Express
 *   layer costs);
 * - `POST /annotate-only`: a middleware that only sets a property on req and calls
 *   next() (what one more layer plus one more request property cost; the guard does
 *   both).
 *
 * One process serves all of them, so every side shares the process, the heap and the
 * JIT state. Prints `{"port":…}` once listening.
 *
 *   tsx bench/servers/express-signup.ts
 */
import { phoneGuard } from '@phone-guard/express';
import { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID, startSandbox } from '@phone-guard/sandbox';
import express, { type RequestHandler } from 'express';

const sandbox = await startSandbox();
const app = express();
app.disable('x-powered-by');

const handler: RequestHandler = (req, res) => {
  const body = req.body as { phone?: string; email?: string };
  res.status(201).json({ ok: true, email: body.email ?? null });
};
const guard = phoneGuard({
  policy: 'signup',
  telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
});
const passthrough: RequestHandler = (_req, _res, next) => next();
const annotation = Object.freeze({ action: 'allow' });
const annotateOnly: RequestHandler = (req, _res, next) => {
  (req as unknown as { annotation: unknown }).annotation = annotation;
  next();
};

app.post('/plain', express.json(), handler);
app.post('/guarded', express.json(), guard, handler);
app.post('/passthrough', express.json(), passthrough, handler);
app.post('/annotate-only', express.json(), annotateOnly, handler);

// Server CPU time so far (µs), read by the bench before and after each round.
app.get('/__cpu', (_req, res) => {
  const { user, system } = process.cpuUsage();
  res.json({ cpuUs: user + system });
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    void guard
      .close()
      .then(() => sandbox.close())
      .then(() => process.exit(0));
  });
}
