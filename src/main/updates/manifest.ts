/**
 * The update's second signature. Besides the platform's code signing, the
 * central server publishes an update manifest (version, channel, file names,
 * sizes, SHA-512) signed with the central log's Ed25519 key, in the same
 * scheme as its tree heads: the signature covers the RFC 8785 (JCS) bytes of
 * the manifest. The console checks the manifest against the log key it
 * already trusts and the downloaded file against the manifest before it
 * installs; any mismatch is refused and the running version stays.
 *
 * The format and the signed text are in src/shared/updates/manifest.ts (the
 * server signs what this checks).
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import {
  manifestSigningText,
  signedUpdateManifest,
  type UpdateManifest,
} from '../../shared/updates/manifest.ts';

export type { UpdateManifest } from '../../shared/updates/manifest.ts';

export const MANIFEST_REFUSALS = [
  'malformed',
  'wrong_log',
  'bad_signature',
  'wrong_release',
  'unknown_file',
  'size_mismatch',
  'hash_mismatch',
] as const;
export type ManifestRefusal = (typeof MANIFEST_REFUSALS)[number];

function refuse(reason: ManifestRefusal, message: string): AppError {
  return new AppError(
    'invalid_input',
    `${message} The update is not installed; the running version stays.`,
    {
      reason,
    },
  );
}

/** The bytes the log key signs: JCS of the manifest. */
export function manifestSigningBytes(manifest: UpdateManifest): Uint8Array {
  return new TextEncoder().encode(manifestSigningText(manifest));
}

/**
 * Checks the signed manifest against the central log's key (base64 of the raw
 * 32-byte Ed25519 key, as GET /v1/log/key serves it) and the version and
 * channel the updater is about to install. Returns the manifest, or throws an
 * AppError whose `details.reason` is one of MANIFEST_REFUSALS.
 */
export function verifyUpdateManifest(
  input: unknown,
  log: { logId: string; publicKey: string },
  expected: { version: string; channel: string },
): UpdateManifest {
  const parsed = signedUpdateManifest.safeParse(input);
  if (!parsed.success) {
    throw refuse('malformed', 'The update manifest from the central server is not valid.');
  }
  const { manifest, signature } = parsed.data;
  if (manifest.logId !== log.logId) {
    throw refuse(
      'wrong_log',
      `The update manifest is signed for log ${manifest.logId}, not this console's log.`,
    );
  }
  let isValid = false;
  try {
    isValid = ed25519.verify(
      Buffer.from(signature, 'base64'),
      manifestSigningBytes(manifest),
      Buffer.from(log.publicKey, 'base64'),
    );
  } catch {
    isValid = false;
  }
  if (!isValid) {
    throw refuse(
      'bad_signature',
      'The update manifest does not carry the central log’s signature.',
    );
  }
  if (manifest.version !== expected.version || manifest.channel !== expected.channel) {
    throw refuse(
      'wrong_release',
      `The update manifest is for ${manifest.version} on ${manifest.channel}, the download is ${expected.version} on ${expected.channel}.`,
    );
  }
  return manifest;
}

/** Streams the downloaded file through SHA-512 and checks its name, size and hash against the manifest. */
export async function verifyDownloadedFile(manifest: UpdateManifest, file: string): Promise<void> {
  const entry = manifest.files.find((f) => f.name === basename(file));
  if (!entry) {
    throw refuse(
      'unknown_file',
      `${basename(file)} is not listed in the update manifest of ${manifest.version}.`,
    );
  }
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    hash.update(bytes);
  }
  if (size !== entry.size) {
    throw refuse(
      'size_mismatch',
      `${entry.name} has ${size} bytes, the update manifest says ${entry.size}.`,
    );
  }
  if (hash.digest('base64') !== entry.sha512) {
    throw refuse(
      'hash_mismatch',
      `${entry.name} differs from the file the central server published (SHA-512).`,
    );
  }
}
