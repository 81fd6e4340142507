/**
 * Attachments of a report arrive in pieces (the browser-mode transport takes
 * at most 1 MB a call; a photo or a full-window screenshot is larger): each
 * piece is appended to `<data>/staging/<uploadId>.part` at the offset the
 * console already holds, and the last one moves the whole file into the
 * content-addressed evidence store. A piece sent twice (a retried call) is
 * answered with the size held, so the sender resumes where the file ends.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { MAX_ATTACHMENT_BYTES } from '../../shared/feedback/events.ts';
import type { EvidenceStore } from '../checklists/evidenceStore.ts';

export type StagedPiece =
  { isComplete: false; received: number } | { isComplete: true; received: number; sha256: string };

export type AttachmentStaging = {
  putPiece(input: {
    uploadId: string;
    offset: number;
    dataBase64: string;
    isLast: boolean;
  }): StagedPiece;
};

export function createAttachmentStaging(
  dataDir: string,
  evidence: EvidenceStore,
): AttachmentStaging {
  const dir = join(dataDir, 'staging');
  return {
    putPiece(input) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, `${input.uploadId}.part`);
      const held = existsSync(file) ? statSync(file).size : 0;
      if (input.offset !== held)
        throw new AppError(
          'conflict',
          `This attachment continues at byte ${held}, not ${input.offset}. Nothing was written.`,
          { received: held },
        );
      const bytes = Buffer.from(input.dataBase64, 'base64');
      if (held + bytes.length > MAX_ATTACHMENT_BYTES) {
        rmSync(file, { force: true });
        throw new AppError(
          'invalid_input',
          `An attachment is at most ${Math.round(MAX_ATTACHMENT_BYTES / 1024 / 1024)} MB. This file was not attached.`,
        );
      }
      const fd = openSync(file, 'a', 0o600);
      try {
        writeSync(fd, bytes);
      } finally {
        closeSync(fd);
      }
      const received = held + bytes.length;
      if (!input.isLast) return { isComplete: false, received };
      if (received === 0) {
        rmSync(file, { force: true });
        throw new AppError('invalid_input', 'This file is empty. It was not attached.');
      }
      const sha256 = evidence.put(readFileSync(file));
      rmSync(file, { force: true });
      return { isComplete: true, received, sha256 };
    },
  };
}
