/**
 * What every number route checks first, in Telesign's order: the method (405), the
 * credentials (401), the number in the path (400) and, for the GET products, the use case
 * (400). Each failed check answers the request; the route goes on only with the digits.
 */
import { USE_CASES } from '@phone-guard/core';
import {
  authenticate,
  type Exchange,
  type ResolvedBehaviour,
  type SandboxContext,
} from './exchange.js';

const DIGITS = /^\d{6,15}$/;
const USE_CASE_SET: ReadonlySet<string> = new Set(USE_CASES);

/** How one number route is called. */
export interface NumberRoute {
  /** The only method it answers (others: 405 -40005 with `allow`). */
  readonly method: 'GET' | 'POST';
  /** The Telesign code of its 400 for a path that is not 6–15 digits. */
  readonly badNumberCode: number;
  /** Whether it needs a known `ucid` query parameter (400 -10001 without one). */
  readonly useCase: boolean;
}

/**
 * Checks the use case of a Live or legacy request; answers 400 -10001 and returns `false`
 * when it is missing or unknown.
 */
export function validUseCase(ctx: SandboxContext, ex: Exchange): boolean {
  const ucid = ex.url.searchParams.get('ucid');
  if (ucid !== null && USE_CASE_SET.has(ucid)) return true;
  ctx.reply.error(
    ex,
    400,
    -10001,
    `Invalid Request: ucid ${ucid === null ? 'is missing' : 'is not a supported use case'} (one of ${USE_CASES.join(', ')})`,
    'invalid-request',
  );
  return false;
}

/**
 * Checks the number segment of a path (recording it) after authentication; answers 400
 * with `code` and returns `undefined` when it is not 6–15 digits.
 */
export function validDigits(
  ctx: SandboxContext,
  ex: Exchange,
  segment: string,
  code: number,
): string | undefined {
  if (DIGITS.test(segment)) return segment;
  ctx.reply.error(
    ex,
    400,
    code,
    'Invalid Request: complete_phone_number must be 6 to 15 digits (country code included, no "+")',
    'invalid-request',
  );
  return undefined;
}

/**
 * Runs the checks of `route` on a request whose path named `segment`: returns the
 * number's digits, or `undefined` once the request has been answered with the failure.
 */
export function acceptNumberRequest(
  ctx: SandboxContext,
  ex: Exchange,
  segment: string,
  route: NumberRoute,
): string | undefined {
  if (ex.record.method !== route.method) {
    ctx.reply.error(ex, 405, -40005, 'Method not allowed', 'method-not-allowed', 500, {
      allow: route.method,
    });
    return undefined;
  }
  if (DIGITS.test(segment)) ex.record.digits = segment;
  if (!authenticate(ctx, ex)) return undefined;
  const digits = validDigits(ctx, ex, segment, route.badNumberCode);
  if (digits === undefined || (route.useCase && !validUseCase(ctx, ex))) return undefined;
  return digits;
}

/** What `digits` answers (pin, test row or synthetic), recorded on the request. */
export function behaviourFor(ctx: SandboxContext, ex: Exchange, digits: string): ResolvedBehaviour {
  const behaviour = ctx.behaviourOf(digits);
  ex.record.testNumber = behaviour.name;
  ex.record.pinned = behaviour.pinned;
  return behaviour;
}
