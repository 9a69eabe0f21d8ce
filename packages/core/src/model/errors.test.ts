import { describe, expect, it } from 'vitest';
import {
  isPhoneGuardError,
  isTelesignError,
  PhoneGuardError,
  PhoneGuardOptionError,
  TelesignError,
} from './errors.js';
import { maskPhone } from './mask.js';

describe('errors', () => {
  it('carry a stable code and cause', () => {
    const cause = new Error('socket hang up');
    const err = new PhoneGuardError('SOMETHING', 'went wrong', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('SOMETHING');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('PhoneGuardError');
  });

  it('TelesignError adds telesignCode, httpStatus and retryable (default false)', () => {
    const err = new TelesignError('TELESIGN_UNAVAILABLE', 'down', {
      telesignCode: -90001,
      httpStatus: 503,
      retryable: true,
    });
    expect(err).toBeInstanceOf(PhoneGuardError);
    expect([err.telesignCode, err.httpStatus, err.retryable]).toEqual([-90001, 503, true]);
    expect(new TelesignError('X', 'y').retryable).toBe(false);
  });

  it('are recognised without instanceof (another copy of the class)', () => {
    // A structurally identical error from a second module copy carries the same
    // Symbol.for brand, which is what isPhoneGuardError looks at.
    const foreign = Object.assign(new Error('x'), {
      code: 'X',
      telesignCode: undefined,
      retryable: false,
    });
    Object.defineProperty(foreign, Symbol.for('phone-guard.error'), { value: true });
    expect(isPhoneGuardError(foreign)).toBe(true);
    expect(isTelesignError(foreign)).toBe(true);
    expect(isPhoneGuardError(new Error('plain'))).toBe(false);
    expect(isPhoneGuardError({ code: 'X' })).toBe(false);
    expect(isPhoneGuardError(null)).toBe(false);
    expect(isPhoneGuardError('PG')).toBe(false);
    expect(isTelesignError(new PhoneGuardError('X', 'y'))).toBe(false);
  });

  it('option errors are TypeErrors with a stable code and the option path', () => {
    const err = new PhoneGuardOptionError('cache.max', 'must be a positive integer');
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe('PG_INVALID_OPTION');
    expect(err.option).toBe('cache.max');
    expect(err.message).toBe('phone-guard: option "cache.max" must be a positive integer');
    expect(isPhoneGuardError(err)).toBe(true);
  });
});

describe('maskPhone', () => {
  it.each([
    ['+14155552671', '+1415*****71'],
    ['14155552671', '+1415*****71'],
    ['+442079460958', '+4420******58'],
    ['+1234567', '+*****67'],
    ['+4930123456', '+493*****56'],
    ['+12345', '+*****'],
    ['', ''],
    ['not a number', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it('always hides at least five digits and never keeps more than six', () => {
    for (let n = 1; n <= 20; n++) {
      const masked = maskPhone('9'.repeat(n));
      expect(masked.replace(/\D/g, '').length).toBeLessThanOrEqual(Math.min(6, Math.max(0, n - 5)));
      expect(masked.replace(/[^*]/g, '').length).toBe(n <= 6 ? n : n - Math.min(6, n - 5));
    }
  });
});

describe('TelesignError fault defaults', () => {
  it('agree with the client error table for every code', async () => {
    const { TELESIGN_ERROR_FAULTS } = await import('../telesign/error-table.js');
    for (const [code, fault] of Object.entries(TELESIGN_ERROR_FAULTS)) {
      expect(new TelesignError(code, 'x').fault, code).toBe(fault);
    }
  });
});
