import { createHmac, randomBytes } from 'node:crypto';
import { normalizePhone } from '@phone-guard/core';
import type { Context } from 'koa';

/** An account as this example stores it. */
export interface Account {
  email: string;
  /**
   * When the user last proved this number: received a code on it, or registered it.
   * phone-guard compares it with the number's last deactivation.
   */
  phoneVerifiedAt: Date;
}

/** The account lookup of one request, kept in `ctx.state` so it runs once. */
export interface ResetLookup {
  /** The number as E.164, or `null` when the input is not a number (the guard answers 422). */
  e164: string | null;
  /** The account using it, or `null` (the answer must not tell). */
  account: Account | null;
  /** The date given to phone-guard: the account's, or the number's decoy date. */
  lastVerifiedAt: Date | undefined;
}

const DAY = 86_400_000;
/**
 * Decoy dates are fixed days from 2023-01-01 to 2025-12-31: a real account's date does not
 * move as time passes, so a decoy must not either (one computed back from "now" would,
 * and would give itself away over time).
 */
const DECOY_FIRST_DAY = Date.UTC(2023, 0, 1);
const DECOY_SPAN_DAYS = 1095;
/** A decoy is never more recent than this (in case the clock is early). */
const DECOY_MIN_AGE_DAYS = 30;

/**
 * A verification date for a number that has no account, so that its reset runs the same
 * checks (Live and the add-ons) and answers from the same range of outcomes as one that
 * has an account. Derived from the number with a secret: the same number always gets the
 * same date, on every instance sharing the secret and across restarts, as a real account
 * would, and no one without the secret can tell it apart.
 */
export function decoyVerifiedAt(e164: string, secret: Buffer, now = Date.now()): Date {
  const hash = createHmac('sha256', secret).update(e164).digest();
  const at = DECOY_FIRST_DAY + (hash.readUInt32BE(0) % DECOY_SPAN_DAYS) * DAY;
  const latest = now - DECOY_MIN_AGE_DAYS * DAY;
  return new Date(at <= latest ? at : latest - (latest % DAY));
}

/**
 * Looks the account up once per request: `getPhone` and `getLastVerifiedAt` both call
 * this, and the second call reads `ctx.state` instead of the database.
 */
export function createAccountLookup(
  accounts: ReadonlyMap<string, Account>,
  decoySecret: Buffer = randomBytes(32),
): (ctx: Context) => ResetLookup {
  return (ctx) => {
    const state = ctx.state as { reset?: ResetLookup };
    if (state.reset) return state.reset;
    const input: unknown = (ctx.request as { body?: { phone?: unknown } }).body?.phone;
    const normalized = normalizePhone(input);
    let lookup: ResetLookup = { e164: null, account: null, lastVerifiedAt: undefined };
    if (normalized.ok) {
      const e164 = normalized.phone.e164;
      const account = accounts.get(e164) ?? null;
      lookup = {
        e164,
        account,
        lastVerifiedAt: account?.phoneVerifiedAt ?? decoyVerifiedAt(e164, decoySecret),
      };
    }
    state.reset = lookup;
    return lookup;
  };
}
