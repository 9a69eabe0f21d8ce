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
  type Exchange,
  injectedFailure,
  type SandboxContext,
  sendErrorScenario,
} from './exchange.js';
import { sendFault } from './faults.js';
import { acceptNumberRequest, behaviourFor, type NumberRoute } from './number-request.js';
import { type PhoneIdRequest, readPhoneIdRequest } from './phoneid-request.js';
import { FAULT_SUCCESS_PROFILE, type Scenario } from './scenarios.js';

const PHONE_ID: NumberRoute = { method: 'POST', badNumberCode: 11000, useCase: false };
const LEGACY_DEACTIVATION: NumberRoute = { method: 'GET', badNumberCode: -10001, useCase: true };

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
  const { reply, settings } = ctx;
  const digits = acceptNumberRequest(ctx, ex, segment, PHONE_ID);
  if (digits === undefined) return;
  const request = readPhoneIdRequest(ex.body, ex.req.headers['content-type']);
  if (!request.ok) {
    reply.error(ex, 400, -10001, request.description, 'invalid-request');
    return;
  }

  const behaviour = behaviourFor(ctx, ex, digits);
  const scenario = behaviour.phoneid;
  const profile = profileOf(behaviour.live);
  const envelope = (s: Extract<AddonScenario, { kind: 'addons' }>, p: LiveProfile) =>
    phoneIdEnvelope(
      digits,
      p,
      blocksFor(request, s, p.carrier, settings.now()),
      reply.referenceId(),
      settings.now(),
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
  const { reply, settings } = ctx;
  const digits = acceptNumberRequest(ctx, ex, segment, LEGACY_DEACTIVATION);
  if (digits === undefined) return;
  const scenario = behaviourFor(ctx, ex, digits).legacy;
  const answer = (s: Extract<AddonScenario, { kind: 'addons' }>) =>
    legacyDeactivationAnswer(
      s.deactivation,
      s.quirks === true,
      digits,
      reply.referenceId(),
      settings.now(),
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
