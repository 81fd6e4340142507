/**
 * The device's Ed25519 identity. The device signs checkpoints (DESIGN.md §5),
 * not every event. The private key is held by a SecretStore as PKCS#8 DER.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { checkpointText } from '../../shared/audit/event.ts';
import { AppError } from '../../shared/errors.ts';
import type { SecretStore } from './secretStore.ts';

export const DEVICE_KEY_NAME = 'device-ed25519';

export type DeviceKey = {
  /** base64 of the raw 32-byte public key, as the protocol carries it. */
  publicKeyBase64: string;
  sign(text: string): string;
};

function rawPublicKeyBase64(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

export function publicKeyFromRawBase64(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32)
    throw new AppError(
      'invalid_input',
      'The central server sent a log key that is not a 32-byte Ed25519 key.',
    );
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

export function verifyEd25519(
  publicKey: KeyObject,
  text: string,
  signatureBase64: string,
): boolean {
  try {
    return verify(
      null,
      Buffer.from(text, 'utf8'),
      publicKey,
      Buffer.from(signatureBase64, 'base64'),
    );
  } catch {
    return false;
  }
}

function wrap(privateKey: KeyObject): DeviceKey {
  return {
    publicKeyBase64: rawPublicKeyBase64(createPublicKey(privateKey)),
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
}

/** Creates a fresh key pair in memory; `store` keeps it (only once the server accepted the public key). */
export function generateDeviceKey(): DeviceKey & { store(secrets: SecretStore): void } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    ...wrap(privateKey),
    store: (secrets) =>
      secrets.set(DEVICE_KEY_NAME, privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

export function loadDeviceKey(secrets: SecretStore): DeviceKey | null {
  const der = secrets.get(DEVICE_KEY_NAME);
  if (!der) return null;
  return wrap(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

export function signCheckpoint(
  key: DeviceKey,
  deviceId: string,
  seq: number,
  head: string,
): string {
  return key.sign(checkpointText(deviceId, seq, head));
}
