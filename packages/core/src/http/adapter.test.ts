import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type { CheckOptions } from '../guard/check-options.js';
import type { PhoneGuard } from '../guard/create-guard.js';
import type { Decision, DecisionReason } from '../model/decision.js';
import { isPhoneGuardError, PhoneGuardOptionError } from '../model/errors.js';
import type { Logger } from '../model/types.js';
import { createHttpAdapter } from './adapter.js';
import { parsePhoneField, readPhoneField } from './fields.js';
import { type HttpRequestView, watchClientDisconnect } from './node.js';
import { decisionToProblem } from './problem.js';

const INFO = { name: '@phone-guard/test', bodyParserHint: 'use a body parser' };
const E164 = '+14155550104';

function decision(
  action: Decision['action'],
  reasons: DecisionReason[],
  extra: Partial<Decision> = {},
): Decision {
  return {
    action,
    reasons,
    phone: { e164: E164, digits: E164.slice(1), country: 'US' },
    status: null,
    source: 'upstream',
    failedOpen: false,
    error: null,
    useCase: 'BACS',
    ...extra,
  };
}

const INVALID = decision('block', ['PHONE_INVALID'], {
  phone: null,
  error: { code: 'PHONE_MISSING', message: 'A phone number is required.' },
});

interface FakeGuard {
  guard: PhoneGuard;
  calls: { input: unknown; options: CheckOptions | undefined }[];
  closed: () => number;
}

function fakeGuard(
  answer: (
    input: unknown,
    options: CheckOptions | undefined,
  ) => Promise<Decision> | Decision = () => decision('allow', []),
): FakeGuard {
  const calls: FakeGuard['calls'] = [];
  let closed = 0;
  const guard = {
    async check(input: unknown, options?: CheckOptions) {
      calls.push({ input, options });
      return answer(input, options);
    },
    stats: () => ({}),
    async close() {
      closed += 1;
    },
  } as unknown as PhoneGuard;
  return { guard, calls, closed: () => closed };
}

function fakeHttp(headers: Record<string, string> = {}) {
  const res = Object.assign(new EventEmitter(), { writableEnded: false });
  const req = Object.assign(new EventEmitter(), {
    headers,
    method: 'POST',
    socket: { destroyed: false },
  });
  return {
    req: req as unknown as IncomingMessage,
    res: res as unknown as ServerResponse,
    rawRes: res,
  };
}

function view(body: unknown, query: unknown = {}, headers?: Record<string, string>) {
  const http = fakeHttp(headers);
  const v: HttpRequestView = { body: () => body, query: () => query, req: http.req, res: http.res };
  return { view: v, ...http };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => warnings.push(m), error: () => {} };
}

describe('parsePhoneField', () => {
  it('splits dotted paths', () => {
    expect(parsePhoneField('phone')).toEqual(['phone']);
    expect(parsePhoneField('user.contact.phone')).toEqual(['user', 'contact', 'phone']);
  });

  it.each<[unknown, string]>([
    ['', 'empty'],
    ['a..b', 'empty part'],
    ['.phone', 'leading dot'],
    ['__proto__', 'prototype'],
    ['user.constructor', 'constructor'],
    ['prototype.phone', 'prototype'],
    ['x'.repeat(257), 'too long'],
    [42, 'not a string'],
  ])('refuses %j (%s)', (field) => {
    expect(() => parsePhoneField(field)).toThrow(PhoneGuardOptionError);
  });
});

describe('readPhoneField', () => {
  it('follows own properties only', () => {
    expect(readPhoneField({ phone: '+1' }, ['phone'])).toBe('+1');
    expect(readPhoneField({ user: { phone: '+1' } }, ['user', 'phone'])).toBe('+1');
    expect(readPhoneField(Object.create({ phone: '+1' }), ['phone'])).toBeUndefined();
    expect(readPhoneField({}, ['toString'])).toBeUndefined();
    expect(readPhoneField({ user: 'text' }, ['user', 'length'])).toBeUndefined();
    expect(readPhoneField(JSON.parse('{"__proto__":{"phone":"+1"}}'), ['phone'])).toBeUndefined();
  });

  it('reads null-prototype objects (query strings) and arrays', () => {
    const query = Object.assign(Object.create(null) as object, { phone: '+1' });
    expect(readPhoneField(query, ['phone'])).toBe('+1');
    expect(readPhoneField({ list: ['+1'] }, ['list', '0'])).toBe('+1');
  });

  it('falls back to a flat key spelled like the whole path', () => {
    expect(readPhoneField({ 'user.phone': '+1' }, ['user', 'phone'])).toBe('+1');
    expect(readPhoneField({ user: { phone: '+2' }, 'user.phone': '+1' }, ['user', 'phone'])).toBe(
      '+2',
    );
  });

  it('returns undefined for anything that is not an object', () => {
    for (const source of [undefined, null, 'phone', 42, true]) {
      expect(readPhoneField(source, ['phone'])).toBeUndefined();
    }
  });
});

