/**
 * Runs the key code blocks of the Express and Koa READMEs — the country picker, the
 * Vitest and Jest test recipes, the CommonJS app and the shutdown order — so the docs
 * cannot drift from the packages. A block is marked by `<!-- snippet: name -->` on the
 * line before its fence; it is compiled to CommonJS with TypeScript and run with a
 * `require` that hands it the workspace's own packages (from src/). The test recipes
 * register their tests here, so they run as they would in a user's project, against a
 * real sandbox over real HTTP. readme-types.test.ts type-checks the same blocks.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import * as koaBodyParser from '@koa/bodyparser';
import KoaRouter from '@koa/router';
import * as pgExpress from '@phone-guard/express';
import * as pgKoa from '@phone-guard/koa';
import * as sandboxPackage from '@phone-guard/sandbox';
import express from 'express';
import Koa from 'koa';
import supertest from 'supertest';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { snippets } from './readme-blocks.js';

/** Compiles a snippet to CommonJS and runs it; returns its exports. */
function run(
  code: string,
  modules: Record<string, unknown>,
  globals: Record<string, unknown> = {},
): Record<string, unknown> {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string): unknown => {
    if (!(name in modules))
      throw new Error(`the snippet requires ${name}, which the test does not provide`);
    return modules[name];
  };
  const names = Object.keys(globals);
  const body = new Function('require', 'module', 'exports', ...names, outputText);
  body(require, module, module.exports, ...names.map((n) => globals[n]));
  return module.exports;
}

/** Servers the supertest stand-in started, closed after each file's tests. */
const servers: Server[] = [];

/**
 * supertest as the recipes use it, except that the app listens on 127.0.0.1 (supertest
 * itself would listen on every interface).
 */
function localSupertest(app: RequestListener) {
  const server = createServer(app);
  server.listen(0, '127.0.0.1'); // an IP literal binds at once, so address() is known
  servers.push(server);
  return supertest(server);
}

afterAll(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

/** `createPhoneGuard` that talks to a sandbox of this test file (the env is not touched). */
function sandboxGuards(adapter: typeof pgExpress | typeof pgKoa) {
  let url = '';
  const created: pgExpress.PhoneGuard[] = [];
  beforeAll(async () => {
    const sandbox = await sandboxPackage.startSandbox();
    url = sandbox.url;
    return () => sandbox.close();
  });
  return {
    created,
    createPhoneGuard(options: pgExpress.PhoneGuardOptions = {}) {
      const guard = adapter.createPhoneGuard({
        telesign: {
          customerId: sandboxPackage.SANDBOX_CUSTOMER_ID,
          apiKey: sandboxPackage.SANDBOX_API_KEY,
          baseUrl: url,
        },
        logger: false,
        ...options,
      });
      created.push(guard);
      return guard;
    },
  };
}

const vitestApi = { afterAll, beforeAll, describe, expect, it, test };

const PACKAGES = [
  {
    name: '@phone-guard/express',
    readme: 'packages/express/README.md',
    adapter: pgExpress,
    modules: { express },
  },
  {
    name: '@phone-guard/koa',
    readme: 'packages/koa/README.md',
    adapter: pgKoa,
    modules: { koa: Koa, '@koa/bodyparser': koaBodyParser, '@koa/router': KoaRouter },
  },
] as const;

describe.each(PACKAGES)('$readme', ({ name, readme, adapter, modules }) => {
  const blocks = snippets(readme);
  const block = (key: string): string => {
    const code = blocks.get(key);
    if (code === undefined) throw new Error(`${readme} has no <!-- snippet: ${key} --> block`);
    return code;
  };
  const base = {
    ...modules,
    [name]: adapter,
    '@phone-guard/sandbox': sandboxPackage,
    supertest: localSupertest,
  };

  it('marks every snippet this test runs', () => {
    expect([...blocks.keys()].sort()).toEqual(
      ['commonjs', 'country-picker', 'shadow', 'shutdown', 'test-jest', 'test-vitest'].sort(),
    );
  });

  // The app modules the recipes import: the TypeScript country picker and the CommonJS app.
  const app = run(block('country-picker'), base);
  const cjsApp = run(block('commonjs'), base);

  describe('test recipe (Vitest), on the country-picker app', () => {
    run(block('test-vitest'), { ...base, './app.js': app, vitest: vitestApi });
  });

  describe('test recipe (Jest globals), on the CommonJS app', () => {
    run(block('test-jest'), { ...base, './app': cjsApp }, vitestApi);
  });

  describe('shadow rollout', () => {
    const sandbox = sandboxGuards(adapter);
    afterAll(() => Promise.all(sandbox.created.map((g) => g.close())));

    it('lets a disconnected number through, counts it, and still answers 422', async () => {
      const exported = run(block('shadow'), {
        ...base,
        [name]: { ...adapter, createPhoneGuard: sandbox.createPhoneGuard },
      });
      const app = exported.app as express.Express | Koa;
      const agent = localSupertest(app instanceof Koa ? app.callback() : app);
      const { disconnected } = sandboxPackage.TEST_NUMBERS;
      const passed = await agent.post('/signup').send({ phone: disconnected });
      expect([passed.status, passed.body]).toEqual([201, { action: 'block' }]);
      const invalid = await agent.post('/signup').send({ phone: 'call me maybe' });
      expect(invalid.status).toBe(422);
      const stats = await agent.get('/internal/phone-guard');
      expect(stats.body).toEqual({ SUBSCRIBER_DISCONNECTED: 1, PHONE_INVALID: 1 });
    });
  });

  describe('shutdown', () => {
    const sandbox = sandboxGuards(adapter);

    it('closes the server first, then the guard', async () => {
      const handlers = new Map<string, () => void>();
      const fakeProcess = { once: (signal: string, fn: () => void) => handlers.set(signal, fn) };
      let server: Server | undefined;
      let serverOpenWhenGuardClosed: boolean | undefined;
      let guardClosed!: () => void;
      const closed = new Promise<void>((resolve) => {
        guardClosed = resolve;
      });
      const createApp = app.createApp as (guard: pgExpress.PhoneGuard) => {
        listen(port: number, host: string): Server;
      };
      const snippetModules = {
        ...base,
        [name]: {
          ...adapter,
          createPhoneGuard: () => {
            const guard = sandbox.createPhoneGuard();
            const close = guard.close.bind(guard);
            return Object.assign(guard, {
              close: async () => {
                serverOpenWhenGuardClosed = server?.listening;
                await close();
                guardClosed();
              },
            });
          },
        },
        './app.js': {
          // The snippet listens on port 3000; here the same app listens on a free port.
          createApp: (guard: pgExpress.PhoneGuard) => {
            const built = createApp(guard);
            return {
              listen: () => {
                server = built.listen(0, '127.0.0.1');
                return server;
              },
            };
          },
        },
      };
      run(block('shutdown'), snippetModules, { process: fakeProcess });
      expect(server).toBeDefined();
      await new Promise<void>((resolve) => server?.once('listening', resolve));
      expect([...handlers.keys()]).toEqual(['SIGTERM']);
      handlers.get('SIGTERM')?.();
      await closed;
      expect(serverOpenWhenGuardClosed).toBe(false);
    });
  });
});
