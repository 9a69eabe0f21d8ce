/**
 * `guard.verify()`: one look-up made at start-up to prove that the provider is reachable
 * and accepts the credentials, so that a wrong key stops a deploy instead of failing
 * every check open.
 */
import { faultOf, isPhoneGuardError, PhoneGuardOptionError } from '../model/errors.js';
import type { LiveStatusProvider } from '../model/types.js';
import { normalizePhone } from '../normalize/normalize.js';
import { guardError } from './error-codes.js';

/**
 * The number `verify()` looks up unless told otherwise: in the range the North American
 * numbering plan reserves for fiction (555-0100 … 555-0199), so no subscriber is asked
 * about. Telesign authenticates the request like any other and then answers about the
 * number (or that it knows nothing about it).
 */
export const VERIFY_PHONE = '+12025550100';

/** Options of {@link PhoneGuard.verify}. */
export interface VerifyOptions {
  /**
   * The number to look up (E.164). Every real look-up is billed: this is one.
   * @default '+12025550100'
   */
  phone?: string | undefined;
  /** Cancels the look-up. */
  signal?: AbortSignal | undefined;
}

/** What {@link PhoneGuard.verify} resolves with. */
export interface VerifyResult {
  /** How long the look-up took, in milliseconds. */
  readonly latencyMs: number;
  /**
   * `true` when the provider answered with a status; `false` when it refused the number
   * itself (an answer about one number still proves the credentials were accepted).
   */
  readonly answered: boolean;
}

/**
 * Makes one look-up through `provider`, outside the breaker and the budget. Resolves when
 * the credentials were accepted; rejects with the provider's error when they were not, or
 * when the provider cannot be reached (`fault` says which: `config` or `upstream`), and
 * with `LOOKUP_TIMEOUT` after `timeoutMs`.
 */
export async function verifyProvider(
  provider: LiveStatusProvider,
  timeoutMs: number,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const normalized = normalizePhone(options.phone ?? VERIFY_PHONE);
  if (!normalized.ok) {
    throw new PhoneGuardOptionError(
      'phone',
      `of verify() is not usable: ${normalized.error.message}`,
    );
  }
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal =
    options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
  const started = performance.now();
  try {
    await provider.getLiveStatus(normalized.phone.e164, { signal });
    return { latencyMs: performance.now() - started, answered: true };
  } catch (error) {
    if (isPhoneGuardError(error) && faultOf(error) === 'request') {
      return { latencyMs: performance.now() - started, answered: false };
    }
    if (deadline.aborted && options.signal?.aborted !== true) {
      throw guardError(
        'LOOKUP_TIMEOUT',
        `verify(): no answer within ${timeoutMs} ms.`,
        'upstream',
        error,
      );
    }
    throw error;
  }
}