describe('decisionToProblem', () => {
  it('answers 422 for an invalid number, with the normalize code', () => {
    const r = decisionToProblem(INVALID);
    expect(r.status).toBe(422);
    expect(r.headers).toEqual({
      'content-type': 'application/problem+json; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(r.problem).toEqual({
      type: 'urn:phone-guard:problem:invalid-phone',
      title: 'Invalid phone number',
      status: 422,
      detail: 'A phone number is required.',
      code: 'PHONE_INVALID',
      reasons: ['PHONE_INVALID'],
      errorCode: 'PHONE_MISSING',
    });
    expect(JSON.parse(r.body)).toEqual(r.problem);
  });

  it.each<[DecisionReason, string]>([
    ['SUBSCRIBER_DISCONNECTED', 'no longer in service'],
    ['DEVICE_UNREACHABLE', 'cannot be reached'],
    ['ROAMING', 'roaming'],
    ['RISKY_PHONE_TYPE', 'type of phone number'],
    ['STATUS_UNKNOWN', 'could not be confirmed'],
  ])('answers 403 for %s', (reason, words) => {
    const r = decisionToProblem(decision('block', [reason]));
    expect(r.status).toBe(403);
    expect(r.problem).toMatchObject({
      type: 'urn:phone-guard:problem:phone-blocked',
      title: 'Phone number not accepted',
      status: 403,
      code: reason,
      reasons: [reason],
    });
    expect(r.problem.detail).toContain(words);
  });

  it('answers 503 when the look-up failed (fail closed)', () => {
    const r = decisionToProblem(
      decision('block', ['LOOKUP_TIMEOUT', 'LOOKUP_FAILED'], {
        error: { code: 'TELESIGN_TIMEOUT', message: `timed out for ${E164}` },
      }),
    );
    expect(r.status).toBe(503);
    expect(r.problem).toEqual({
      type: 'urn:phone-guard:problem:lookup-unavailable',
      title: 'Phone number check unavailable',
      status: 503,
      detail: 'The phone number could not be checked right now. Please try again later.',
      code: 'LOOKUP_TIMEOUT',
      reasons: ['LOOKUP_TIMEOUT', 'LOOKUP_FAILED'],
    });
  });

  it('answers 503, not 403, when the policy failed and the guard fails closed', () => {
    // A POLICY_ERROR block carries no reason: it used to be a 403 "status could not be
    // confirmed" with code STATUS_UNKNOWN, which blamed the number for a server fault.
    for (const code of ['POLICY_ERROR', 'POLICY_INVALID', 'INTERNAL_ERROR']) {
      const r = decisionToProblem(
        decision('block', [], { error: { code, message: 'The policy function threw.' } }),
      );
      expect(r.status).toBe(503);
      expect(r.problem).toMatchObject({
        type: 'urn:phone-guard:problem:lookup-unavailable',
        code: 'LOOKUP_FAILED',
        reasons: [],
      });
      expect(r.body).not.toContain('policy function');
    }
  });

  it('never puts the phone number in the body', () => {
    for (const reasons of [['SUBSCRIBER_DISCONNECTED'], ['LOOKUP_FAILED']] as DecisionReason[][]) {
      const r = decisionToProblem(
        decision('block', reasons, { error: { code: 'X', message: `about ${E164}` } }),
      );
      expect(r.body).not.toContain('4155550104');
    }
  });
});

