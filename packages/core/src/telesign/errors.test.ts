import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isPhoneGuardError, isTelesignError, TelesignError } from '../model/errors.js';
import {
  TELESIGN_ERROR_TABLE,
  TelesignAbortError,
  TelesignResponseError,
  telesignErrorFromResponse,
} from './errors.js';

describe('telesignErrorFromResponse', () => {
  it('maps by Telesign code first, then by HTTP status', () => {
    const e = telesignErrorFromResponse({
      httpStatus: 429,
      telesignCode: -40007,
      maskedPhone: '+1415*****71',
    });
    expect(e).toMatchObject({ code: 'TELESIGN_RATE_LIMITED', retryable: true, httpStatus: 429 });
    expect(
      telesignErrorFromResponse({ httpStatus: 400, telesignCode: -40007, maskedPhone: 'x' }).code,
    ).toBe('TELESIGN_RATE_LIMITED');
    expect(telesignErrorFromResponse({ httpStatus: 429, maskedPhone: 'x' }).code).toBe(
      'TELESIGN_RATE_LIMITED',
    );
    expect(
      telesignErrorFromResponse({ httpStatus: 401, telesignCode: -99999, maskedPhone: 'x' }).code,
    ).toBe('TELESIGN_AUTH_FAILED');
    expect(telesignErrorFromResponse({ httpStatus: 418, maskedPhone: 'x' }).code).toBe(
      'TELESIGN_REQUEST_REJECTED',
    );
    expect(telesignErrorFromResponse({ httpStatus: 302, maskedPhone: 'x' }).code).toBe(
      'TELESIGN_UNEXPECTED_STATUS',
    );
    expect(telesignErrorFromResponse({ httpStatus: 504, maskedPhone: 'x' })).toMatchObject({
      code: 'TELESIGN_SERVER_ERROR',
      retryable: true,
    });
    expect(telesignErrorFromResponse({ httpStatus: 501, maskedPhone: 'x' }).retryable).toBe(false);
  });

  it('builds operator-helpful messages and keeps Telesign details', () => {
    const e = telesignErrorFromResponse({
      httpStatus: 401,
      telesignCode: -30010,
      telesignDescription: "'Date' header is not within tolerable range\r\nInjected: yes",
      referenceId: 'REF',
      retryAfterMs: 2000,
      maskedPhone: '+1415*****71',
    });
    expect(e).toBeInstanceOf(TelesignResponseError);
    expect(e).toBeInstanceOf(TelesignError);
    expect(isTelesignError(e)).toBe(true);
    expect(e.message).toMatch(/clock skew/);
    expect(e.message).toMatch(/\+1415\*{5}71/);
    expect(e.message).not.toMatch(/[\r\n]/);
    expect(e).toMatchObject({ referenceId: 'REF', retryAfterMs: 2000, telesignCode: -30010 });
  });

  it('masks phone-number-like digit runs in Telesign descriptions (message and property)', () => {
    const e = telesignErrorFromResponse({
      httpStatus: 400,
      telesignCode: -10001,
      telesignDescription: 'Invalid phone number 14155552671 (also +1 415-555-2671), code -10001',
      maskedPhone: '+1415*****71',
    });
    const shown = `${e.message}\n${e.telesignDescription}\n${inspect(e)}`;
    expect(shown).not.toMatch(/14155552671|415-555-2671|5552671/);
    expect(e.telesignDescription).toBe(
      'Invalid phone number +1415*****71 (also +1415*****71), code -10001',
    );
    expect(e.message).toContain('Telesign said: "Invalid phone number +1415*****71');
  });

  it('the table covers every documented row with a stable code', () => {
    expect(TELESIGN_ERROR_TABLE.length).toBe(29);
    const byKey = new Map(
      TELESIGN_ERROR_TABLE.map((r) => [`${r.httpStatus}/${r.telesignCode}`, r]),
    );
    expect(byKey.get('429/-40008')).toMatchObject({ code: 'TELESIGN_HARD_CAP', retryable: false });
    expect(byKey.get('503/-90001')).toMatchObject({
      code: 'TELESIGN_UNAVAILABLE',
      retryable: true,
    });
    expect(byKey.get('402/undefined')).toMatchObject({
      code: 'TELESIGN_PAYMENT_REQUIRED',
      retryable: false,
    });
    expect(byKey.get('500/undefined')).toMatchObject({
      code: 'TELESIGN_SERVER_ERROR',
      retryable: true,
    });
    const retryable = TELESIGN_ERROR_TABLE.filter((r) => r.retryable).map(
      (r) => r.telesignCode ?? r.httpStatus,
    );
    expect(retryable.sort()).toEqual([-40007, -40007, -90001, 500].sort());
  });
});

describe('error classes', () => {
  it('are recognisable without instanceof and never retryable when aborted', () => {
    const e = new TelesignAbortError('aborted', { cause: 'why', retryable: true });
    expect(isPhoneGuardError(e)).toBe(true);
    expect(e).toMatchObject({
      code: 'TELESIGN_ABORTED',
      retryable: false,
      cause: 'why',
      name: 'TelesignAbortError',
    });
  });
});
