/**
 * Type tests: both adapters re-export what users reach for, so an app needs only one
 * phone-guard import.
 */
import * as core from '@phone-guard/core';
import * as express from '@phone-guard/express';
import * as koa from '@phone-guard/koa';
import { expectTypeOf } from 'vitest';

for (const adapter of [express, koa]) {
  expectTypeOf(adapter.normalizePhone).toEqualTypeOf(core.normalizePhone);
  expectTypeOf(adapter.maskPhone).toEqualTypeOf(core.maskPhone);
  expectTypeOf(adapter.isPhoneGuardError).toEqualTypeOf(core.isPhoneGuardError);
  expectTypeOf(adapter.isCountryCode).toEqualTypeOf(core.isCountryCode);
  expectTypeOf(adapter.GUARD_CHANNELS).toEqualTypeOf(core.GUARD_CHANNELS);
  expectTypeOf(adapter.HTTP_WARNINGS).toEqualTypeOf(core.HTTP_WARNINGS);
  expectTypeOf(adapter.createPhoneGuard).toEqualTypeOf(core.createPhoneGuard);
  expectTypeOf(adapter.decisionToProblem).toEqualTypeOf(core.decisionToProblem);
}
expectTypeOf<express.DecisionReason>().toEqualTypeOf<core.DecisionReason>();
expectTypeOf<koa.DecisionAction>().toEqualTypeOf<core.DecisionAction>();
expectTypeOf<express.DecisionSource>().toEqualTypeOf<core.DecisionSource>();
expectTypeOf<koa.HttpWarningCode>().toEqualTypeOf<core.HttpWarningCode>();
expectTypeOf<express.CheckOptions>().toEqualTypeOf<core.CheckOptions>();
