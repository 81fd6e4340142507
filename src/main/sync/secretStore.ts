/**
 * Where the device's Ed25519 private key lives. In the desktop app the shell
 * implements this with Electron `safeStorage` (src/main/electron); in browser
 * mode and tests the key is a file readable by its owner only (0600), next to
 * the database. Sync never touches a key file directly, only this interface.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export type SecretStore = {
  /** Human-readable, for logs and the operator: where the secret is kept. */
  readonly kind: string;
  get(name: string): Buffer | null;
  set(name: string, value: Buffer): void;
};

const SAFE_NAME = /^[a-z0-9-]{1,64}$/;

/** A folder of 0600 files (the folder itself 0700). Writes are atomic (temp file + rename). */
export function createFileSecretStore(dir: string): SecretStore {
  function pathOf(name: string): string {
    if (!SAFE_NAME.test(name))
      throw new Error(`secret name ${JSON.stringify(name)} is not allowed`);
    return join(dir, `${name}.key`);
  }
  return {
    kind: `key file in ${dir}`,
    get(name) {
      const file = pathOf(name);
      if (!existsSync(file)) return null;
      // A key left readable by others (a copied folder, an older console) is closed again before use.
      restrict(dir, 0o700);
      restrict(file, 0o600);
      return readFileSync(file);
    },
    set(name, value) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      restrict(dir, 0o700);
      const file = pathOf(name);
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, value, { mode: 0o600 });
      // writeFileSync's mode is filtered by the umask; make it exact.
      chmodSync(temp, 0o600);
      renameSync(temp, file);
    },
  };
}

function restrict(path: string, mode: number): void {
  if (process.platform === 'win32') return;
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}
