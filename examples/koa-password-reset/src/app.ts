import { bodyParser } from '@koa/bodyparser';
import { decisionToProblem, maskPhone, type PhoneGuard } from '@phone-guard/core';
import { phoneGuard } from '@phone-guard/koa';
import Koa from 'koa';
import { type Account, createAccountLookup } from './accounts.js';

export type { Account } from './accounts.js';

/** Where the reset code of one request went (in memory: this is an example). */
export interface SentCode {
  phone: string;
  channel: 'sms' | 'email';
}

/**
 * The example app: `POST /password-reset` with `{ phone }`. The account is looked up once
 * per request, and phone-guard (the `passwordReset` preset, ucid PWRT) gets both the number
 * and the date the user last proved it:
 * - a number that is no longer in service, was deactivated (possibly handed to someone
 *   else) since that date, or whose SIM was swapped within 72 hours gets no code: 403
 *   problem+json with the reason, and a pointer to another factor (email recovery);
 * - a flagged number (roaming, handset unreachable, VoIP, status or reassignment unknown,
 *   a SIM swap within 14 days) gets the code by email instead of SMS;
 * - otherwise the code goes by SMS.
 * The answer never says whether an account exists for the number: a number without one
 * runs the same checks, with a decoy date (see `decoyVerifiedAt`), and gets the same
 * answers.
 */
export function createPasswordResetApp(options: {
  guard: PhoneGuard;
  accounts: ReadonlyMap<string, Account>;
  /** Secret of the decoy dates; keep it fixed across restarts in production. @default random */
  decoySecret?: Buffer;
}): { app: Koa; sent: SentCode[] } {
  const sent: SentCode[] = [];
  const app = new Koa();
  app.use(bodyParser());
  const lookup = createAccountLookup(options.accounts, options.decoySecret);
  const guard = phoneGuard({
    guard: options.guard,
    getPhone: (ctx) =>
      lookup(ctx).e164 ?? (ctx.request as { body?: { phone?: unknown } }).body?.phone,
    getLastVerifiedAt: (ctx) => lookup(ctx).lastVerifiedAt,
    onBlocked(ctx, decision) {
      // The built-in problem (422 invalid, 403 blocked with the reason as `code`, 503 when
      // no answer could be had), plus where to go instead.
      const { status, headers, problem } = decisionToProblem(decision);
      ctx.status = status;
      ctx.body = status === 403 ? { ...problem, recovery: '/password-reset/email' } : problem;
      ctx.set(headers); // after the body, which would set application/json
    },
  });

  app.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/password-reset') {
      await guard(ctx, async () => {
        const decision = ctx.state.phoneGuard;
        if (decision === undefined) throw new Error('phoneGuard() called next without a decision');
        const phone = decision.phone!.e164;
        const { account } = lookup(ctx);
        const channel = decision.action === 'flag' ? 'email' : 'sms';
        if (account) sent.push({ phone, channel });
        ctx.status = 202;
        ctx.body = {
          accepted: true,
          channel,
          phone: maskPhone(phone),
          message:
            channel === 'sms'
              ? 'If an account uses this number, a reset code is on its way by SMS.'
              : 'If an account uses this number, a reset code is on its way to its email address.',
        };
      });
      return;
    }
    await next();
  });
  return { app, sent };
}
