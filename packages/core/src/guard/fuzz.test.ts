import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import type { LiveStatus } from '../model/types.js';
import { createPhoneGuard } from './create-guard.js';

const calls: string[] = [];
const guard = createPhoneGuard({
  logger: false,
  defaultCountry: 'US',
  timeoutMs: 500,
  provider: {
    async getLiveStatus(phone): Promise<LiveStatus> {
      calls.push(phone);
      return liveStatus(phone, { phoneType: null, checkedAt: Date.now() });
    },
  },
});
afterAll(() => guard.close());

const phoneLike = fc.oneof(
  fc.string(),
  fc.stringMatching(/^\+?[0-9 ()\-.]{0,20}$/),
  fc.constantFrom(
    '+14155552671',
    '(415) 555-2671',
    'tel:+1-415-555-2671',
    '＋１４１５５５５２６７１',
  ),
);

describe('check() fuzz', () => {
  it('never throws or rejects, and never looks up invalid input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.anything(), phoneLike),
        fc.oneof(
          fc.constant(undefined),
          fc.anything(),
          fc.record({ useCase: fc.anything(), failMode: fc.anything() }),
        ),
        async (input, options) => {
          const before = calls.length;
          let decision: Awaited<ReturnType<typeof guard.check>> | undefined;
          let thrown: unknown;
          try {
            decision = await guard.check(input, options as never);
          } catch (error) {
            thrown = error ?? 'falsy throw';
          }
          expect(thrown).toBeUndefined();
          expect(['allow', 'flag', 'block']).toContain(decision?.action);
          if (decision?.phone === null) {
            expect(calls.length).toBe(before);
            expect(decision.reasons).toEqual(['PHONE_INVALID']);
            expect(decision.error?.code).toMatch(/^PHONE_/);
          }
          for (const c of calls.slice(before)) expect(c).toMatch(/^\+[1-9]\d{6,14}$/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
