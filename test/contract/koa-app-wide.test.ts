/**
 * Koa, mounted app-wide as `phoneGuard()`'s TSDoc example and the README show it: a GET
 * passes unchecked and carries no decision (`ctx.state.phoneGuard` is `undefined`, as its
 * type says), so the code after the guard must not assume one; a POST route reads it. On
 * Koa 3 and Koa 2, over real HTTP, against the sandbox.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { type PhoneGuardMiddleware, phoneGuard } from '@phone-guard/koa';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import Koa from 'koa';
import Koa2 from 'koa2';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe.each([
  { name: 'koa 3', Lib: Koa },
  { name: 'koa 2', Lib: Koa2 as unknown as typeof Koa },
])('$name, phoneGuard() mounted app-wide', ({ Lib }) => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });

  /** Listens on 127.0.0.1, port 0; closed after the test. */
  async function serve(app: Koa, guard: PhoneGuardMiddleware): Promise<string> {
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    opened.push(guard, {
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    });
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  const options = () => ({
    telesign: { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY, baseUrl: sandbox.url },
    logger: false as const,
  });

  it('the documented example: GET answers 200, a POST gets its decision', async () => {
    const guard = phoneGuard({ ...options(), policy: 'signup' });
    const app = new Lib();
    app.silent = true;
    // As in phoneGuard()'s TSDoc example, plus a health check.
    app
      .use(bodyParser())
      .use(guard)
      .use((ctx) => {
        if (ctx.path === '/health') {
          ctx.body = { ok: true };
          return;
        }
        const decision = ctx.state.phoneGuard; // undefined on a GET, which passed unchecked
        if (decision === undefined) return;
        ctx.body = { action: decision.action };
      });
    const url = await serve(app, guard);

    const health = await request(url).get('/health');
    expect([health.status, health.body]).toEqual([200, { ok: true }]);
    const post = await request(url).post('/reset').send({ phone: TEST_NUMBERS.active });
    expect([post.status, post.body]).toEqual([200, { action: 'allow' }]);
    const blocked = await request(url).post('/reset').send({ phone: TEST_NUMBERS.disconnected });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('SUBSCRIBER_DISCONNECTED');
  });

  it('routes after an app-wide guard: GET routes answer, a POST route reads the decision', async () => {
    const guard = phoneGuard(options());
    const router = new Router();
    router.get('/signup', (ctx) => {
      ctx.body = { form: true, decision: ctx.state.phoneGuard ?? null };
    });
    router.post('/signup', (ctx) => {
      const decision = ctx.state.phoneGuard;
      ctx.status = decision === undefined ? 500 : 201;
      ctx.body = { action: decision?.action, phone: decision?.phone?.e164 };
    });
    const app = new Lib();
    app.silent = true;
    app.use(bodyParser()).use(guard).use(router.routes());
    const url = await serve(app, guard);

    const form = await request(url).get('/signup').query({ phone: TEST_NUMBERS.disconnected });
    expect([form.status, form.body]).toEqual([200, { form: true, decision: null }]);
    const head = await request(url).head('/signup');
    expect(head.status).toBe(200);
    const post = await request(url).post('/signup').send({ phone: TEST_NUMBERS.active });
    expect([post.status, post.body]).toEqual([
      201,
      { action: 'allow', phone: TEST_NUMBERS.active },
    ]);
  });
});
