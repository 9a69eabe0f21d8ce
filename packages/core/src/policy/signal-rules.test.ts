import { describe, expect, it } from 'vitest';
import type { ReassignmentSignal, SimSwapSignal } from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import { asksForSignals, POLICY_PRESETS, resolvePolicy } from './policy.js';
import { evaluateSignals, REASSIGNMENT_DEFAULTS, SIM_SWAP_DEFAULTS } from './signal-rules.js';

const rulesOf = (option: unknown) => {
  const p = resolvePolicy(option);
  if (p.kind !== 'rules') throw new Error('fixture');
  return p.rules;
};

const reassignment = (verdict: ReassignmentSignal['verdict']): ReassignmentSignal => ({
  verdict,
  lastDeactivatedAt: null,
  trackingSince: null,
  lastVerifiedAt: null,
  telesignVerdict: null,
});
const swap = (risk: SimSwapSignal['risk']): SimSwapSignal => ({ risk, swappedAt: null });

describe('signal rules in policies', () => {
  it('passwordReset asks for both signals; signup and plain rules for none', () => {
    expect(POLICY_PRESETS.passwordReset).toMatchObject({
      reassignment: { reassigned: 'block', unknown: 'flag' },
      simSwap: { highRisk: 'block', lowRisk: 'flag', unknown: 'allow' },
    });
    expect(POLICY_PRESETS.signup).toMatchObject({ reassignment: null, simSwap: null });
    expect(asksForSignals(resolvePolicy('passwordReset'))).toBe(true);
    expect(asksForSignals(resolvePolicy('signup'))).toBe(false);
    expect(asksForSignals(resolvePolicy({ roaming: 'flag' }))).toBe(false);
    expect(asksForSignals(resolvePolicy(() => ({ action: 'allow', reasons: [] })))).toBe(false);
  });

  it('turns each signal on or off, and merges actions over the preset', () => {
    expect(rulesOf({ reassignment: true })).toMatchObject({
      reassignment: REASSIGNMENT_DEFAULTS,
      simSwap: null,
    });
    expect(rulesOf({ simSwap: {} }).simSwap).toEqual(SIM_SWAP_DEFAULTS);
    expect(rulesOf({ extends: 'passwordReset', simSwap: false }).simSwap).toBeNull();
    expect(
      rulesOf({ extends: 'passwordReset', reassignment: { unknown: 'allow' } }).reassignment,
    ).toEqual({ reassigned: 'block', unknown: 'allow' });
    expect(rulesOf({ extends: 'signup', simSwap: { highRisk: 'flag' } }).simSwap).toEqual({
      ...SIM_SWAP_DEFAULTS,
      highRisk: 'flag',
    });
    expect(rulesOf({ extends: 'passwordReset' }).reassignment).toBe(
      POLICY_PRESETS.passwordReset.reassignment,
    );
  });

  it.each<[unknown, string]>([
    [{ reassignment: 'on' }, 'policy.reassignment'],
    [{ reassignment: null }, 'policy.reassignment'],
    [{ reassignment: [] }, 'policy.reassignment'],
    [{ reassignment: { recycled: 'block' } }, 'policy.reassignment.recycled'],
    [{ reassignment: { reassigned: 'deny' } }, 'policy.reassignment.reassigned'],
    [{ simSwap: 1 }, 'policy.simSwap'],
    [{ simSwap: { highRisk: true } }, 'policy.simSwap.highRisk'],
  ])('rejects %j naming %s', (option, path) => {
    const error = (() => {
      try {
        resolvePolicy(option);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PhoneGuardOptionError);
    expect((error as PhoneGuardOptionError).option).toBe(path);
  });
});

describe('evaluateSignals', () => {
  const R = REASSIGNMENT_DEFAULTS;
  const S = SIM_SWAP_DEFAULTS;

  it.each<[ReassignmentSignal | undefined, SimSwapSignal | undefined, string, string[]]>([
    [reassignment('reassigned'), swap(1), 'block', ['NUMBER_REASSIGNED']],
    [reassignment('unknown'), swap(1), 'flag', ['REASSIGNMENT_UNKNOWN']],
    [reassignment('not_reassigned'), swap(1), 'allow', []],
    [reassignment('not_reassigned'), swap(2), 'flag', ['SIM_SWAPPED']],
    [reassignment('not_reassigned'), swap(3), 'block', ['SIM_SWAPPED']],
    [reassignment('not_reassigned'), swap(4), 'block', ['SIM_SWAPPED']],
    [reassignment('not_reassigned'), swap(null), 'allow', []],
    [reassignment('unknown'), swap(4), 'block', ['SIM_SWAPPED', 'REASSIGNMENT_UNKNOWN']],
    [undefined, undefined, 'allow', []],
  ])('%j and %j: %s %j', (r, s, action, reasons) => {
    expect(evaluateSignals(R, S, r, s)).toEqual({ action, reasons });
  });

  it('signals not asked for are ignored, and allow rules add no reason', () => {
    expect(evaluateSignals(null, S, reassignment('reassigned'), swap(1))).toEqual({
      action: 'allow',
      reasons: [],
    });
    const lenient = { highRisk: 'allow', lowRisk: 'allow', unknown: 'flag' } as const;
    expect(evaluateSignals(R, lenient, reassignment('not_reassigned'), swap(null))).toEqual({
      action: 'flag',
      reasons: ['SIM_SWAP_UNKNOWN'],
    });
  });

  it('a failed signal always names its unknown reason, even under an allow rule', () => {
    const failedSwap = { reassignment: false, simSwap: true };
    expect(evaluateSignals(R, S, reassignment('not_reassigned'), swap(null), failedSwap)).toEqual({
      action: 'allow',
      reasons: ['SIM_SWAP_UNKNOWN'],
    });
    const both = { reassignment: true, simSwap: true };
    const lenient = { reassigned: 'block', unknown: 'allow' } as const;
    expect(evaluateSignals(lenient, S, reassignment('unknown'), swap(null), both)).toEqual({
      action: 'allow',
      reasons: ['REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
    });
    // "Failed" only concerns unknown signals: a risk that came is judged as usual.
    expect(evaluateSignals(R, S, reassignment('reassigned'), swap(1), both)).toEqual({
      action: 'block',
      reasons: ['NUMBER_REASSIGNED'],
    });
  });
});
