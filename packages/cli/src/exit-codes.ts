/** Exit codes of the `phone-guard` command. */
export const EXIT = Object.freeze({
  /** The deciding preset allows the number; also `--help`. */
  allowed: 0,
  /** The deciding preset blocks the number. */
  blocked: 1,
  /** The deciding preset flags the number (allowed with a warning): same code as blocked. */
  flagged: 1,
  /** A usage error (bad option, missing credentials, bad configuration). */
  usage: 2,
  /** The input is not a valid phone number: same code as a usage error. */
  invalid: 2,
  /** The look-up failed (timeout, network, Telesign error, open circuit): no decision. */
  lookupFailed: 3,
  /**
   * @deprecated The 1.0 name for every failure; now `usage` or `invalid` (2), and a failed
   * look-up exits with `lookupFailed` (3). Kept so that scripts comparing with it still run.
   */
  error: 2,
});

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
