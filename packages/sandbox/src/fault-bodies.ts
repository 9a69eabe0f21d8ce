/** The bodies the fault test numbers send. */

/** Size of the `faultOversized` body: exactly 4 MiB. */
export const OVERSIZED_BODY_BYTES = 4 * 1024 * 1024;

/** Looks like the start of Telesign's envelope but is not JSON (an unquoted string). */
export const MALFORMED_JSON_BODY =
  '{"reference_id":"F0000000000000000000000000000000","status":{"code":300,"description":Transaction successfully completed}}';

/** Valid JSON without Telesign's envelope (no `status`, `errors` or `live`). */
export const NO_ENVELOPE_BODY = '{"ok":true,"result":"ACTIVE","message":"Hello from a proxy"}';

/**
 * A valid success envelope padded (with a `padding` string field) to exactly
 * {@link OVERSIZED_BODY_BYTES} bytes.
 */
export function oversizedBody(envelope: object): Buffer {
  const base = JSON.stringify({ ...envelope, padding: '' });
  const pad = OVERSIZED_BODY_BYTES - Buffer.byteLength(base);
  const json = base.replace('"padding":""', `"padding":"${'x'.repeat(Math.max(0, pad))}"`);
  return Buffer.from(json, 'utf8');
}
