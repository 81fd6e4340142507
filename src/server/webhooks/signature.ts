/**
 * Standard Webhooks signing (spec/standard-webhooks.md, "Signature scheme"):
 * HMAC-SHA256 over `msg_id.timestamp.body` with the secret's key bytes
 * (`whsec_` + base64), sent as `webhook-signature: v1,<base64>` beside
 * `webhook-id` and `webhook-timestamp` (integer Unix seconds).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The spec asks for 24 to 64 random bytes. */
const SECRET_MIN_BYTES = 24;
const SECRET_MAX_BYTES = 64;

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The key bytes of a secret (with or without the `whsec_` prefix, as the reference libraries accept). */
function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(b64, 'base64');
}

/** True when the text is `whsec_` + canonical base64 of 24 to 64 bytes. */
export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const key = Buffer.from(b64, 'base64');
  return (
    key.toString('base64') === b64 &&
    key.length >= SECRET_MIN_BYTES &&
    key.length <= SECRET_MAX_BYTES
  );
}

/** `v1,<base64 HMAC-SHA256>` of `id.timestamp.body`. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export function signedHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): SignedHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': sign(secret, id, timestampSeconds, body),
  };
}

/**
 * What a receiver does (the spec's "Verifying signatures"): any `v1,`
 * signature in the space-separated list that matches, and a timestamp within
 * the tolerance of the receiver's clock. Used by the tests' receiver and
 * offered to operators writing one.
 */
export function verify(
  secret: string,
  headers: Partial<Record<keyof SignedHeaders, string>>,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 5 * 60,
): boolean {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (!id || !ts || !sigs || !/^[0-9]+$/.test(ts)) return false;
  const timestamp = Number(ts);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, id, timestamp, body).slice(3), 'base64');
  return sigs.split(' ').some((s) => {
    const [version, value] = s.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
