import { describe, expect, it } from 'vitest';
import type { Decision, DecisionReason } from '../model/decision.js';
import { decisionToProblem } from './problem.js';

function blocked(reasons: DecisionReason[], error: Decision['error'] = null): Decision {
  return {
    action: 'block',
    reasons,
    phone: null,
    status: null,
    source: 'none',
    failedOpen: false,
    error,
    useCase: 'PWRT',
  };
}

describe('decisionToProblem', () => {
  it('answers 503 with Retry-After (whole seconds, at least 1) when no verdict could be had', () => {
    const r = decisionToProblem(
      blocked(['LOOKUP_FAILED', 'CIRCUIT_OPEN'], {
        code: 'CIRCUIT_OPEN',
        message: 'open',
        retryAfterMs: 1200,
      }),
    );
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('2');
    expect(
      decisionToProblem(blocked(['LOOKUP_FAILED'], { code: 'X', message: 'x' })).headers,
    ).not.toHaveProperty('retry-after');
  });

  it('answers 403 with the signal when the live status failed but the number was reassigned', () => {
    const r = decisionToProblem(
      blocked(['NUMBER_REASSIGNED', 'LOOKUP_FAILED'], {
        code: 'TELESIGN_UNAVAILABLE',
        message: 'down',
      }),
    );
    expect(r.status).toBe(403);
    expect(r.problem.code).toBe('NUMBER_REASSIGNED');
    expect(r.headers).not.toHaveProperty('retry-after');
  });

  it('keeps 503 when a signal that only flagged follows the failure', () => {
    const r = decisionToProblem(
      blocked(['LOOKUP_FAILED', 'REASSIGNMENT_UNKNOWN', 'SIM_SWAPPED'], {
        code: 'ADDON_UNAVAILABLE',
        message: 'down',
        retryAfterMs: 3000,
      }),
    );
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('3');
  });

  it('keeps 503 when only unknown signals accompany the failure', () => {
    const r = decisionToProblem(
      blocked(['LOOKUP_FAILED', 'REASSIGNMENT_UNKNOWN'], {
        code: 'TELESIGN_UNAVAILABLE',
        message: 'down',
      }),
    );
    expect(r.status).toBe(503);
    expect(r.problem.code).toBe('LOOKUP_FAILED');
  });
});

describe('decisionToProblem with identity signals', () => {
  it('names the signal that blocked, not an unknown one that only flags', () => {
    // A risk-4 SIM swap without lastVerifiedAt: the swap blocks, the reassignment flags.
    const r = decisionToProblem(blocked(['SIM_SWAPPED', 'REASSIGNMENT_UNKNOWN']));
    expect(r.status).toBe(403);
    expect(r.problem.code).toBe('SIM_SWAPPED');
  });
});
