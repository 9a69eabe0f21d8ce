import type { CountryCode } from 'libphonenumber-js/max';
import type { LookupOptions, UseCase } from '../model/types.js';
import { countryCodeOf } from '../normalize/country.js';
import { isUseCase, type PolicyOption } from '../policy/policy.js';
import type { GuardLog } from './guard-log.js';
import type { FailMode } from './options.js';
import type { FailureInfo } from './outcomes.js';
import type { PolicyHandle, RoutePolicies } from './route-policies.js';

/** How the caller acts on a decision; a label on the decision event (see {@link CheckOptions.mode}). */
export type CheckMode = 'block' | 'annotate' | 'shadow';

/** Longest `route` label carried to the decision event; longer ones are cut. */
export const MAX_ROUTE_LABEL = 128;

/** Options of one `check()`. */
export interface CheckOptions extends LookupOptions {
  /** Overrides the guard's `failMode` for this call. */
  failMode?: 'open' | 'closed' | undefined;
  /**
   * The policy of this call instead of the guard's (`'signup'`, `'passwordReset'`, a rules
   * object or a function), so that one guard — one cache, one budget, one breaker, one
   * Telesign client — serves routes with different policies. Statuses are cached per
   * number whatever the policy; only the verdict differs. Each distinct value (preset
   * name, or object/function identity) is validated and resolved once, on first use, and
   * remembered: later changes to the same object are not seen. The use case of a check
   * that names none follows this policy (`PWRT` for `'passwordReset'`, `BACS` for
   * `'signup'`, a rules object's `useCase` or `extends` preset); a policy that names no
   * use case (a function, or rules without `useCase`/`extends`) keeps the guard's. A value
   * the guard's `policy` option would reject does not throw: the check follows the fail
   * mode with error code `POLICY_INVALID` and reason `LOOKUP_FAILED`, without a look-up.
   * @default undefined (the guard's `policy`)
   */
  policy?: PolicyOption | undefined;
  /**
   * The country of a number written without its country code (`07400 123456`), as the
   * request gives it — a country picker, a header — hence `unknown`. Request data, not an option:
   * case-insensitive (`'gb'` works), and anything that is not a country code
   * libphonenumber knows (`'XX'`, `'T1'`, `'ZZ'`, `'EU'`, `'UK'`, `''`, a non-string)
   * counts as not given and never throws. When given, it replaces the guard's
   * `defaultCountry` for this check; when not, the guard's applies. A number starting
   * with `+` or `00` never needs it; a national number without any usable country is
   * blocked with `PHONE_INVALID` and error code `PHONE_COUNTRY_REQUIRED`.
   * `allowedCountries` still applies.
   * @default undefined (the guard's `defaultCountry`)
   * @example
   * ```ts
   * await guard.check(req.body.phone, { defaultCountry: req.body.country });
   * ```
   */
  defaultCountry?: unknown;
  /**
   * When the user last proved they own this number (received a code on it, or
   * registered it): a `Date`, an ISO 8601 string (a date is midnight UTC; a date-time
   * without a zone is UTC) or epoch milliseconds. Lets a policy that asks for the
   * number-deactivation signal (`passwordReset`) tell whether the number was deactivated,
   * and so possibly reassigned, since then; compared by UTC calendar day, the same day
   * counting as "since". Request data: never throws. A value that is not a date (`NaN`,
   * an unparseable string, another type, anything before 2000 such as epoch seconds) or
   * more than 5 minutes in the future makes the verdict `unknown`
   * (`LAST_VERIFIED_AT_INVALID`, `LAST_VERIFIED_AT_IN_FUTURE`), warned once; without
   * it the verdict is `unknown` (`NO_LAST_VERIFIED_AT`) and the add-on is not asked.
   * Ignored by policies that do not ask for the signal.
   * @default undefined (not known: reassignment cannot be judged)
   * @example
   * ```ts
   * await guard.check(account.phone, { lastVerifiedAt: account.phoneVerifiedAt });
   * ```
   */
  lastVerifiedAt?: Date | string | number | undefined;
  /**
   * A label naming the route that asks, carried as `route` on the `decision` channel's
   * event (and so to `@phone-guard/opentelemetry`'s `http.route`). Use the route
   * pattern (`'/signup'`, `'/users/:id/phone'`), never the raw URL: each distinct value
   * becomes a metric series, and raw paths may hold numbers. Never changes the decision.
   * Cut to 128 characters; a value that is not a non-empty string is ignored (warned once).
   * The Express and Koa adapters pass their route here.
   * @default undefined (no route on the event)
   */
  route?: string | undefined;
  /**
   * How the caller acts on the decision: `'block'` (refuses blocked requests),
   * `'annotate'` (only records the decision) or `'shadow'` (a rollout that only counts
   * what it would have refused). A label carried as `mode` on the `decision` event; it
   * never changes the decision. In `'shadow'`, a `block` decision is also counted in
   * `stats().wouldBlock` under its first reason. An unknown value is ignored (warned once).
   * The Express and Koa adapters pass their `mode` here.
   * @default undefined (no mode on the event)
   */
  mode?: CheckMode | undefined;
  /**
   * With `mode: 'shadow'`: the share of numbers, from 0 to 1, that the caller enforces
   * (blocks) during a gradual rollout, the rest staying in shadow. Chosen per number by a
   * hash of its E.164 form (see `isEnforced`), so one number always gets the same
   * treatment, and raising the share keeps every number already enforced. The decision
   * event of an enforced number says `mode: 'block'` and is not counted in `wouldBlock`.
   * Ignored in other modes; a value outside 0–1 is ignored (warned once).
   * @default 0 (every number in shadow)
   */
  enforce?: number | undefined;
}

