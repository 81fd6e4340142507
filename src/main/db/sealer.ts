/**
 * Secrets kept inside the console's SQLite file — the catalog's PIN hashes
 * and the device token — are stored encrypted (AES-256-GCM), so a copy of
 * console.sqlite (a stolen laptop's disk image, a backup, a support bundle)
 * does not give a PIN hash to brute-force offline or a token to push with.
 * The 32-byte data key lives in the SecretStore: the OS keychain through
 * Electron safeStorage in the desktop app, a 0600 key file in browser mode.
 *
 * Stored form: `sealed:v1:<base64 of iv(12) ‖ tag(16) ‖ ciphertext>`, with
 * the column's name as additional data so a value cannot be moved to another
 * column. A value without the prefix is a plaintext one from an older console:
 * open() returns it as it is and openDatabase re-seals it at start.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { SecretStore } from '../sync/secretStore.ts';

const SEALED_PREFIX = 'sealed:v1:';
export const DATA_KEY_NAME = 'data-key';

/** Which column a sealed value belongs to (bound into the ciphertext). */
export const SEALED_COLUMNS = ['users.pin_hash', 'sync_state.device_token'] as const;
export type SealedColumn = (typeof SEALED_COLUMNS)[number];

export type Sealer = {
  /** Where the data key is kept, for messages. */
  readonly kind: string;
  seal(plain: string, column: SealedColumn): string;
  /** The plain value; a value stored before sealing existed is returned as it is. */
  open(stored: string, column: SealedColumn): string;
  isSealed(stored: string): boolean;
};

export function createSealer(secrets: SecretStore): Sealer {
  let key: Buffer | null = null;
  // Read (or made) on first use: a console that holds no secret never touches the keychain.
  function dataKey(options: { create: boolean }): Buffer {
    if (key) return key;
    const stored = secrets.get(DATA_KEY_NAME);
    if (stored && stored.length === 32) {
      key = stored;
      return key;
    }
    if (!options.create || stored) {
      throw new AppError(
        'unavailable',
        `This console's sign-in data and connection are encrypted with a key that is missing from ${secrets.kind}. ` +
          'Load the catalog again (reconnect to the central server with a new enrollment code, or reload the demo fleet).',
      );
    }
    const fresh = randomBytes(32);
    secrets.set(DATA_KEY_NAME, fresh);
    key = fresh;
    return key;
  }
  return {
    kind: secrets.kind,
    seal(plain, column) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey({ create: true }), iv);
      cipher.setAAD(Buffer.from(column, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(stored, column) {
      if (!stored.startsWith(SEALED_PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          dataKey({ create: false }),
          raw.subarray(0, 12),
        );
        decipher.setAAD(Buffer.from(column, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError(
          'database_corrupt',
          `A protected value in this console's database (${column}) cannot be decrypted with the key in ${secrets.kind}. ` +
            'Load the catalog again (reconnect, or reload the demo fleet).',
        );
      }
    },
    isSealed: (stored) => stored.startsWith(SEALED_PREFIX),
  };
}
