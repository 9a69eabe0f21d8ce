/**
 * Type tests for @phone-guard/koa, checked by `pnpm typecheck` (no casts anywhere):
 * `phoneGuard()` is a Koa Middleware whose state carries `phoneGuard?: Decision`, so the
 * middleware after it reads `ctx.state.phoneGuard` typed, and must handle `undefined`:
 * requests whose method is not checked (GET by default) and skipped ones carry none.
 */
import type { Decision, DecisionAction, PhoneGuard, PolicyOption } from '@phone-guard/core';
import {
  type PhoneGuardKoaOptions,
  type PhoneGuardMiddleware,
  type PhoneGuardState,
  phoneGuard,
} from '@phone-guard/koa';
import Koa, { type Context, type Middleware } from 'koa';
import { expectTypeOf } from 'vitest';

declare const guard: PhoneGuard;

// It is Koa's own middleware type, with the state it adds.
expectTypeOf(phoneGuard({ guard })).toExtend<Middleware<PhoneGuardState>>();
expectTypeOf<PhoneGuardState>().toEqualTypeOf<{ phoneGuard?: Decision | undefined }>();
expectTypeOf<PhoneGuardMiddleware['guard']>().toEqualTypeOf<PhoneGuard>();

// The state flows to the next middleware, on a default app, where a GET (not checked)
// carries no decision: the type says so ...
new Koa().use(phoneGuard({ guard })).use((ctx) => {
  expectTypeOf(ctx.state.phoneGuard).toEqualTypeOf<Decision | undefined>();
  // @ts-expect-error: possibly undefined (a GET passed unchecked)
  ctx.state.phoneGuard.action;
  if (ctx.state.phoneGuard !== undefined) {
    expectTypeOf(ctx.state.phoneGuard.action).toEqualTypeOf<DecisionAction>();
  }
});

// ... on an app with a typed state ...
new Koa<{ user?: string }>().use(phoneGuard({ guard, useCase: 'PWRT' })).use((ctx) => {
  expectTypeOf(ctx.state.phoneGuard).toEqualTypeOf<Decision | undefined>();
  expectTypeOf(ctx.state.phoneGuard?.action).toEqualTypeOf<DecisionAction | undefined>();
  expectTypeOf(ctx.state.user).toEqualTypeOf<string | undefined>();
});

// ... and with a `skip`, which may leave it unset too.
new Koa<{ user?: string }>()
  .use(phoneGuard({ guard, skip: (ctx) => ctx.path === '/health' }))
  .use((ctx) => {
    expectTypeOf(ctx.state.phoneGuard).toEqualTypeOf<Decision | undefined>();
  });

// Callbacks are typed from the options.
phoneGuard({
  guard,
  getPhone: (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<Context>();
    return ctx.get('x-phone');
  },
  onBlocked: (ctx, decision) => {
    expectTypeOf(decision).toEqualTypeOf<Decision>();
    ctx.status = 400;
    ctx.body = { reasons: decision.reasons };
  },
});
expectTypeOf<PhoneGuardKoaOptions['mode']>().toEqualTypeOf<
  'block' | 'annotate' | 'shadow' | undefined
>();

// @ts-expect-error: mode is 'block', 'annotate' or 'shadow'
phoneGuard({ guard, mode: 'deny' });
// @ts-expect-error: unknown option
phoneGuard({ guard, feild: 'phone' });

// A shared guard takes a per-route policy (preset, rules or function).
new Koa().use(phoneGuard({ guard, policy: 'passwordReset' })).use((ctx) => {
  expectTypeOf(ctx.state.phoneGuard).toEqualTypeOf<Decision | undefined>();
});
phoneGuard({ guard, policy: { extends: 'signup', roaming: 'flag' }, useCase: 'BACS' });
expectTypeOf<PhoneGuardKoaOptions['policy']>().toEqualTypeOf<PolicyOption | undefined>();
// @ts-expect-error: not a preset
phoneGuard({ guard, policy: 'login' });

// Request data: a country per request and the date the user last proved the number.
phoneGuard({ guard, countryField: 'country', methods: ['POST'], query: true });
phoneGuard({
  guard,
  getCountry: async (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<Context>();
    return ctx.get('cf-ipcountry');
  },
  getLastVerifiedAt: (ctx) => (ctx.state.user ? new Date(0) : null),
});
// @ts-expect-error: an object is not a date
phoneGuard({ guard, getLastVerifiedAt: () => ({ at: 1 }) });
// The state stays typed whatever the options; it is set by the time a checked request
// reaches the next middleware.
new Koa().use(phoneGuard({ guard, countryField: 'country' })).use((ctx) => {
  expectTypeOf(ctx.state.phoneGuard).toEqualTypeOf<Decision | undefined>();
});
// Every option accepts an explicit undefined (exactOptionalPropertyTypes).
phoneGuard({ guard, skip: undefined, methods: undefined, countryField: undefined });