describe('createHttpAdapter options', () => {
  const { guard } = fakeGuard();

  it.each<[string, unknown]>([
    ['an unknown key next to a shared guard', { guard, feild: 'phone' }],
    ['a guard option next to a shared guard', { guard, timeoutMs: 1000 }],
    ['an invalid per-route policy next to a shared guard', { guard, policy: 'login' }],
    ['an impossible per-route rule next to a shared guard', { guard, policy: { roaming: 'x' } }],
    ['an invalid policy for its own guard', { policy: { roam: 'flag' } }],
    ['field together with getPhone', { guard, field: 'phone', getPhone: () => '' }],
    ['an unsafe field', { guard, field: '__proto__.phone' }],
    ['a bad mode', { guard, mode: 'deny' }],
    ['a bad useCase', { guard, useCase: 'SIGNUP' }],
    ['a bad failMode', { guard, failMode: 'sometimes' }],
    ['a skip that is not a function', { guard, skip: true }],
    ['a getPhone that is not a function', { guard, getPhone: 'phone' }],
    ['an onBlocked that is not a function', { guard, onBlocked: {} }],
    ['a guard that is not one', { guard: { check: 1 } }],
    ['a logger without warn()', { guard, logger: {} }],
    ['options that are not an object', 'phone'],
  ])('throws PhoneGuardOptionError for %s', (_name, options) => {
    let thrown: unknown;
    try {
      createHttpAdapter(options as never, INFO);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PhoneGuardOptionError);
    expect(isPhoneGuardError(thrown)).toBe(true);
  });

  it('treats undefined as the default, also next to a shared guard', () => {
    expect(() =>
      createHttpAdapter({ guard, policy: undefined, field: undefined, mode: undefined }, INFO),
    ).not.toThrow();
  });

  it('never mutates the caller options', () => {
    const options = Object.freeze({ guard, field: 'user.phone', mode: 'annotate' as const });
    expect(() => createHttpAdapter(options, INFO)).not.toThrow();
  });

  it('warns once at construction when onBlocked can never run', () => {
    const logger = recordingLogger();
    createHttpAdapter({ guard, mode: 'annotate', onBlocked: () => {}, logger }, INFO);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain("mode 'annotate'");
  });
});

