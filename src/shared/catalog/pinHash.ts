/**
 * The PIN hash format of the catalog, as pure string handling so the console
 * (src/main/session/pin.ts) and the central server share one definition:
 * `scrypt$N$r$p$<salt base64>$<hash base64>`. Hashing itself needs node:crypto
 * and lives in each runtime.
 */
export const PIN_SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Salt and hash stay base64 here; callers decode them with their runtime's tools. */
export type PinHashParts = {
  N: number;
  r: number;
  p: number;
  saltBase64: string;
  hashBase64: string;
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function formatPinHash(parts: PinHashParts): string {
  return `scrypt$${parts.N}$${parts.r}$${parts.p}$${parts.saltBase64}$${parts.hashBase64}`;
}

/**
 * Parses a stored PIN hash; null when it is not in the format, or when its
 * cost parameters are out of bounds (a hostile catalog must not make sign-in
 * allocate gigabytes).
 */
export function parsePinHashText(text: string): PinHashParts | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  if (N > 1 << 20 || (N & (N - 1)) !== 0 || r > 32 || p > 16) return null;
  const [saltBase64, hashBase64] = [parts[4]!, parts[5]!];
  if (!BASE64.test(saltBase64) || !BASE64.test(hashBase64)) return null;
  return { N, r, p, saltBase64, hashBase64 };
}
