import { maskPhone, type PhoneGuard } from '@phone-guard/core';
import { phoneGuard } from '@phone-guard/express';
import express, { type Express, type RequestHandler } from 'express';
import { SIGNUP_PAGE } from './page.js';

/** A created account (in memory: this is an example). */
interface Account {
  email: string;
  phone: string;
  needsReview: boolean;
}

/** Answers 422 problem+json unless the body has an email: checked before the (billed) look-up. */
const requireEmail: RequestHandler = (req, res, next) => {
  const email: unknown = req.body?.email;
  if (typeof email === 'string' && /^[^@\s]+@[^@\s]+$/.test(email.trim())) {
    next();
    return;
  }
  res.status(422).type('application/problem+json').json({
    type: 'about:blank',
    title: 'Invalid email',
    status: 422,
    detail: 'An email address is required.',
    code: 'EMAIL_INVALID',
  });
};

/**
 * The example app: `GET /` serves a signup form, `POST /signup` creates an account unless
 * phone-guard blocks the number. The form posts a country (`country`, from a picker) next
 * to the number, so a national number (`GB` + `07400 123456`) is understood; a `+` number
 * works whatever the country says. A flagged number (handset unreachable, VoIP, status
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
    requireEmail,
    phoneGuard({ guard: options.guard, countryField: 'country' }),
    (req, res) => {
      // phoneGuard() answered already if it blocked; here the decision is allow or flag.
      const decision = req.phoneGuard!;
      const email = (req.body.email as string).trim();
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
