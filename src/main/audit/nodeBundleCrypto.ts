/**
 * node:crypto behind the bundle verifier's injected crypto: the CLI verifies
 * 100,000-event bundles, where native SHA-256 and Ed25519 are several times
 * faster than the pure-JS ones the renderer uses.
 */
import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';
import type { BundleCrypto } from '../../shared/audit/bundle.ts';

// DER SubjectPublicKeyInfo prefix for a raw 32-byte Ed25519 key (RFC 8410).
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map<string, KeyObject>();

function publicKey(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('hex');
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
    keys.set(id, key);
  }
  return key;
}

// RFC 9162 hash inputs built in place (hashing is synchronous and keeps no reference).
const leafInput = Buffer.alloc(33, 0x00);
const nodeInput = Buffer.alloc(65, 0x01);

/** Writes 64 hex digits as 32 bytes at `offset`; Buffer.write stops silently at a bad digit, so that is an error here. */
function writeHex32(target: Buffer, hex: string, offset: number): void {
  if (hex.length !== 64 || target.write(hex, offset, 32, 'hex') !== 32) {
    throw new Error('a Merkle hash input is not 64 hex digits');
  }
}

export const nodeBundleCrypto: BundleCrypto = {
  sha256: (data) => hash('sha256', data, 'buffer'),
  // Event hashes are checked over text: hash it natively rather than encode then hash.
  sha256Hex: (text) => hash('sha256', text, 'hex'),
  leafHashHex: (entryHex) => {
    writeHex32(leafInput, entryHex, 1);
    return hash('sha256', leafInput, 'hex');
  },
  nodeHashHex: (leftHex, rightHex) => {
    writeHex32(nodeInput, leftHex, 1);
    writeHex32(nodeInput, rightHex, 33);
    return hash('sha256', nodeInput, 'hex');
  },
  ed25519Verify: (raw, message, signature) => {
    try {
      return raw.length === 32 && verify(null, message, publicKey(raw), signature);
    } catch {
      return false;
    }
  },
};
