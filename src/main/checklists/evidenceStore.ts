/**
 * Evidence files (photos, drawn signatures) stored content-addressed by their
 * SHA-256 under `<dataDir>/evidence/<first two hex>/<sha256>`. A file is
 * written atomically (temp file, fsync, rename, fsync of the folder) BEFORE
 * the journal event that cites it commits, so an event never points at a
 * file that is not on disk, even after a crash.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { type EVIDENCE_MIME_TYPES, MAX_EVIDENCE_BYTES } from '../../shared/contract/checklists.ts';
import { AppError } from '../../shared/errors.ts';

export type EvidenceMimeType = (typeof EVIDENCE_MIME_TYPES)[number];

export type EvidenceStore = {
  readonly dir: string;
  pathOf(sha256: string): string;
  /** Writes the bytes (if not already there) and returns their SHA-256. */
  put(bytes: Buffer): string;
  /** The bytes, or null when the file is missing. */
  read(sha256: string): Buffer | null;
  /** What the stored file hashes to now (null when missing): detects a file changed on disk. */
  rehash(sha256: string): string | null;
};

export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createEvidenceStore(dataDir: string): EvidenceStore {
  const dir = join(dataDir, 'evidence');
  const pathOf = (sha256: string) => join(dir, sha256.slice(0, 2), sha256);
  return {
    dir,
    pathOf,
    put(bytes) {
      const sha256 = sha256OfBytes(bytes);
      const target = pathOf(sha256);
      if (existsSync(target) && sha256OfBytes(readFileSync(target)) === sha256) return sha256;
      const folder = join(dir, sha256.slice(0, 2));
      mkdirSync(folder, { recursive: true });
      const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
      try {
        const fd = openSync(temp, 'wx', 0o600);
        try {
          writeSync(fd, bytes);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, target);
        syncFolder(folder);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
      return sha256;
    },
    read(sha256) {
      const file = pathOf(sha256);
      return existsSync(file) ? readFileSync(file) : null;
    },
    rehash(sha256) {
      const bytes = this.read(sha256);
      return bytes ? sha256OfBytes(bytes) : null;
    },
  };
}

function syncFolder(folder: string): void {
  // The rename is durable only once the folder entry is; Windows cannot open folders, where NTFS journals it anyway.
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on this platform */
  }
}

/** Decodes strict base64 (the contract checked the alphabet): a string that does not round-trip is refused. */
export function decodeBase64(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (
    bytes.length === 0 ||
    bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')
  ) {
    throw new AppError('invalid_input', `${what} is not valid base64. Nothing was stored.`);
  }
  return bytes;
}

/** The image type the bytes really are, from their signature; null for anything else. */
function sniffImageType(bytes: Uint8Array): EvidenceMimeType | null {
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'image/jpeg';
  if (
    bytes.length >= 12 &&
    Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

/** Checks size and real type before anything is written. */
export function checkEvidenceBytes(bytes: Buffer, claimed: EvidenceMimeType, what: string): void {
  if (bytes.length > MAX_EVIDENCE_BYTES) {
    throw new AppError(
      'invalid_input',
      `${what} is ${Math.ceil(bytes.length / 1024)} KiB; the limit is ${MAX_EVIDENCE_BYTES / 1024} KiB. Take a smaller photo. Nothing was stored.`,
    );
  }
  const actual = sniffImageType(bytes);
  if (!actual)
    throw new AppError(
      'invalid_input',
      `${what} is not a JPEG, PNG or WebP image. Nothing was stored.`,
    );
  if (actual !== claimed) {
    throw new AppError(
      'invalid_input',
      `${what} says it is ${claimed} but is really ${actual}. Nothing was stored.`,
    );
  }
}