describe('createHttpAdapter run', () => {
  it('reads the body first, then the query string with query: true', async () => {
    const fake = fakeGuard();
    const adapter = createHttpAdapter({ guard: fake.guard, query: true }, INFO);
    await adapter.run({}, view({ phone: 'body' }, { phone: 'query' }).view);
    await adapter.run({}, view({}, { phone: 'query' }).view);
    await adapter.run({}, view(undefined, { phone: 'query' }).view);
    expect(fake.calls.map((c) => c.input)).toEqual(['body', 'query', 'query']);
  });

  it('does not read the query string by default, and says so once', async () => {
    const fake = fakeGuard();
    const logger = recordingLogger();
    const adapter = createHttpAdapter({ guard: fake.guard, logger }, INFO);
    await adapter.run({}, view({ phone: 'body' }, { phone: 'query' }).view);
    await adapter.run({}, view({}, { phone: E164 }).view);
    await adapter.run({}, view({}, { phone: E164 }).view);
    expect(fake.calls.map((c) => c.input)).toEqual(['body', undefined, undefined]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('PG_QUERY_IGNORED');
    expect(logger.warnings[0]).toContain('query: true');
    expect(logger.warnings[0]).not.toContain('4155550104');
  });

  it('passes useCase, per-route failMode and an AbortSignal to check()', async () => {
    const fake = fakeGuard();
    const adapter = createHttpAdapter(
      { guard: fake.guard, useCase: 'PWRT', failMode: 'closed' },
      INFO,
    );
    await adapter.run({}, view({ phone: '+1' }).view);
    const options = fake.calls[0]?.options;
    expect(options).toMatchObject({ useCase: 'PWRT', failMode: 'closed' });
    expect(options?.signal).toBeInstanceOf(AbortSignal);
  });

  it('passes a per-route policy to check() of a shared guard', async () => {
    const fake = fakeGuard();
    const fn = () => ({ action: 'allow' as const, reasons: [] });
    for (const policy of ['passwordReset', fn] as const) {
      const adapter = createHttpAdapter({ guard: fake.guard, policy }, INFO);
      await adapter.run({}, view({ phone: '+1' }).view);
      expect(fake.calls.at(-1)?.options?.policy).toBe(policy);
    }
    // A rules object: a frozen copy made at construction, the same one for every request.
    const rules: { extends: 'passwordReset'; roaming: string; phoneTypes: Record<string, string> } =
      { extends: 'passwordReset', roaming: 'block', phoneTypes: { '5': 'block' } };
    const adapter = createHttpAdapter({ guard: fake.guard, policy: rules as never }, INFO);
    rules.roaming = 'nonsense'; // too late: validated and copied already
    (rules.phoneTypes as Record<string, string>)['5'] = 'allow';
    await adapter.run({}, view({ phone: '+1' }).view);
    await adapter.run({}, view({ phone: '+1' }).view);
    const [a, b] = fake.calls.slice(-2).map((c) => c.options?.policy);
    expect(a).toEqual({ extends: 'passwordReset', roaming: 'block', phoneTypes: { '5': 'block' } });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    const plain = createHttpAdapter({ guard: fake.guard }, INFO);
    await plain.run({}, view({ phone: '+1' }).view);
    expect(fake.calls.at(-1)?.options).not.toHaveProperty('policy');
  });

  it('gives the policy to the guard it creates, not to each check', async () => {
    const provider = { getLiveStatus: () => Promise.reject(new Error('unused')) };
    const adapter = createHttpAdapter({ provider, policy: 'passwordReset', logger: false }, INFO);
    try {
      const d = await adapter.run({}, view({ phone: 'nope' }).view);
      expect(d).toMatchObject({ kind: 'block', decision: { useCase: 'PWRT' } });
    } finally {
      await adapter.close();
    }
  });

  it('uses getPhone (async) instead of field', async () => {
    const fake = fakeGuard();
    const adapter = createHttpAdapter<{ header: string }>(
      { guard: fake.guard, getPhone: async (req) => req.header },
      INFO,
    );
    await adapter.run({ header: 'from-getPhone' }, view({ phone: 'body' }).view);
    expect(fake.calls[0]?.input).toBe('from-getPhone');
  });

  it('blocks, lets flags through, and annotates without blocking', async () => {
    const blocked = decision('block', ['SUBSCRIBER_DISCONNECTED']);
    const flagged = decision('flag', ['DEVICE_UNREACHABLE']);
    const block = createHttpAdapter({ guard: fakeGuard(() => blocked).guard }, INFO);
    const result = await block.run({}, view({ phone: '+1' }).view);
    expect(result).toMatchObject({ kind: 'block', decision: blocked, response: { status: 403 } });

    const flag = createHttpAdapter({ guard: fakeGuard(() => flagged).guard }, INFO);
    expect(await flag.run({}, view({ phone: '+1' }).view)).toEqual({
      kind: 'next',
      decision: flagged,
    });

    const annotate = createHttpAdapter(
      { guard: fakeGuard(() => blocked).guard, mode: 'annotate' },
      INFO,
    );
    expect(await annotate.run({}, view({ phone: '+1' }).view)).toEqual({
      kind: 'next',
      decision: blocked,
    });
  });

  it('skips without checking when skip() resolves true', async () => {
    const fake = fakeGuard();
    const adapter = createHttpAdapter({ guard: fake.guard, skip: async () => true }, INFO);
    expect(await adapter.run({}, view({ phone: '+1' }).view)).toEqual({ kind: 'skip' });
    expect(fake.calls).toHaveLength(0);
  });

  it('rejects when skip, getPhone or check throw', async () => {
    const boom = new Error('boom');
    const throwingSkip = createHttpAdapter(
      {
        guard: fakeGuard().guard,
        skip: () => {
          throw boom;
        },
      },
      INFO,
    );
    await expect(throwingSkip.run({}, view({}).view)).rejects.toBe(boom);
    const throwingCheck = createHttpAdapter(
      { guard: fakeGuard(() => Promise.reject(boom)).guard },
      INFO,
    );
    await expect(throwingCheck.run({}, view({}).view)).rejects.toBe(boom);
  });

  it('warns once, without the number, when a body arrived but no parser ran', async () => {
    const logger = recordingLogger();
    const adapter = createHttpAdapter({ guard: fakeGuard().guard, logger }, INFO);
    await adapter.run({}, view(undefined, {}, {}).view);
    expect(logger.warnings).toHaveLength(0);
    await adapter.run(
      {},
      view(undefined, { phone: E164 }, { 'content-length': '12', 'content-type': `text/${E164}` })
        .view,
    );
    await adapter.run({}, view(undefined, {}, { 'transfer-encoding': 'chunked' }).view);
    const noParser = logger.warnings.filter((w) => w.includes('PG_NO_BODY_PARSER'));
    expect(noParser).toHaveLength(1);
    expect(logger.warnings.filter((w) => !w.includes('PG_QUERY_IGNORED'))).toEqual(noParser);
    expect(logger.warnings[0]).toContain('no body parser ran');
    expect(logger.warnings[0]).toContain('use a body parser');
    expect(logger.warnings[0]).not.toContain('4155550104');
  });

  it('does not warn when the body was parsed or getPhone is used', async () => {
    const logger = recordingLogger();
    const parsed = createHttpAdapter({ guard: fakeGuard().guard, logger }, INFO);
    await parsed.run({}, view({}, {}, { 'content-length': '2' }).view);
    const custom = createHttpAdapter(
      { guard: fakeGuard().guard, logger, getPhone: () => '' },
      INFO,
    );
    await custom.run({}, view(undefined, {}, { 'content-length': '2' }).view);
    expect(logger.warnings).toHaveLength(0);
  });

  it('aborts the check when the client disconnects, and reports it as aborted', async () => {
    let seen: AbortSignal | undefined;
    const fake = fakeGuard(
      (_input, options) =>
        new Promise<Decision>((_resolve, reject) => {
          seen = options?.signal;
          options?.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        }),
    );
    const adapter = createHttpAdapter({ guard: fake.guard }, INFO);
    const v = view({ phone: '+1' });
    const pending = adapter.run({}, v.view);
    await vi.waitFor(() => expect(seen).toBeDefined());
    v.rawRes.emit('close');
    expect(await pending).toEqual({ kind: 'aborted' });
    expect(seen?.aborted).toBe(true);
    expect(v.rawRes.listenerCount('close')).toBe(0);
  });

  it('hands the unused signal of a cache hit to the next request', async () => {
    const fake = fakeGuard(() => decision('allow', [], { source: 'cache' }));
    const adapter = createHttpAdapter({ guard: fake.guard }, INFO);
    await adapter.run({}, view({ phone: '+1' }).view);
    await adapter.run({}, view({ phone: '+1' }).view);
    const [first, second] = fake.calls.map((c) => c.options?.signal);
    expect(first).toBeInstanceOf(AbortSignal);
    expect(second).toBe(first);
  });

  it('never recycles a signal after a look-up or with listeners left', async () => {
    const upstream = fakeGuard(() => decision('allow', [], { source: 'upstream' }));
    const listened = fakeGuard((_input, options) => {
      options?.signal?.addEventListener('abort', () => {});
      return decision('allow', [], { source: 'cache' });
    });
    const probe = fakeGuard(() => decision('allow', [], { source: 'upstream' }));
    const next = createHttpAdapter({ guard: probe.guard }, INFO);
    for (const fake of [upstream, listened]) {
      await createHttpAdapter({ guard: fake.guard }, INFO).run({}, view({ phone: '+1' }).view);
      await next.run({}, view({ phone: '+1' }).view);
      const used = fake.calls[0]?.options?.signal;
      expect(used).toBeInstanceOf(AbortSignal);
      expect(probe.calls.at(-1)?.options?.signal).not.toBe(used);
    }
  });

  it('never recycles an aborted signal', async () => {
    let seen: AbortSignal | undefined;
    const hanging = fakeGuard(
      (_input, options) =>
        new Promise<Decision>((resolve) => {
          seen = options?.signal;
          options?.signal?.addEventListener('abort', () =>
            resolve(decision('allow', [], { source: 'cache' })),
          );
        }),
    );
    const adapter = createHttpAdapter({ guard: hanging.guard }, INFO);
    const v = view({ phone: '+1' });
    const pending = adapter.run({}, v.view);
    await vi.waitFor(() => expect(seen).toBeDefined());
    v.rawRes.emit('close');
    expect(await pending).toEqual({ kind: 'aborted' });
    const probe = fakeGuard(() => decision('allow', [], { source: 'upstream' }));
    await createHttpAdapter({ guard: probe.guard }, INFO).run({}, view({ phone: '+1' }).view);
    const next = probe.calls[0]?.options?.signal;
    expect(next).not.toBe(seen);
    expect(next?.aborted).toBe(false);
  });

  it('closes the guard it created, but not a provider the caller passed in', async () => {
    let providerClosed = 0;
    const provider = {
      getLiveStatus: () => Promise.reject(new Error('unused')),
      close: () => {
        providerClosed += 1;
      },
    };
    const adapter = createHttpAdapter({ provider, logger: false }, INFO);
    await Promise.all([adapter.close(), adapter.close()]);
    expect(providerClosed).toBe(0);
    const after = await adapter.guard.check('+14155550100');
    expect(after.error?.code).toBe('GUARD_CLOSED');
  });

  it('closes only a guard it created', async () => {
    const fake = fakeGuard();
    const adapter = createHttpAdapter({ guard: fake.guard }, INFO);
    await adapter.close();
    expect(fake.closed()).toBe(0);
  });
});

describe('watchClientDisconnect', () => {
  it('does not abort once the response was sent', () => {
    const http = fakeHttp();
    const watch = watchClientDisconnect(http.req, http.res);
    http.rawRes.writableEnded = true;
    http.rawRes.emit('close');
    expect(watch.signal.aborted).toBe(false);
  });

  it('is aborted at once when the socket is already gone', () => {
    const http = fakeHttp();
    (http.req.socket as { destroyed: boolean }).destroyed = true;
    expect(watchClientDisconnect(http.req, http.res).signal.aborted).toBe(true);
  });
});
