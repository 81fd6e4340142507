import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSecretStore } from './secretStore.ts';
import {
  DEVICE_KEY_NAME,
  generateDeviceKey,
  loadDeviceKey,
  publicKeyFromRawBase64,
  verifyEd25519,
} from './deviceKey.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file secret store (browser mode and tests)', () => {
  it('keeps the device key in a file only its owner can read or write (0600)', () => {
    const secrets = createFileSecretStore(join(dir, 'keys'));
    generateDeviceKey().store(secrets);
    const mode = statSync(join(dir, 'keys', `${DEVICE_KEY_NAME}.key`)).mode & 0o777;
    expect(mode.toString(8)).toBe('600');
    expect((statSync(join(dir, 'keys')).mode & 0o077).toString(8)).toBe('0');
  });

  it('closes a key folder and key file left open to other users before it uses them', () => {
    const keys = join(dir, 'keys');
    const secrets = createFileSecretStore(keys);
    secrets.set('data-key', Buffer.alloc(32, 7));
    chmodSync(keys, 0o755);
    chmodSync(join(keys, 'data-key.key'), 0o644);
    expect(createFileSecretStore(keys).get('data-key')).toEqual(Buffer.alloc(32, 7));
    expect((statSync(keys).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(keys, 'data-key.key')).mode & 0o777).toString(8)).toBe('600');
  });

  it('returns the same key after a restart, and it signs verifiably', () => {
    const secrets = createFileSecretStore(dir);
    const created = generateDeviceKey();
    created.store(secrets);
    const loaded = loadDeviceKey(createFileSecretStore(dir));
    expect(loaded?.publicKeyBase64).toBe(created.publicKeyBase64);
    const signature = loaded!.sign('hello');
    expect(verifyEd25519(publicKeyFromRawBase64(created.publicKeyBase64), 'hello', signature)).toBe(
      true,
    );
    expect(verifyEd25519(publicKeyFromRawBase64(created.publicKeyBase64), 'hellp', signature)).toBe(
      false,
    );
  });

  it('has no key before enrollment and refuses odd secret names', () => {
    const secrets = createFileSecretStore(dir);
    expect(loadDeviceKey(secrets)).toBeNull();
    expect(() => secrets.set('../escape', Buffer.from('x'))).toThrow(/not allowed/);
  });
});
