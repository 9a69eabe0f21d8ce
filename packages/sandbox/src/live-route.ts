/** `GET /v1/phoneid/live/{number}?ucid=CODE`: Telesign Phone ID Live. */
import { type LiveProfile, notFoundEnvelope, successEnvelope } from './envelope.js';
import {
  type Exchange,
  injectedFailure,
  type SandboxContext,
  sendErrorScenario,
} from './exchange.js';
import { sendFault } from './faults.js';
import { acceptNumberRequest, behaviourFor, type NumberRoute } from './number-request.js';
import { FAULT_SUCCESS_PROFILE } from './scenarios.js';

const LIVE: NumberRoute = { method: 'GET', badNumberCode: -10001, useCase: true };

/** Answers one Live request whose path named `segment`. */
export function handleLive(ctx: SandboxContext, ex: Exchange, segment: string): void {
  const { reply, settings, repeats } = ctx;
  const digits = acceptNumberRequest(ctx, ex, segment, LIVE);
  if (digits === undefined) return;
  const scenario = behaviourFor(ctx, ex, digits).live;
  const sendLive = (profile: LiveProfile) => {
    repeats.record(digits, settings.now());
    reply.json(
      ex,
      200,
      JSON.stringify(successEnvelope(digits, profile, reply.referenceId(), settings.now())),
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
          successEnvelope(digits, FAULT_SUCCESS_PROFILE, reply.referenceId(), settings.now()),
        outcome: 'live',
        onSent: () => repeats.record(digits, settings.now()),
      });
      return;
    case 'live':
    case 'not-found': {
      if (injectedFailure(ctx, ex)) return;
      const repeat = scenario.kind === 'live' && repeats.isRepeat(digits, settings.now());
      if (scenario.kind === 'not-found' || repeat) {
        const body = notFoundEnvelope(
          digits,
          scenario.profile,
          reply.referenceId(),
          settings.now(),
        );
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
