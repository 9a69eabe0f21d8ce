import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEnforced, rolloutPoint } from './rollout.js';

const numbers = (count: number, from = 4155550000): string[] =>
  Array.from({ length: count }, (_, i) => `+1${from + i}`);

describe('rollout share', () => {
  it('is a fixed point in [0, 1) per number, the same on every call', () => {
    // Pinned values: a change of the hash would move numbers between shares on upgrade.
    expect(rolloutPoint('+14155552671')).toBeCloseTo(0.7016749, 6);
    expect(rolloutPoint('+447400123456')).toBeCloseTo(0.0032415, 6);
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const p = rolloutPoint(s);
        return p >= 0 && p < 1 && p === rolloutPoint(s);
      }),
    );
  });

  it('spreads consecutive numbers evenly', () => {
    for (const share of [0.1, 0.25, 0.5, 0.9]) {
      const enforced = numbers(20_000).filter((n) => isEnforced(n, share)).length / 20_000;
      expect(Math.abs(enforced - share)).toBeLessThan(0.02);
    }
  });

  it('never enforces at 0, always at 1, and keeps enforced numbers when the share grows', () => {
    const sample = numbers(2_000, 4475550000);
    expect(sample.some((n) => isEnforced(n, 0))).toBe(false);
    expect(sample.every((n) => isEnforced(n, 1))).toBe(true);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          return sample.every((n) => !isEnforced(n, low) || isEnforced(n, high));
        },
      ),
      { numRuns: 50 },
    );
  });
});
