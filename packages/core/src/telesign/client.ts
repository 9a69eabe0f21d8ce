/**
 * The Telesign client: validated options (client-options.ts), one shared transport
 * (transport.ts: signing, deadline, attempts, back-off, body cap, envelope, errors) and one
 * module per product on top of it (phoneid-live.ts, phoneid-addons.ts).
 */
import type {
  PhoneIdAddons,
  PhoneIdAddonsOptions,
  PhoneIdAddonsProvider,
} from '../model/identity-signals.js';
import type { LiveStatus, LiveStatusProvider, LookupOptions } from '../model/types.js';
import { resolveClientOptions, type TelesignClientOptions } from './client-options.js';
import { createPhoneIdAddonsLookup } from './phoneid-addons.js';
import { createLiveStatusLookup } from './phoneid-live.js';
import { createTelesignTransport } from './transport.js';

export {
  DEFAULT_TELESIGN_BASE_URL,
  type TelesignAddonsEndpoint,
  type TelesignClientOptions,
} from './client-options.js';

/** A Telesign client: Phone ID Live and the Phone ID add-ons, on one connection pool. */
export interface TelesignClient extends LiveStatusProvider, PhoneIdAddonsProvider {
  /**
   * Looks up one number (E.164 such as `+14155552671`, or its digits `14155552671`).
   * Resolves with a {@link LiveStatus} (UNKNOWN fields for -60001); rejects with a
   * `TelesignError` whose `code` says what went wrong.
   */
  getLiveStatus(phone: string, options?: LookupOptions): Promise<LiveStatus>;
  /**
   * Asks the Phone ID add-ons (number deactivation, SIM swap, or both) about one number.
   * Resolves with a record per add-on asked for, whose `status.outcome` says whether it
   * holds data (`'data'`), nothing usable (`'unknown'`, `'retryable'`), or a problem to log
   * (`'config_error'`: the add-on is not enabled; `'bug'`). Rejects with a `TelesignError`
   * when the request as a whole fails (same errors, retries and deadline as
   * `getLiveStatus`), and with `PhoneGuardOptionError` for malformed options, including
   * asking for no add-on at all. Every request is billed per add-on.
   *
   * @example
   * ```ts
   * const addons = await telesign.getPhoneIdAddons('+14155552671', {
   *   numberDeactivation: { lastVerifiedAt: new Date('2024-03-11T07:30:00Z') },
   *   simSwap: true,
   * });
   * addons.simSwap?.risk; // 1 … 4, or null
   * ```
   */
  getPhoneIdAddons(phone: string, options: PhoneIdAddonsOptions): Promise<PhoneIdAddons>;
  /**
   * Refuses new calls, lets in-flight ones finish (each is bounded by `timeoutMs`), then
   * closes the client's own pool. Idempotent. An injected `dispatcher` stays open.
   */
  close(): Promise<void>;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Creates a Telesign client. Options are validated here, once (`PhoneGuardOptionError` for
 * unknown keys and impossible values).
 *
 * @param options the client's options (see {@link TelesignClientOptions}).
 * @param optionPath where `options` sit inside a larger options object, so that errors name
 *   the full path (`createPhoneGuard` passes `'telesign'`: `telesign.retry.attempts`).
 *   @default '' (top level)
 *
 * @example
 * ```ts
 * import { createTelesignClient } from '@phone-guard/core';
 *
 * const telesign = createTelesignClient({
 *   customerId: process.env.TELESIGN_CUSTOMER_ID!,
 *   apiKey: process.env.TELESIGN_API_KEY!,
 * });
 * const status = await telesign.getLiveStatus('+14155552671', { useCase: 'BACS' });
 * if (status.subscriberStatus === 'DISCONNECTED') { … }
 * await telesign.close();
 * ```
 */
export function createTelesignClient(
  options: TelesignClientOptions,
  optionPath = '',
): TelesignClient {
  const { credentials, ...config } = resolveClientOptions(options, optionPath);
  const { displayBaseUrl } = config;
  const { authMethod } = credentials;
  // From here on the key lives only inside the transport's signer.
  const transport = createTelesignTransport({ ...config, credentials });
  const getLiveStatus = createLiveStatusLookup(transport, {
    useCase: config.useCase,
    contentType: config.contentType,
  });
  const getPhoneIdAddons = createPhoneIdAddonsLookup(transport, {
    endpoint: config.addonsEndpoint,
    contentType: config.contentType,
    now: config.now,
  });

  const client: TelesignClient = {
    getLiveStatus(phone: string, lookupOptions?: LookupOptions): Promise<LiveStatus> {
      return getLiveStatus(phone, lookupOptions);
    },
    getPhoneIdAddons(phone: string, addonOptions: PhoneIdAddonsOptions): Promise<PhoneIdAddons> {
      return getPhoneIdAddons(phone, addonOptions);
    },
    close(): Promise<void> {
      return transport.close();
    },
  };
  Object.defineProperty(client, INSPECT, {
    value: () =>
      `TelesignClient { baseUrl: '${displayBaseUrl}', authMethod: '${authMethod}', closed: ${transport.closed} }`,
  });
  Object.defineProperty(client, 'toJSON', {
    value: () => ({ baseUrl: displayBaseUrl, authMethod }),
  });
  return Object.freeze(client);
}
