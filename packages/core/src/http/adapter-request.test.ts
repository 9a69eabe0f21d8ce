import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CheckOptions } from '../guard/check-options.js';
import type { PhoneGuard } from '../guard/create-guard.js';
import type { Decision } from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import type { Logger } from '../model/types.js';
import { createHttpAdapter } from './adapter.js';
import type { ClientDisconnectWatch, RequestView } from './request-view.js';
import { HTTP_WARNINGS, MAX_OWNED_GUARDS } from './warnings.js';

const INFO = { name: '@phone-guard/test', bodyParserHint: 'use a body parser' };
const E164 = '+14155550104';

const ALLOW: Decision = {
  action: 'allow',
  reasons: [],
  phone: { e164: E164, digits: E164.slice(1), country: 'US' },
  status: null,
  source: 'cache',
  failedOpen: false,
  error: null,
  useCase: 'BACS',
};

interface Call {
  input: unknown;
  options: CheckOptions | undefined;
  sync: boolean;
}

/** A guard that records its calls; `cached: true` answers from checkCached as well. */
function recordingGuard(cached = false) {
  const calls: Call[] = [];
  const guard = {
    async check(input: unknown, options?: CheckOptions) {
      calls.push({ input, options, sync: false });
      return ALLOW;
    },
    ...(cached
      ? {
          checkCached(input: unknown, options?: CheckOptions) {
            calls.push({ input, options, sync: true });
            return ALLOW;
          },
        }
      : {}),
    stats: () => ({}),
    async close() {},
  } as unknown as PhoneGuard;
  return { guard, calls };
}

/** A runtime-neutral view, as a fetch-standard adapter would build one. */
function neutral(
  method: string,
  body: unknown,
  query: unknown = {},
  extra: Partial<RequestView> = {},
): RequestView {
  const watch: ClientDisconnectWatch = { signal: new AbortController().signal, release() {} };
  return {
    method,
    contentType: 'application/json',
    hasBody: body !== undefined,
    body: () => body,
    query: () => query,
    watchDisconnect: () => watch,
    ...extra,
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => warnings.push(m), error: () => {} };
}

function optionError(options: unknown): PhoneGuardOptionError {
  try {
    createHttpAdapter(options as never, INFO);
  } catch (error) {
    if (error instanceof PhoneGuardOptionError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('methods', () => {
  it('passes GET, HEAD, OPTIONS and TRACE unchecked by default, synchronously', () => {
    const { guard, calls } = recordingGuard(true);
    const adapter = createHttpAdapter({ guard, logger: false }, INFO);
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE']) {
      expect(adapter.run({}, neutral(method, undefined, { phone: E164 }))).toEqual({
        kind: 'skip',
      });
    }
    expect(calls).toEqual([]);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      adapter.run({}, neutral(method, { phone: E164 }));
    }
    expect(calls.map((c) => c.input)).toEqual([E164, E164, E164, E164]);
  });

  it('checks exactly the methods given, whatever their case', async () => {
    const { guard, calls } = recordingGuard();
    const adapter = createHttpAdapter({ guard, methods: ['get', 'Post'], query: true }, INFO);
    await adapter.run({}, neutral('GET', undefined, { phone: E164 }));
    await adapter.run({}, neutral('POST', { phone: E164 }));
    expect(adapter.run({}, neutral('PUT', { phone: E164 }))).toEqual({ kind: 'skip' });
    expect(calls).toHaveLength(2);
  });

  it('warns once when an unchecked request carried the number in its query', () => {
    const logger = recordingLogger();
    const adapter = createHttpAdapter({ guard: recordingGuard().guard, logger }, INFO);
    adapter.run({}, neutral('GET', undefined, {}));
    expect(logger.warnings).toEqual([]);
    adapter.run({}, neutral('GET', undefined, { phone: E164 }));
    adapter.run({}, neutral('GET', undefined, { phone: E164 }));
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/PG_METHOD_NOT_CHECKED: .*methods: \['GET'/);
    expect(logger.warnings[0]).not.toContain('4155550104');
  });

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['a string', 'POST'],
    ['a non-method', ['POST', 'PO ST']],
    ['a number', [1]],
  ])('refuses %s', (_name, methods) => {
    expect(optionError({ guard: recordingGuard().guard, methods }).option).toMatch(/^methods/);
  });
});

