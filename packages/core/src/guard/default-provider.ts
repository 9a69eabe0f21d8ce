import { PhoneGuardOptionError } from '../model/errors.js';
import type { LiveStatusProvider } from '../model/types.js';
import { createTelesignClient } from '../telesign/client.js';
import type { ResolvedGuardOptions } from './options.js';

const ENV_HINT =
  'pass `provider`, or `telesign: { customerId, apiKey }`, or set the TELESIGN_CUSTOMER_ID and TELESIGN_API_KEY environment variables';

/**
 * The Telesign client a guard creates when it is given no `provider`: credentials and base
 * URL from the `telesign` option, else from `TELESIGN_CUSTOMER_ID`, `TELESIGN_API_KEY` and
 * `TELESIGN_BASE_URL`; its deadline is the guard's `timeoutMs` unless `telesign.timeoutMs`
 * says otherwise. Throws {@link PhoneGuardOptionError} naming what is missing.
 */
export function createDefaultProvider(
  settings: Pick<ResolvedGuardOptions, 'telesign' | 'timeoutMs'>,
): LiveStatusProvider {
  const telesign = settings.telesign ?? {};
  const env = typeof process === 'undefined' ? {} : process.env;
  const customerId = telesign.customerId ?? (env.TELESIGN_CUSTOMER_ID || undefined);
  const apiKey = telesign.apiKey ?? (env.TELESIGN_API_KEY || undefined);
  const baseUrl = telesign.baseUrl ?? (env.TELESIGN_BASE_URL || undefined);
  if (customerId === undefined && apiKey === undefined) {
    throw new PhoneGuardOptionError(
      'provider',
      `is missing and no Telesign credentials were found: ${ENV_HINT}`,
    );
  }
  if (customerId === undefined) {
    throw new PhoneGuardOptionError(
      'telesign.customerId',
      'is missing (an API key was given without a customer id): pass it or set TELESIGN_CUSTOMER_ID',
    );
  }
  if (apiKey === undefined) {
    throw new PhoneGuardOptionError(
      'telesign.apiKey',
      'is missing (a customer id was given without an API key): pass it or set TELESIGN_API_KEY',
    );
  }
  return createTelesignClient(
    {
      ...telesign,
      customerId,
      apiKey,
      ...(baseUrl === undefined ? {} : { baseUrl }),
      timeoutMs: telesign.timeoutMs ?? settings.timeoutMs,
    },
    'telesign',
  );
}
