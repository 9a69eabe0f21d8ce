import type { LookupOptions } from '../model/types.js';
import type { PolicyOption } from '../policy/policy.js';

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
}
