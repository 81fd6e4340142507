/**
 * PIN hashes, in the catalog format (src/shared/catalog/schema.ts):
 * `scrypt$N$r$p$<salt base64>$<hash base64>` with N=16384, r=8, p=1 and a
 * 32-byte key. This is the one place that builds and parses the format: the
 * demo generator, the console's sign-in and the central server's user admin
 * all import it from here.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export const PIN_SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

export type ParsedPinHash = { N: number; r: number; p: number; salt: Buffer; hash: Buffer };

/** Parses a stored PIN hash; null when it is not in the expected format. */
export function parsePinHash(text: string): ParsedPinHash | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  // Bounds keep a hostile catalog from making sign-in allocate gigabytes.
  if (N > 1 << 20 || (N & (N - 1)) !== 0 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

function formatPinHash(salt: Buffer, hash: Buffer): string {
  return `scrypt$${PIN_SCRYPT.N}$${PIN_SCRYPT.r}$${PIN_SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Hashes a PIN for the catalog. `salt` is for reproducible fixtures only; leave it out otherwise. */
export function hashPinSync(pin: string, salt: Buffer = randomBytes(PIN_SCRYPT.saltLength)): string {
  const hash = scryptSync(pin, salt, PIN_SCRYPT.keyLength, { N: PIN_SCRYPT.N, r: PIN_SCRYPT.r, p: PIN_SCRYPT.p });
  return formatPinHash(salt, hash);
}

function maxmem(parsed: ParsedPinHash): number {
  return 128 * parsed.N * parsed.r * parsed.p + 64 * 1024 * 1024;
}

/** Checks a PIN against a stored hash in constant time; false for a malformed hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parsePinHash(stored);
  if (!parsed) return false;
  const candidate = await new Promise<Buffer>((resolve, reject) => {
    scrypt(pin, parsed.salt, parsed.hash.length, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: maxmem(parsed) }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
  return timingSafeEqual(candidate, parsed.hash);
}
