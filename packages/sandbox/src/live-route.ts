/** `GET /v1/phoneid/live/{number}?ucid=CODE`: Telesign Phone ID Live. */
import { USE_CASES } from '@phone-guard/core';
import { type LiveProfile, notFoundEnvelope, successEnvelope } from './envelope.js';
import {
  authenticate,
  type Exchange,
  injectedFailure,
  type SandboxContext,
  sendErrorScenario,
} from './exchange.js';
import { sendFault } from './faults.js';
import { FAULT_SUCCESS_PROFILE } from './scenarios.js';

const DIGITS = /^\d{6,15}$/;
const USE_CASE_SET: ReadonlySet<string> = new Set(USE_CASES);

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

/** Answers one Live request whose path named `segment`. */
export function handleLive(ctx: SandboxContext, ex: Exchange, segment: string): void {
  const { reply, o, repeats } = ctx;
  if (ex.record.method !== 'GET') {
    reply.error(ex, 405, -40005, 'Method not allowed', 'method-not-allowed', 500, {
      allow: 'GET',
    });
    return;
  }
  if (DIGITS.test(segment)) ex.record.digits = segment;
  if (!authenticate(ctx, ex)) return;
  const digits = validDigits(ctx, ex, segment, -10001);
  if (digits === undefined || !validUseCase(ctx, ex)) return;

  const behaviour = ctx.behaviourOf(digits);
  ex.record.testNumber = behaviour.name;
  ex.record.pinned = behaviour.pinned;
  const scenario = behaviour.live;
  const sendLive = (profile: LiveProfile) => {
    repeats.record(digits, o.now());
    reply.json(
      ex,
      200,
      JSON.stringify(successEnvelope(digits, profile, reply.referenceId(), o.now())),
      'live',
    );
  };
  switch (scenario.kind) {
    case 'error':
      sendErrorScenario(reply, ex, scenario);
      return;
    case 'fault':
      sendFault(ctx, ex, scenario.fault, {
        endpoint: 'live',
        digits,
        envelope: () =>
          successEnvelope(digits, FAULT_SUCCESS_PROFILE, reply.referenceId(), o.now()),
        outcome: 'live',
        onSent: () => repeats.record(digits, o.now()),
      });
      return;
    case 'live':
    case 'not-found': {
      if (injectedFailure(ctx, ex)) return;
      const repeat = scenario.kind === 'live' && repeats.isRepeat(digits, o.now());
      if (scenario.kind === 'not-found' || repeat) {
        const body = notFoundEnvelope(digits, scenario.profile, reply.referenceId(), o.now());
        reply.json(
          ex,
          200,
          JSON.stringify(body),
          repeat ? 'repeat-not-found' : 'not-found',
          -60001,
        );
        return;
      }
      sendLive(scenario.profile);
      return;
    }
  }
}
