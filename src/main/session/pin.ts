/**
 * PIN hashes in the catalog format (src/shared/catalog/pinHash.ts):
 * `scrypt$N$r$p$<salt base64>$<hash base64>` with N=16384, r=8, p=1 and a
 * 32-byte key. The demo generator and the console's sign-in use this; the
 * central server formats with the same shared module.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { formatPinHash, parsePinHashText, PIN_SCRYPT } from '../../shared/catalog/pinHash.ts';

export type ParsedPinHash = { N: number; r: number; p: number; salt: Buffer; hash: Buffer };

/** Parses a stored PIN hash; null when it is not in the expected format. */
export function parsePinHash(text: string): ParsedPinHash | null {
  const parts = parsePinHashText(text);
  if (!parts) return null;
  const salt = Buffer.from(parts.saltBase64, 'base64');
  const hash = Buffer.from(parts.hashBase64, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { N: parts.N, r: parts.r, p: parts.p, salt, hash };
}

/** Hashes a PIN for the catalog. `salt` is for reproducible fixtures only; leave it out otherwise. */
export function hashPinSync(
  pin: string,
  salt: Buffer = randomBytes(PIN_SCRYPT.saltLength),
): string {
  const { N, r, p, keyLength } = PIN_SCRYPT;
  const hash = scryptSync(pin, salt, keyLength, { N, r, p });
  return formatPinHash({
    N,
    r,
    p,
    saltBase64: salt.toString('base64'),
    hashBase64: hash.toString('base64'),
  });
}

function maxmem(parsed: ParsedPinHash): number {
  return 128 * parsed.N * parsed.r * parsed.p + 64 * 1024 * 1024;
}

/** Checks a PIN against a stored hash in constant time; false for a malformed hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parsePinHash(stored);
  if (!parsed) return false;
  const candidate = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      pin,
      parsed.salt,
      parsed.hash.length,
      { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: maxmem(parsed) },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
  return timingSafeEqual(candidate, parsed.hash);
}
