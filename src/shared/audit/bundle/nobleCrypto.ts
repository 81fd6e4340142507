/** The bundle crypto the console's audit screen uses (pure JS, runs in the renderer); the CLI uses node:crypto. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import type { BundleCrypto } from './format.ts';

export const nobleBundleCrypto: BundleCrypto = {
  sha256: (d) => nobleSha256(d),
  ed25519Verify: (publicKey, message, signature) => {
    try {
      return ed25519.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
};
