/**
 * Resumable, content-addressed upload of large attachments (a bug report's
 * screenshot, photos, files, crash dumps), after the tus 1.0 core protocol:
 *
 * 1. `POST /v1/attachments` announces the file (sha256, size, media type);
 *    the server answers the upload's id and the offset it already holds
 *    (0 for a new upload, the size for a file this store already sent).
 * 2. `POST /v1/attachments/:uploadId` sends the next chunk as raw bytes
 *    (`Content-Type: application/offset+octet-stream`, `Upload-Offset: n`).
 *    A chunk at any other offset than the one held is 409 `offset_mismatch`
 *    with the held offset, so a sender whose answer was lost resumes there.
 * 3. The chunk that completes the file makes the server hash the whole file:
 *    a mismatch discards every byte of the upload (422 `bad_hash`); a match
 *    stores it as an evidence file, readable like every other.
 *
 * Chunks are POST with the offset header rather than tus's PATCH because the
 * route table (and the authorization tests generated from it) knows GET and POST.
 */
import { z } from 'zod';
import { MAX_ATTACHMENT_BYTES } from '../feedback/events.ts';
import type { RouteAuth } from '../sync/protocol.ts';

/** The largest file one upload carries (the report form's own limit). */
export const MAX_UPLOAD_BYTES = MAX_ATTACHMENT_BYTES;
/** The largest chunk the server reads in one request (413 above it, before it is read). */
export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * What the console sends per request: small enough that a connection cut on
 * a poor link loses little, large enough that 25 MB is a hundred requests.
 */
export const CHUNK_BYTES = 256 * 1024;
export const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';
export const UPLOAD_OFFSET_HEADER = 'upload-offset';

/** What a report may attach; crash dumps and other binary files are application/octet-stream. */
export const UPLOAD_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/octet-stream',
] as const;
export type UploadMediaType = (typeof UPLOAD_MEDIA_TYPES)[number];

export const ATTACHMENT_ROUTES = {
  /** Body: {sha256, size, mediaType}. 200 the upload's state. */
  announceAttachment: { method: 'POST', url: '/v1/attachments', auth: 'device' },
  /** Body: raw bytes at the Upload-Offset header's offset. 200 the upload's state. */
  attachmentChunk: {
    method: 'POST',
    url: '/v1/attachments/:uploadId',
    auth: 'device',
    bodyLimit: MAX_CHUNK_BYTES,
  },
  /** The upload's state, to resume without announcing again. */
  attachmentStatus: { method: 'GET', url: '/v1/attachments/:uploadId', auth: 'device' },
  /** A support desk reads an attachment of a report in its scope. */
  deskReportAttachment: {
    method: 'GET',
    url: '/v1/desk/feedback/reports/:id/attachments/:sha256',
    auth: 'desk',
  },
} as const satisfies Record<
  string,
  { method: 'GET' | 'POST'; url: string; auth: RouteAuth; bodyLimit?: number }
>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

export const announceBody = z
  .object({
    sha256: sha256Hex,
    size: z.number().int().min(1),
    mediaType: z.string().min(3).max(100),
  })
  .strict();

export const uploadParams = z
  .object({ uploadId: z.string().regex(/^[0-9a-f-]{36}$/, 'must be an upload id') })
  .strict();

export const deskAttachmentParams = z
  .object({ id: z.string().min(1).max(64), sha256: sha256Hex })
  .strict();

export const uploadState = z
  .object({
    uploadId: z.string(),
    sha256: z.string(),
    size: z.number().int(),
    /** Bytes the server holds: where the next chunk starts. */
    offset: z.number().int(),
    /** The whole file arrived and hashed to its sha256: stored as evidence. */
    isComplete: z.boolean(),
  })
  .strict();
export type UploadState = z.infer<typeof uploadState>;

export function attachmentChunkPath(uploadId: string): string {
  return `/v1/attachments/${uploadId}`;
}
