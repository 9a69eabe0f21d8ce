/**
 * The sandbox's default credentials. They are fixed and public on purpose: the sandbox
 * only listens on loopback by default and never talks to Telesign, so tests, examples
 * and demos can hard-code them.
 */

/**
 * The customer id the sandbox accepts unless `customerId` is given (the shape of a
 * Telesign customer id; not a real account).
 */
export const SANDBOX_CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';

/**
 * The API key the sandbox accepts unless `apiKey` is given: standard base64, like a
 * Telesign key, so Digest (TSA HMAC-SHA256) signing works with it. Not a secret.
 */
export const SANDBOX_API_KEY = 'cGhvbmUtZ3VhcmQgc2FuZGJveCBBUEkga2V5IC0gbm90IGEgc2VjcmV0IQ==';
