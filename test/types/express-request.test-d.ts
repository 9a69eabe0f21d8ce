/**
 * Type tests for @phone-guard/express, checked by `pnpm typecheck` (no casts anywhere):
 * `phoneGuard()` is an Express RequestHandler and `req.phoneGuard` is a typed Decision
 * through declaration merging of Express's `Request`.
 */
import type { Decision, DecisionAction, PhoneGuard, PolicyOption } from '@phone-guard/core';
import {
  type ExpressOnBlocked,
  type PhoneGuardExpressOptions,
  type PhoneGuardMiddleware,
  phoneGuard,
} from '@phone-guard/express';
import express, { type Request, type RequestHandler, Router } from 'express';
import { expectTypeOf } from 'vitest';

declare const guard: PhoneGuard;

// The middleware is Express's own handler type, usable wherever one is.
expectTypeOf(phoneGuard).returns.toExtend<RequestHandler>();
expectTypeOf<PhoneGuardMiddleware['guard']>().toEqualTypeOf<PhoneGuard>();
expectTypeOf<PhoneGuardMiddleware['close']>().returns.toEqualTypeOf<Promise<void>>();

const app = express();
app.post('/signup', express.json(), phoneGuard({ guard, useCase: 'BACS' }), (req, res) => {
  // Declaration merging: no cast, no custom Request type.
  expectTypeOf(req.phoneGuard).toEqualTypeOf<Decision | undefined>();
  if (req.phoneGuard) {
    expectTypeOf(req.phoneGuard.action).toEqualTypeOf<DecisionAction>();
    expectTypeOf(req.phoneGuard.failedOpen).toEqualTypeOf<boolean>();
  }
  res.json({ ok: req.phoneGuard?.action !== 'block' });
});

// Routers and plain `Request` values see it too.
Router().use(phoneGuard({ guard, mode: 'annotate' }));
expectTypeOf<Request['phoneGuard']>().toEqualTypeOf<Decision | undefined>();

// Callbacks are typed from the options.
phoneGuard({
  guard,
  getPhone: async (req) => {
    expectTypeOf(req).toEqualTypeOf<Request>();
    return req.get('x-phone');
  },
  skip: (req) => req.ip === '127.0.0.1',
  onBlocked: (req, res, next, decision) => {
    expectTypeOf(decision).toEqualTypeOf<Decision>();
    expectTypeOf(req.phoneGuard).toEqualTypeOf<Decision | undefined>();
    if (decision.reasons.includes('LOOKUP_FAILED')) return next();
    res.status(400).json({ reasons: decision.reasons });
  },
});
expectTypeOf<PhoneGuardExpressOptions['onBlocked']>().toEqualTypeOf<ExpressOnBlocked | undefined>();

// Option values are checked at compile time as well as at run time.
// @ts-expect-error: mode is 'block', 'annotate' or 'shadow'
phoneGuard({ guard, mode: 'deny' });
// @ts-expect-error: not a Telesign use case
phoneGuard({ guard, useCase: 'SIGNUP' });
// @ts-expect-error: unknown option
phoneGuard({ guard, feild: 'phone' });

// A shared guard takes a per-route policy (preset, rules or function).
phoneGuard({ guard, policy: 'passwordReset' });
phoneGuard({ guard, policy: { extends: 'signup', roaming: 'flag' }, useCase: 'BACS' });
phoneGuard({ guard, policy: () => ({ action: 'allow', reasons: [] }) });
expectTypeOf<PhoneGuardExpressOptions['policy']>().toEqualTypeOf<PolicyOption | undefined>();
// @ts-expect-error: not a preset
phoneGuard({ guard, policy: 'login' });
// @ts-expect-error: not an action
phoneGuard({ guard, policy: { roaming: 'deny' } });

// Request data: a country per request and the date the user last proved the number.
phoneGuard({ guard, countryField: 'address.country', methods: ['POST', 'PUT'], query: false });
phoneGuard({
  guard,
  getCountry: (req) => {
    expectTypeOf(req).toEqualTypeOf<Request>();
    return req.get('cf-ipcountry');
  },
  getLastVerifiedAt: async (req) => (req.get('x-user') ? new Date() : undefined),
});
phoneGuard({ guard, getLastVerifiedAt: () => '2024-05-01' });
phoneGuard({ guard, getLastVerifiedAt: () => 1_714_521_600_000 });
// @ts-expect-error: a boolean is not a date
phoneGuard({ guard, getLastVerifiedAt: () => true });
// @ts-expect-error: methods is a list
phoneGuard({ guard, methods: 'POST' });
// Every option accepts an explicit undefined (exactOptionalPropertyTypes).
phoneGuard({
  guard,
  countryField: undefined,
  getCountry: undefined,
  getLastVerifiedAt: undefined,
  methods: undefined,
  query: undefined,
  field: undefined,
  mode: undefined,
});