/**
 * One call's options, read and checked. Request-borne values never throw: a malformed
 * one is ignored (warned once) and the guard's default applies.
 */
export interface CheckCall {
  /** The use case named by the call, if any (else the policy's). */
  useCase: UseCase | undefined;
  signal: AbortSignal | undefined;
  failMode: FailMode;
  /** The policy of the call, or why the per-call policy cannot be used. */
  policy: PolicyHandle | FailureInfo;
  /** The call's usable default country, if any (else the guard's). */
  country: CountryCode | undefined;
  /** The call's `route` label, checked and cut to {@link MAX_ROUTE_LABEL}. */
  route: string | undefined;
  /** The call's `mode` label. */
  mode: CheckMode | undefined;
  /** The enforced share of a shadow rollout (0 outside shadow mode). */
  enforce: number;
  /** The call's `lastVerifiedAt` as given (request data: read by the signal path only). */
  lastVerifiedAt: unknown;
}

/**
 * Reads `check()` options. {@link read} returns one reused object, so that checks with
 * options stay allocation-free: copy its fields out at once (a policy function may call
 * `check()` again).
 */
export class CheckOptionsReader {
  private readonly defaults: Readonly<CheckCall>;
  private readonly call: CheckCall;

  constructor(
    failMode: FailMode,
    private readonly policies: RoutePolicies,
    private readonly log: GuardLog,
  ) {
    const defaults: CheckCall = {
      useCase: undefined,
      signal: undefined,
      failMode,
      policy: policies.guardDefault,
      country: undefined,
      route: undefined,
      mode: undefined,
      enforce: 0,
      lastVerifiedAt: undefined,
    };
    this.defaults = Object.freeze(defaults);
    this.call = { ...defaults };
  }

  /** The call's options; the guard's defaults for anything missing or malformed. */
  read(options: unknown): Readonly<CheckCall> {
    if (typeof options !== 'object' || options === null) return this.defaults;
    const given = options as CheckOptions;
    const call = this.call;
    call.useCase = this.useCase(given.useCase);
    call.signal = this.signal(given.signal);
    call.failMode = this.failMode(given.failMode);
    const policy: unknown = given.policy;
    call.policy = policy === undefined ? this.defaults.policy : this.policies.handleFor(policy);
    const country: unknown = given.defaultCountry;
    call.country = country === undefined ? undefined : countryCodeOf(country);
    const route: unknown = given.route;
    call.route = route === undefined ? undefined : this.route(route);
    const mode: unknown = given.mode;
    call.mode = mode === undefined ? undefined : this.mode(mode);
    const enforce: unknown = given.enforce;
    call.enforce = call.mode === 'shadow' && enforce !== undefined ? this.enforce(enforce) : 0;
    call.lastVerifiedAt = given.lastVerifiedAt;
    return call;
  }

  private route(value: unknown): string | undefined {
    if (typeof value === 'string' && value !== '') {
      return value.length > MAX_ROUTE_LABEL ? value.slice(0, MAX_ROUTE_LABEL) : value;
    }
    this.log.warnOnce(
      'route',
      'phone-guard: check() ignored a route that is not a non-empty string',
    );
    return undefined;
  }

  private mode(value: unknown): CheckMode | undefined {
    if (value === 'block' || value === 'annotate' || value === 'shadow') return value;
    this.log.warnOnce(
      'mode',
      "phone-guard: check() ignored a mode other than 'block', 'annotate' or 'shadow'",
    );
    return undefined;
  }

  private enforce(value: unknown): number {
    if (typeof value === 'number' && value >= 0 && value <= 1) return value;
    this.log.warnOnce('enforce', 'phone-guard: check() ignored an enforce share outside 0 to 1');
    return 0;
  }

  private useCase(value: unknown): UseCase | undefined {
    if (value === undefined || isUseCase(value)) return value;
    this.log.warnOnce(
      'useCase',
      `phone-guard: check() ignored an unknown useCase; using the policy's or the guard's default`,
    );
    return undefined;
  }

  private signal(value: unknown): AbortSignal | undefined {
    if (value === undefined || value instanceof AbortSignal) return value;
    this.log.warnOnce('signal', 'phone-guard: check() ignored a signal that is not an AbortSignal');
    return undefined;
  }

  private failMode(value: unknown): FailMode {
    if (value === 'open' || value === 'closed') return value;
    if (value !== undefined) {
      this.log.warnOnce(
        'failMode',
        `phone-guard: check() ignored an unknown failMode; using '${this.defaults.failMode}'`,
      );
    }
    return this.defaults.failMode;
  }
}