describe('country per request', () => {
  it('passes countryField from the body as defaultCountry, on the synchronous path', () => {
    const { guard, calls } = recordingGuard(true);
    const adapter = createHttpAdapter({ guard, countryField: 'address.country' }, INFO);
    const result = adapter.run(
      {},
      neutral('POST', { phone: '07400 123456', address: { country: 'gb' } }),
    );
    expect(result).not.toBeInstanceOf(Promise);
    adapter.run({}, neutral('POST', { phone: E164 }));
    expect(calls.map((c) => [c.sync, c.options?.defaultCountry])).toEqual([
      [true, 'gb'],
      [true, undefined],
    ]);
    expect(calls[1]?.options).not.toHaveProperty('defaultCountry');
  });

  it('hands whatever the request says to the guard, which treats it as data', async () => {
    const { guard, calls } = recordingGuard();
    const adapter = createHttpAdapter({ guard, countryField: 'country' }, INFO);
    const hostile = ['XX', 'T1', '', '__proto__', 'x'.repeat(10_000), ['GB'], { a: 1 }, null];
    for (const country of hostile) await adapter.run({}, neutral('POST', { phone: E164, country }));
    expect(calls.map((c) => c.options?.defaultCountry)).toEqual(hostile);
  });

  it('reads countryField from the query string only with query: true', async () => {
    const { guard, calls } = recordingGuard();
    await createHttpAdapter({ guard, countryField: 'country' }, INFO).run(
      {},
      neutral('POST', { phone: E164 }, { country: 'GB' }),
    );
    await createHttpAdapter({ guard, countryField: 'country', query: true }, INFO).run(
      {},
      neutral('POST', { phone: E164 }, { country: 'GB' }),
    );
    expect(calls.map((c) => c.options?.defaultCountry)).toEqual([undefined, 'GB']);
  });

  it('uses getCountry (async), and runs without a country when it fails', async () => {
    const { guard, calls } = recordingGuard(true);
    const logger = recordingLogger();
    let answer: () => unknown = () => Promise.resolve('DE');
    const adapter = createHttpAdapter<{ id: number }>(
      { guard, logger, getCountry: () => answer() },
      INFO,
    );
    await adapter.run({ id: 1 }, neutral('POST', { phone: E164 }));
    answer = () => {
      throw Object.assign(new TypeError(`no profile for ${E164}`), { code: 'E_PROFILE' });
    };
    await adapter.run({ id: 2 }, neutral('POST', { phone: E164 }));
    answer = () => Promise.reject(new Error('db down'));
    const last = await adapter.run({ id: 3 }, neutral('POST', { phone: E164 }));
    expect(last).toMatchObject({ kind: 'next' });
    expect(calls.map((c) => [c.sync, c.options?.defaultCountry])).toEqual([
      [false, 'DE'],
      [false, undefined],
      [false, undefined],
    ]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('PG_GET_COUNTRY_FAILED');
    expect(logger.warnings[0]).toContain('TypeError (E_PROFILE)');
    expect(logger.warnings[0]).not.toContain('4155550104');
  });

  it('refuses countryField with getCountry, and an unsafe countryField', () => {
    const { guard } = recordingGuard();
    expect(optionError({ guard, countryField: 'c', getCountry: () => 'GB' }).option).toBe(
      'countryField',
    );
    expect(optionError({ guard, countryField: '__proto__' }).option).toBe('countryField');
  });
});

describe('getLastVerifiedAt', () => {
  it('passes a Date, a string or a number as lastVerifiedAt', async () => {
    const { guard, calls } = recordingGuard(true);
    const values: unknown[] = [new Date(0), '2024-01-02', 1_700_000_000_000, null, undefined];
    let next = 0;
    const adapter = createHttpAdapter(
      { guard, getLastVerifiedAt: async () => values[next++] as never },
      INFO,
    );
    for (const _ of values) await adapter.run({}, neutral('POST', { phone: E164 }));
    expect(calls.map((c) => c.options?.lastVerifiedAt)).toEqual([
      new Date(0),
      '2024-01-02',
      1_700_000_000_000,
      undefined,
      undefined,
    ]);
    expect(calls.every((c) => !c.sync)).toBe(true);
  });

  it('runs without it when it throws or returns another type, warning once', async () => {
    const { guard, calls } = recordingGuard();
    const logger = recordingLogger();
    const answers: (() => unknown)[] = [
      () => ({ at: 1 }),
      () => {
        throw new Error('x');
      },
    ];
    let next = 0;
    const adapter = createHttpAdapter(
      { guard, logger, getLastVerifiedAt: () => answers[next++]?.() as never },
      INFO,
    );
    for (const _ of answers) {
      expect(await adapter.run({}, neutral('POST', { phone: E164 }))).toMatchObject({
        kind: 'next',
      });
    }
    expect(calls.map((c) => c.options?.lastVerifiedAt)).toEqual([undefined, undefined]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('PG_GET_LAST_VERIFIED_AT_FAILED');
  });
});

describe('warnings', () => {
  it('warns once when the middleware is created while a request is handled', async () => {
    const logger = recordingLogger();
    const { guard } = recordingGuard();
    createHttpAdapter({ guard, logger }, INFO); // at startup: fine
    expect(logger.warnings).toEqual([]);
    const server = createServer((_req, res) => {
      createHttpAdapter({ guard, logger }, INFO);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          httpRequest({ host: '127.0.0.1', port, method: 'POST' }, (res) => {
            res.resume().on('end', resolve);
          })
            .on('error', reject)
            .end();
        });
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(
      /^@phone-guard\/test PG_CREATED_IN_REQUEST: .*once, at startup/,
    );
  });

  it(`warns once when ${MAX_OWNED_GUARDS} middlewares with their own guard are open`, async () => {
    const logger = recordingLogger();
    const provider = { getLiveStatus: () => Promise.reject(new Error('unused')) };
    const open = [];
    for (let i = 0; i < MAX_OWNED_GUARDS + 2; i++) {
      open.push(createHttpAdapter({ provider, logger }, INFO));
    }
    try {
      expect(logger.warnings.filter((w) => w.includes('PG_TOO_MANY_GUARDS'))).toHaveLength(1);
    } finally {
      await Promise.all(open.map((a) => a.close()));
    }
    // Closed ones no longer count.
    const again = recordingLogger();
    const one = createHttpAdapter({ provider, logger: again }, INFO);
    await one.close();
    expect(again.warnings).toEqual([]);
  });

  it('warns about a body that is a string, not an object', async () => {
    const logger = recordingLogger();
    const adapter = createHttpAdapter({ guard: recordingGuard().guard, logger }, INFO);
    await adapter.run({}, neutral('POST', `{"phone":"${E164}"}`));
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('PG_BODY_NOT_OBJECT');
    expect(logger.warnings[0]).not.toContain('4155550104');
  });

  it('documents every code it can log', () => {
    for (const code of Object.keys(HTTP_WARNINGS)) expect(code).toMatch(/^PG_[A-Z_]+$/);
  });
});

describe('option messages', () => {
  it('says what a bad mode was, e.g. a function', () => {
    const error = optionError({ guard: recordingGuard().guard, mode: () => 'block' });
    expect(error.message).toContain('got a function');
  });

  it('refuses query: true with getPhone alone', () => {
    const { guard } = recordingGuard();
    expect(optionError({ guard, query: true, getPhone: () => E164 }).option).toBe('query');
    expect(() =>
      createHttpAdapter({ guard, query: true, getPhone: () => E164, countryField: 'c' }, INFO),
    ).not.toThrow();
  });

  it('refuses a non-boolean query and a non-function getCountry', () => {
    const { guard } = recordingGuard();
    expect(optionError({ guard, query: 'yes' }).option).toBe('query');
    expect(optionError({ guard, getCountry: 'GB' }).option).toBe('getCountry');
    expect(optionError({ guard, getLastVerifiedAt: 1 }).option).toBe('getLastVerifiedAt');
  });
});

describe('route and mode labels', () => {
  const post = (route?: unknown) =>
    neutral('POST', { phone: E164 }, {}, route === undefined ? {} : { route: route as string });

  it('passes the mode and the matched route, one options object per route', async () => {
    const { guard, calls } = recordingGuard(true);
    const adapter = createHttpAdapter({ guard, mode: 'shadow' }, INFO);
    adapter.run({}, post('/signup'));
    adapter.run({}, post('/signup'));
    adapter.run({}, post('/reset'));
    adapter.run({}, post());
    expect(calls.map((c) => c.options)).toEqual([
      { mode: 'shadow', route: '/signup' },
      { mode: 'shadow', route: '/signup' },
      { mode: 'shadow', route: '/reset' },
      { mode: 'shadow' },
    ]);
    // Built once per route: a cache hit allocates no options.
    expect(calls[0]?.options).toBe(calls[1]?.options);
    expect(Object.isFrozen(calls[0]?.options)).toBe(true);
  });

  it('prefers the route option; ignores a matched route that is not a string; cuts long ones', async () => {
    const { guard, calls } = recordingGuard(false);
    const labelled = createHttpAdapter({ guard, route: '/signup' }, INFO);
    await labelled.run({}, post('/users/:id'));
    const matched = createHttpAdapter({ guard }, INFO);
    await matched.run({}, post(/\/signup/));
    await matched.run({}, post(`/${'x'.repeat(200)}`));
    expect(calls.map((c) => c.options?.route?.length ?? c.options?.route)).toEqual([
      '/signup'.length,
      undefined,
      128,
    ]);
    expect(calls[0]?.options).toMatchObject({ route: '/signup', mode: 'block' });
  });

  it('keeps working past the number of routes it remembers', () => {
    const { guard, calls } = recordingGuard(true);
    const adapter = createHttpAdapter({ guard }, INFO);
    for (let i = 0; i < 1_000; i++) adapter.run({}, post(`/r${i}`));
    expect(calls.at(-1)?.options).toEqual({ mode: 'block', route: '/r999' });
  });

  it('refuses enforce outside shadow mode, with a message that says why', () => {
    expect(optionError({ guard: recordingGuard().guard, enforce: 0.5 }).message).toMatch(
      /enforce.*mode 'shadow' only/,
    );
  });
});
