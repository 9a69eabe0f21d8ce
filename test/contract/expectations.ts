/**
 * What the contract suites assert about a response: that the route behind the guard was
 * reached (and with which decision), or that the guard answered with a problem+json body
 * that never contains the number.
 */
import type { Decision } from '@phone-guard/core';
import { TEST_NUMBERS } from '@phone-guard/sandbox';
import type { Response } from 'supertest';
import { expect } from 'vitest';
import type { Reached } from './harnesses.js';

export const JSON_TYPE = /^application\/json; charset=utf-8$/;
export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** The local digits of a test number, which must never appear in a problem body. */
export function digitsOf(phone: string): string {
  return phone.slice(-7);
}

/** Asserts the handler behind the guard ran; `expected` is matched against the decision. */
export function expectReached(res: Response, expected: object | null): Decision | null {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(JSON_TYPE);
  const body = res.body as Reached;
  expect(body.reached).toBe(true);
  if (expected === null) expect(body.phoneGuard).toBeNull();
  else expect(body.phoneGuard).toMatchObject(expected);
  return body.phoneGuard;
}

/** Asserts an `application/problem+json` answer with this status and first reason. */
export function expectProblem(
  res: Response,
  status: 403 | 422 | 503,
  code: string,
  extra: Record<string, unknown> = {},
): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  expect(res.headers['cache-control']).toBe('no-store');
  const kind = { 403: 'phone-blocked', 422: 'invalid-phone', 503: 'lookup-unavailable' }[status];
  expect(res.body).toMatchObject({
    type: `urn:phone-guard:problem:${kind}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
    reasons: expect.arrayContaining([code]),
    ...extra,
  });
  for (const phone of Object.values(TEST_NUMBERS)) expect(res.text).not.toContain(digitsOf(phone));
}
