import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { createSafeStorageSecretStore, type SafeStorageLike } from './secretStore.ts';

/** Stands in for Electron's safeStorage (the only thing replaced): a reversible, keyed transform. */
function fakeSafeStorage(isAvailable = true): SafeStorageLike {
  const key = 0x5a;
  return {
    isEncryptionAvailable: () => isAvailable,
    encryptString: (text) =>
      Buffer.from([...Buffer.from(`v10${text}`, 'utf8')].map((b) => b ^ key)),
    decryptString: (data) =>
      Buffer.from([...data].map((b) => b ^ key))
        .toString('utf8')
        .slice(3),
  };
}

describe('safeStorage secret store', () => {
  let dir: string;
  const log = createLogger({ level: 'silent' });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dearpos-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a device key and never writes it in the clear', async () => {
    const store = createSafeStorageSecretStore({
      dir: join(dir, 'keys'),
      safeStorage: fakeSafeStorage(),
      log,
    });
    const secret = Buffer.from('302e020100300506032b657004220420' + 'ab'.repeat(32), 'hex');
    expect(store.get('device-key')).toBeNull();
    store.set('device-key', secret);
    expect(store.get('device-key')).toEqual(secret);
    const [file] = await readdir(join(dir, 'keys'));
    const onDisk = await readFile(join(dir, 'keys', file!));
    expect(onDisk.includes(secret)).toBe(false);
    expect(onDisk.includes(Buffer.from(secret.toString('base64')))).toBe(false);
    expect((await stat(join(dir, 'keys', file!))).mode & 0o777).toBe(0o600);
  });

  it('refuses to store a key when the OS keychain is unavailable, and writes nothing', async () => {
    const store = createSafeStorageSecretStore({
      dir: join(dir, 'keys'),
      safeStorage: fakeSafeStorage(false),
      log,
    });
    expect(() => store.set('device-key', Buffer.from('secret'))).toThrow(/keychain/);
    await expect(readdir(join(dir, 'keys'))).rejects.toThrow();
  });
});
