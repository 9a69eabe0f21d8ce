import { describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import type { LiveStatus } from '../model/types.js';
import { normalizePhone } from '../normalize/normalize.js';
import { evaluatePolicy, evaluateRules } from './evaluate.js';
import { POLICY_PRESETS, type PolicyFunction, resolvePolicy } from './policy.js';

function status(patch: Partial<LiveStatus> = {}): LiveStatus {
  return liveStatus(undefined, patch);
}
const phone = (() => {
  const r = normalizePhone('+14155552671');
  if (!r.ok) throw new Error('fixture');
  return r.phone;
})();

describe('policy presets', () => {
  const { signup, passwordReset } = POLICY_PRESETS;
  it.each([
    ['active', {}, 'allow', 'allow', []],
    [
      'disconnected',
      { subscriberStatus: 'DISCONNECTED' },
      'block',
      'block',
      ['SUBSCRIBER_DISCONNECTED'],
    ],
    [
      'unknown (-60001)',
      { subscriberStatus: 'UNKNOWN', deviceStatus: 'UNKNOWN', roaming: 'UNKNOWN' },
      'flag',
      'flag',
      ['STATUS_UNKNOWN'],
    ],
    ['unreachable', { deviceStatus: 'UNREACHABLE' }, 'flag', 'flag', ['DEVICE_UNREACHABLE']],
    ['device unavailable', { deviceStatus: 'UNAVAILABLE' }, 'allow', 'allow', []],
    [
      'voip',
      { phoneType: { code: '5', description: 'VOIP' } },
      'flag',
      'flag',
      ['RISKY_PHONE_TYPE'],
    ],
    [
      'premium',
      { phoneType: { code: '9', description: 'RESTRICTED_PREMIUM' } },
      'block',
      'block',
      ['RISKY_PHONE_TYPE'],
    ],
  ] as const)(
    '%s: signup %s, passwordReset %s',
    (_name, patch, signupAction, resetAction, reasons) => {
      const s = status(patch as Partial<LiveStatus>);
      expect(evaluateRules(signup, s)).toEqual({ action: signupAction, reasons });
      expect(evaluateRules(passwordReset, s)).toEqual({ action: resetAction, reasons });
    },
  );

  it('roaming: allowed at signup, flagged for password reset', () => {
    const s = status({ roaming: 'YES', roamingCountry: 'Mexico', roamingCountryIso2: 'MX' });
    expect(evaluateRules(signup, s)).toEqual({ action: 'allow', reasons: [] });
    expect(evaluateRules(passwordReset, s)).toEqual({ action: 'flag', reasons: ['ROAMING'] });
  });

  it('uses BACS and PWRT', () => {
    expect(resolvePolicy('signup').useCase).toBe('BACS');
    expect(resolvePolicy('passwordReset').useCase).toBe('PWRT');
    expect(resolvePolicy(undefined).useCase).toBe('BACS');
  });

  it('the most severe action wins and every matched reason is listed', () => {
    const s = status({
      subscriberStatus: 'DISCONNECTED',
      deviceStatus: 'UNREACHABLE',
      phoneType: { code: '5', description: 'VOIP' },
    });
    expect(evaluateRules(signup, s)).toEqual({
      action: 'block',
      reasons: ['SUBSCRIBER_DISCONNECTED', 'DEVICE_UNREACHABLE', 'RISKY_PHONE_TYPE'],
    });
  });
});

describe('custom rules', () => {
  it('extends a preset and overrides single rules', () => {
    const p = resolvePolicy({ extends: 'signup', phoneTypes: { '5': 'block' }, useCase: 'BACF' });
    expect(p.useCase).toBe('BACF');
    if (p.kind !== 'rules') throw new Error('expected rules');
    expect(p.rules.phoneTypes['5']).toBe('block');
    expect(p.rules.phoneTypes['9']).toBe('block');
    expect(p.rules.disconnected).toBe('block');
  });

  it('unspecified rules allow without extends', () => {
    const p = resolvePolicy({ disconnected: 'flag' });
    if (p.kind !== 'rules') throw new Error('expected rules');
    expect(evaluateRules(p.rules, status({ subscriberStatus: 'UNKNOWN' }))).toEqual({
      action: 'allow',
      reasons: [],
    });
    expect(evaluateRules(p.rules, status({ subscriberStatus: 'DISCONNECTED' }))).toEqual({
      action: 'flag',
      reasons: ['SUBSCRIBER_DISCONNECTED'],
    });
  });

  it('roaming outside an allowed list of countries', () => {
    const p = resolvePolicy({ roamingCountries: ['CA', 'MX'], roamingOutsideCountries: 'block' });
    if (p.kind !== 'rules') throw new Error('expected rules');
    const at = (iso2: string | null) =>
      evaluateRules(p.rules, status({ roaming: 'YES', roamingCountryIso2: iso2 }));
    expect(at('MX')).toEqual({ action: 'allow', reasons: [] });
    expect(at('FR')).toEqual({ action: 'block', reasons: ['ROAMING_COUNTRY_NOT_ALLOWED'] });
    expect(at(null)).toEqual({ action: 'block', reasons: ['ROAMING_COUNTRY_NOT_ALLOWED'] });
  });

  it('rejects unknown keys and bad values', () => {
    for (const bad of [
      { colour: 'red' },
      { roaming: 'deny' },
      { extends: 'login' },
      { roamingCountries: ['mx'] },
      { phoneTypes: { '5': 'nope' } },
      { useCase: 'XXXX' },
      42,
      'strict',
    ]) {
      expect(() => resolvePolicy(bad), JSON.stringify(bad)).toThrow(PhoneGuardOptionError);
    }
  });

  it('a policy function gets the status, the phone and the use case', () => {
    const fn: PolicyFunction = (s, ph, ctx) => ({
      action:
        s.subscriberStatus === 'ACTIVE' && ph.country === 'US' && ctx.useCase === 'ATCK'
          ? 'flag'
          : 'allow',
      reasons: [],
    });
    const p = resolvePolicy(fn);
    expect(evaluatePolicy(p, status(), phone, 'ATCK')?.action).toBe('flag');
  });

  it('a policy function that throws or returns junk gives null', () => {
    const throwing = resolvePolicy(() => {
      throw new Error('x');
    });
    expect(evaluatePolicy(throwing, status(), phone, 'OTHR')).toBeNull();
    const junk = resolvePolicy((() => ({ action: 'maybe' })) as never);
    expect(evaluatePolicy(junk, status(), phone, 'OTHR')).toBeNull();
    const badReason = resolvePolicy((() => ({ action: 'flag', reasons: ['MADE_UP'] })) as never);
    expect(evaluatePolicy(badReason, status(), phone, 'OTHR')).toBeNull();
  });
});
