import { maskPhone, type PhoneGuard } from '@phone-guard/core';
import { phoneGuard } from '@phone-guard/express';
import express, { type Express } from 'express';
import { SIGNUP_PAGE } from './page.js';

/** A created account (in memory: this is an example). */
interface Account {
  email: string;
  phone: string;
  needsReview: boolean;
}

/**
 * The example app: `GET /` serves a signup form, `POST /signup` creates an account unless
 * phone-guard blocks the number. A flagged number (handset unreachable, VoIP, status
 * unknown) still signs up, marked for review, which is where a real app would ask for a
 * second factor.
 */
export function createSignupApp(options: { guard: PhoneGuard }): Express {
  const accounts = new Map<string, Account>();
  const app = express();
  app.disable('x-powered-by');

  app.get('/', (_req, res) => {
    res.type('html').send(SIGNUP_PAGE);
  });

  app.post(
    '/signup',
    express.json(),
    express.urlencoded({ extended: false }),
    phoneGuard({ guard: options.guard }),
    (req, res) => {
      // phoneGuard() answered already if it blocked; here the decision is allow or flag.
      const decision = req.phoneGuard!;
      const email = typeof req.body?.email === 'string' ? req.body.email.trim() : '';
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
        res.status(422).type('application/problem+json').json({
          type: 'about:blank',
          title: 'Invalid email',
          status: 422,
          detail: 'An email address is required.',
          code: 'EMAIL_INVALID',
        });
        return;
      }
      const phone = decision.phone!.e164;
      const account = { email, phone, needsReview: decision.action === 'flag' };
      accounts.set(email, account);
      res.status(201).json({
        created: true,
        email,
        phone: maskPhone(phone),
        needsReview: account.needsReview,
        reasons: decision.reasons,
      });
    },
  );

  return app;
}
