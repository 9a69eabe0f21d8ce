import { describe, expect, it } from 'vitest';
import { TelesignError } from '../model/errors.js';
import {
  errorRowFor,
  TELESIGN_ERROR_FAULTS,
  TELESIGN_ERROR_TABLE,
  TELESIGN_PHONEID_ERROR_TABLE,
  type TelesignErrorCode,
} from './error-table.js';
import { telesignErrorFromResponse } from './errors.js';

describe('the error tables', () => {
  it("Phone ID's documented rows map to the right code, retry rule and fault", () => {
    const byKey = new Map(
      TELESIGN_PHONEID_ERROR_TABLE.map((r) => [`${r.httpStatus}/${r.telesignCode}`, r]),
    );
    expect(byKey.get('400/11000')).toMatchObject({
      code: 'TELESIGN_INVALID_NUMBER',
      retryable: false,
      fault: 'request',
    });
    expect(byKey.get('400/10032')).toMatchObject({
      code: 'TELESIGN_NUMBER_BLOCKED',
      fault: 'request',
    });
    expect(byKey.get('401/10008')).toMatchObject({ code: 'TELESIGN_AUTH_FAILED', fault: 'config' });
    expect(byKey.get('402/10030')).toMatchObject({
      code: 'TELESIGN_PAYMENT_REQUIRED',
      fault: 'config',
    });
    expect(byKey.get('404/10017')).toMatchObject({ code: 'TELESIGN_NOT_FOUND', retryable: false });
    expect(byKey.get('429/10019')).toMatchObject({
      code: 'TELESIGN_RATE_LIMITED',
      retryable: true,
      fault: 'upstream',
    });
    expect(byKey.get('429/10020')).toMatchObject({
      code: 'TELESIGN_HARD_CAP',
      retryable: false,
      fault: 'config',
    });
    expect(byKey.get('500/-10000')).toMatchObject({
      code: 'TELESIGN_SERVER_ERROR',
      retryable: true,
    });
    const retried = TELESIGN_PHONEID_ERROR_TABLE.filter((r) => r.retryable).map(
      (r) => r.telesignCode,
    );
    expect(new Set(retried)).toEqual(new Set([10019, -90001, -10000]));
  });

  it('every row carries the fault of its code', () => {
    for (const row of [...TELESIGN_ERROR_TABLE, ...TELESIGN_PHONEID_ERROR_TABLE]) {
      expect(row.fault).toBe(TELESIGN_ERROR_FAULTS[row.code]);
      const err = telesignErrorFromResponse({
        httpStatus: row.httpStatus,
        telesignCode: row.telesignCode,
        maskedPhone: 'x',
      });
      expect(err.fault, `${row.httpStatus}/${row.telesignCode}`).toBe(row.fault);
    }
  });

  it("agrees with the model's fault for every code it knows", () => {
    const newCodes = new Set(['TELESIGN_INVALID_NUMBER', 'TELESIGN_NUMBER_BLOCKED']);
    for (const [code, fault] of Object.entries(TELESIGN_ERROR_FAULTS)) {
      if (newCodes.has(code)) continue;
      expect(new TelesignError(code, 'x').fault, code).toBe(fault);
    }
  });

  it('falls back by HTTP status for an unknown code', () => {
    const code = (status: number, ts?: number): TelesignErrorCode => errorRowFor(status, ts).code;
    expect(code(401, 99_999)).toBe('TELESIGN_AUTH_FAILED');
    expect(code(418)).toBe('TELESIGN_REQUEST_REJECTED');
    expect(code(599)).toBe('TELESIGN_SERVER_ERROR');
    expect(errorRowFor(599, undefined).retryable).toBe(false);
    expect(code(302)).toBe('TELESIGN_UNEXPECTED_STATUS');
  });
});
