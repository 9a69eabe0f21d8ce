/**
 * The Phone ID add-on endpoints: `POST /v1/phoneid/{n}` with a JSON body asking for
 * `number_deactivation` and / or `sim_swap`, and the legacy
 * `GET /v1/phoneid/number_deactivation/{n}?ucid=CODE`.
 */
import {
  type AddonBlocks,
  deactivationBlock,
  legacyDeactivationAnswer,
  phoneIdEnvelope,
  simSwapBlock,
} from './addon-blocks.js';
import { type AddonScenario, NO_EVENTS } from './addon-scenarios.js';
import type { LiveProfile } from './envelope.js';
import {
  authenticate,
  type Exchange,
  injectedFailure,
  type SandboxContext,
  sendErrorScenario,
} from './exchange.js';
import { sendFault } from './faults.js';
import { validDigits, validUseCase } from './live-route.js';
import { type PhoneIdRequest, readPhoneIdRequest } from './phoneid-request.js';
import { FAULT_SUCCESS_PROFILE, type Scenario } from './scenarios.js';

const DIGITS = /^\d{6,15}$/;

/** The standard Phone ID blocks of a number come from its live profile. */
const profileOf = (live: Scenario): LiveProfile =>
  live.kind === 'live' || live.kind === 'not-found' ? live.profile : FAULT_SUCCESS_PROFILE;

function blocksFor(
  request: Extract<PhoneIdRequest, { ok: true }>,
  scenario: Extract<AddonScenario, { kind: 'addons' }>,
  carrier: string | null,
  nowMs: number,
): AddonBlocks {
  const blocks: AddonBlocks = {};
  const { deactivation, simSwap } = request;
  if (deactivation) {
    blocks.number_deactivation = deactivationBlock(
      deactivation.problem ? { status: deactivation.problem } : scenario.deactivation,
      carrier,
      nowMs,
      deactivation.lastVerified,
    );
  }
  if (simSwap) {
    blocks.sim_swap = simSwapBlock(
      simSwap.problem ? { status: simSwap.problem } : scenario.simSwap,
      nowMs,
    );
  }
  return blocks;
}

/** Answers one `POST /v1/phoneid/{n}` request whose path named `segment`. */
export function handlePhoneId(ctx: SandboxContext, ex: Exchange, segment: string): void {
  const { reply, o } = ctx;
  if (ex.record.method !== 'POST') {
    reply.error(ex, 405, -40005, 'Method not allowed', 'method-not-allowed', 500, {
      allow: 'POST',
    });
    return;
  }
  if (DIGITS.test(segment)) ex.record.digits = segment;
  if (!authenticate(ctx, ex)) return;
  const digits = validDigits(ctx, ex, segment, 11000);
  if (digits === undefined) return;
  const request = readPhoneIdRequest(ex.body, ex.req.headers['content-type']);
  if (!request.ok) {
    reply.error(ex, 400, -10001, request.description, 'invalid-request');
    return;
  }

  const behaviour = ctx.behaviourOf(digits);
  ex.record.testNumber = behaviour.name;
  ex.record.pinned = behaviour.pinned;
  const scenario = behaviour.phoneid;
  const profile = profileOf(behaviour.live);
  const envelope = (s: Extract<AddonScenario, { kind: 'addons' }>, p: LiveProfile) =>
    phoneIdEnvelope(
      digits,
      p,
      blocksFor(request, s, p.carrier, o.now()),
      reply.referenceId(),
      o.now(),
    );
  switch (scenario.kind) {
    case 'error':
      sendErrorScenario(reply, ex, scenario);
      return;
    case 'fault':
      sendFault(ctx, ex, scenario.fault, {
        endpoint: 'phoneid',
        digits,
        envelope: () => envelope(NO_EVENTS, FAULT_SUCCESS_PROFILE),
        outcome: 'phoneid',
      });
      return;
    case 'addons':
      if (injectedFailure(ctx, ex)) return;
      reply.later(scenario.delayMs ?? 0, ex.res, () =>
        reply.json(ex, 200, JSON.stringify(envelope(scenario, profile)), 'phoneid'),
      );
      return;
  }
}

/** Answers one legacy `GET /v1/phoneid/number_deactivation/{n}` request. */
export function handleLegacyDeactivation(ctx: SandboxContext, ex: Exchange, segment: string): void {
  const { reply, o } = ctx;
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
  const scenario = behaviour.legacy;
  const answer = (s: Extract<AddonScenario, { kind: 'addons' }>) =>
    legacyDeactivationAnswer(
      s.deactivation,
      s.quirks === true,
      digits,
      reply.referenceId(),
      o.now(),
    );
  switch (scenario.kind) {
    case 'error':
      sendErrorScenario(reply, ex, scenario);
      return;
    case 'fault':
      sendFault(ctx, ex, scenario.fault, {
        endpoint: 'number-deactivation',
        digits,
        envelope: () => {
          const a = answer(NO_EVENTS);
          return a.kind === 'body' ? a.body : {};
        },
        outcome: 'number-deactivation',
      });
      return;
    case 'addons': {
      if (injectedFailure(ctx, ex)) return;
      reply.later(scenario.delayMs ?? 0, ex.res, () => {
        const a = answer(scenario);
        if (a.kind === 'error') {
          reply.error(ex, a.httpStatus, a.code, a.description, 'error', a.statusCode);
          return;
        }
        reply.json(ex, 200, JSON.stringify(a.body), 'number-deactivation');
      });
      return;
    }
  }
}
