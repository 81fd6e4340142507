/**
 * PIN hashing for users the server creates, in the catalog format of
 * shared/catalog/schema.ts: `scrypt$N$r$p$<salt base64>$<hash base64>`
 * (N=16384, r=8, p=1, 16-byte salt, 32-byte key) — the same format the
 * console's src/main/session/pin.ts verifies (the server may not import main).
 */
import { randomBytes, scrypt } from 'node:crypto';

const SERVER_PIN_SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

export async function hashPin(
  pin: string,
  salt: Buffer = randomBytes(SERVER_PIN_SCRYPT.saltLength),
): Promise<string> {
  const { N, r, p, keyLength } = SERVER_PIN_SCRYPT;
  const hash = await new Promise<Buffer>((resolve, reject) => {
    scrypt(pin, salt, keyLength, { N, r, p }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
