/**
 * Text that came from upstream (a response body, Telesign's error descriptions) is
 * untrusted: a proxy or a misbehaving gateway may echo the request's `Authorization`
 * header, the API key, or the number looked up. Everything read from a response passes
 * through here before it can reach an error, a decision, a log line or an event.
 */
import { maskPhone } from '../model/mask.js';

/** 7 or more digits, optionally after "+" and separated by single spaces, dots, dashes or parentheses. */
const PHONE_LIKE = /\+?\d(?:[\s().-]?\d){6,}/g;

/** An `Authorization` value (`Basic …`, `TSA id:signature`) inside some text. */
const AUTHORIZATION_VALUE = /\b(Basic|TSA)(\s+|\\?"?\s*:\s*\\?"?)[A-Za-z0-9+/=._:~-]+/gi;

/** Shortest credential form worth searching for (shorter ones would match ordinary text). */
const MIN_SECRET_LENGTH = 8;

/** Anything that could be a phone number, masked (`+1415*****71`). */
export function maskPhoneLike(text: string): string {
  return text.replace(PHONE_LIKE, (match) => maskPhone(match));
}

/** `Authorization` values redacted and phone-like digits masked. */
export function redactUpstreamText(text: string): string {
  return maskPhoneLike(text.replace(AUTHORIZATION_VALUE, '$1 [redacted]'));
}

/**
 * A function that removes this client's own credentials from upstream text, in every
 * form a proxy could echo them: the API key, `customerId:apiKey`, and its base64 (the
 * Basic credential). Built once per client; the secrets stay in its closure.
 */
export function createSecretScrubber(customerId: string, apiKey: string): (text: string) => string {
  const secrets = [
    apiKey,
    `${customerId}:${apiKey}`,
    Buffer.from(`${customerId}:${apiKey}`, 'utf8').toString('base64'),
  ].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  return (text) => {
    let clean = text;
    for (const secret of secrets) {
      if (clean.includes(secret)) clean = clean.split(secret).join('[redacted]');
    }
    return clean;
  };
}
