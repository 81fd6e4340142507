/**
 * The device key's SecretStore in the desktop app: each secret is encrypted
 * with Electron `safeStorage` (the OS keychain, DPAPI, or libsecret) and the
 * ciphertext kept in a 0600 file. `safeStorage` is injected, so this runs
 * and is tested under plain Node.
 */
import { createFileSecretStore, type SecretStore } from '../sync/secretStore.ts';
import type { Logger } from '../log.ts';

/** The slice of Electron's `safeStorage` used here. */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only; 'basic_text' means no real keyring is protecting the key. */
  getSelectedStorageBackend?: () => string;
};

export function createSafeStorageSecretStore(options: {
  dir: string;
  safeStorage: SafeStorageLike;
  log: Logger;
}): SecretStore {
  const { safeStorage, log } = options;
  const files = createFileSecretStore(options.dir);
  function requireEncryption(): void {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error(
        'The operating system keychain is not available, so the device key cannot be protected. Sign in to the desktop session and try again.',
      );
    }
  }
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (backend === 'basic_text') {
    log.warn(
      { backend },
      'no OS keyring: the device key is only obfuscated, protected by file permissions',
    );
  }
  return {
    kind: `OS keychain (Electron safeStorage) + file in ${options.dir}`,
    get(name) {
      const encrypted = files.get(name);
      if (!encrypted) return null;
      requireEncryption();
      return Buffer.from(safeStorage.decryptString(encrypted), 'base64');
    },
    set(name, value) {
      requireEncryption();
      files.set(name, safeStorage.encryptString(value.toString('base64')));
    },
  };
}
