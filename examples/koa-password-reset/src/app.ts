import { bodyParser } from '@koa/bodyparser';
import { maskPhone, type PhoneGuard } from '@phone-guard/core';
import { phoneGuard } from '@phone-guard/koa';
import Koa from 'koa';

/** Where the reset code of one request went (in memory: this is an example). */
export interface SentCode {
  phone: string;
  channel: 'sms' | 'email';
}

/**
 * The example app: `POST /password-reset` with `{ phone }`. phone-guard (the
 * `passwordReset` preset, ucid PWRT) runs first:
 * - a number that is no longer in service gets no code (it may already belong to someone
 *   else): 403 problem+json, with a pointer to email recovery;
 * - a flagged number (roaming, handset unreachable, VoIP, status unknown) gets the code
 *   by email instead of SMS;
 * - otherwise the code goes by SMS.
 * The answer never says whether an account exists for the number.
 */
export function createPasswordResetApp(options: {
  guard: PhoneGuard;
  accounts: ReadonlyMap<string, { email: string }>;
}): { app: Koa; sent: SentCode[] } {
  const sent: SentCode[] = [];
  const app = new Koa();
  app.use(bodyParser());
  const guard = phoneGuard({
    guard: options.guard,
    onBlocked(ctx, decision) {
      const disconnected = decision.reasons.includes('SUBSCRIBER_DISCONNECTED');
      ctx.status = decision.reasons.includes('PHONE_INVALID') ? 422 : disconnected ? 403 : 503;
      ctx.type = 'application/problem+json';
      ctx.body = {
        type: 'about:blank',
        title: disconnected ? 'Number no longer in service' : 'Cannot send a reset code',
        status: ctx.status,
        detail: disconnected
          ? 'This phone number is no longer in service, so no code was sent. Recover your account by email instead.'
          : 'No reset code can be sent to this number right now.',
        code: decision.reasons[0],
        recovery: '/password-reset/email',
      };
    },
  });

  app.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/password-reset') {
      await guard(ctx, async () => {
        const decision = ctx.state.phoneGuard;
        const phone = decision.phone!.e164;
        const account = options.accounts.get(phone);
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
