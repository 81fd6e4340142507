/**
 * Uploads evidence files (photos, signatures, a report's screenshots, files
 * and crash dumps) to the central server before the events that cite them
 * are pushed. A small image goes whole to `POST /v1/evidence/:sha256` (one
 * request, as every server since the first takes it); anything larger or of
 * another type goes through the resumable upload (attachmentUpload.ts), which
 * picks up at the offset the server holds. Both are idempotent on the
 * server. Confirmed files are remembered in `evidence_uploads`, files the
 * server refused for good in `evidence_upload_refusals` (sync state, not
 * journal projection), so a refused file is never offered again.
 */
import { dirname } from 'node:path';
import { evidencePath, evidenceReceipt } from '../../shared/checklists/evidenceProtocol.ts';
import { EVIDENCE_MIME_TYPES, MAX_EVIDENCE_BYTES } from '../../shared/contract/checklists.ts';
import { protocolError } from '../../shared/sync/protocol.ts';
import type { RefusedAttachment, UploadProgress } from '../../shared/sync/status.ts';
import { createEvidenceStore, sha256OfBytes } from '../checklists/evidenceStore.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import { AttachmentRefused, uploadResumable } from './attachmentUpload.ts';
import { SyncHttpError, type FetchLike } from './client.ts';

export type EvidenceUploadOptions = {
  db: Db;
  serverUrl: string;
  token: string;
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
  now: () => Date;
  log: Logger;
  /** While a file goes through the resumable upload: how far it is; null once no file is on its way. */
  onProgress?: ((progress: UploadProgress | null) => void) | undefined;
  /** Bytes per chunk of the resumable upload (tests use small ones). */
  chunkBytes?: number | undefined;
};

type PendingFile = { sha256: string; mimeType: string; byteLength: number; fileName: string };

/** Files neither confirmed nor refused for good by the server, oldest first. */
export function pendingEvidence(db: Db): PendingFile[] {
  return db.sqlite
    .prepare(
      `SELECT e.sha256 AS sha256, e.mime_type AS mimeType, e.byte_length AS byteLength, e.file_name AS fileName
       FROM evidence_files e
       WHERE NOT EXISTS (SELECT 1 FROM evidence_uploads u WHERE u.sha256 = e.sha256)
         AND NOT EXISTS (SELECT 1 FROM evidence_upload_refusals r WHERE r.sha256 = e.sha256)
       GROUP BY e.sha256 ORDER BY min(e.attached_at), e.sha256`,
    )
    .all() as PendingFile[];
}

/** Files the server refused for good, newest first, with a name a report gave them. */
export function refusedAttachments(db: Db): RefusedAttachment[] {
  return db.sqlite
    .prepare(
      `SELECT r.sha256, coalesce((SELECT min(e.file_name) FROM evidence_files e WHERE e.sha256 = r.sha256), r.sha256) AS name,
         r.code, r.message, r.refused_at AS refusedAt
       FROM evidence_upload_refusals r ORDER BY r.refused_at DESC, r.sha256 LIMIT 50`,
    )
    .all() as RefusedAttachment[];
}

/** Whether the file goes whole through the evidence route, which takes small images only. */
function fitsEvidenceRoute(file: PendingFile): boolean {
  return (
    (EVIDENCE_MIME_TYPES as readonly string[]).includes(file.mimeType) &&
    file.byteLength <= MAX_EVIDENCE_BYTES
  );
}

/**
 * Returns how many files the server confirmed. A network failure throws (the
 * cycle is retried with backoff, events stay unpushed); a file that is gone or
 * changed on this console is logged and skipped, so it can never block sync.
 */
export async function uploadPendingEvidence(options: EvidenceUploadOptions): Promise<number> {
  const { db, log } = options;
  const store = createEvidenceStore(dirname(db.file));
  const doFetch = options.fetch ?? fetch;
  const base = options.serverUrl.replace(/\/+$/, '');
  const markUploaded = db.sqlite.prepare(
    'INSERT OR IGNORE INTO evidence_uploads (sha256, uploaded_at) VALUES (?, ?)',
  );
  const markRefused = db.sqlite.prepare(
    'INSERT OR REPLACE INTO evidence_upload_refusals (sha256, code, message, refused_at) VALUES (?, ?, ?, ?)',
  );
  const refuse = (file: PendingFile, code: string, message: string) => {
    // The server will never accept this file: remember why, and keep syncing the rest.
    log.warn({ sha256: file.sha256, code }, 'evidence file refused by the central server');
    markRefused.run(file.sha256, code, message, options.now().toISOString());
  };
  let confirmed = 0;
  for (const file of pendingEvidence(db)) {
    const bytes = store.read(file.sha256);
    if (!bytes || sha256OfBytes(bytes) !== file.sha256) {
      log.warn(
        { sha256: file.sha256 },
        'evidence file missing or changed on this console; not uploaded',
      );
      continue;
    }
    if (!fitsEvidenceRoute(file)) {
      const progress = (sentBytes: number) =>
        options.onProgress?.({
          sha256: file.sha256,
          name: file.fileName,
          sentBytes,
          totalBytes: bytes.length,
        });
      try {
        await uploadResumable({
          fetch: doFetch,
          base,
          token: options.token,
          timeoutMs: options.timeoutMs ?? 60_000,
          sha256: file.sha256,
          mediaType: file.mimeType,
          bytes,
          chunkBytes: options.chunkBytes,
          onProgress: progress,
        });
      } catch (error) {
        if (!(error instanceof AttachmentRefused)) throw error;
        refuse(file, error.code, error.message);
        continue;
      } finally {
        options.onProgress?.(null);
      }
      markUploaded.run(file.sha256, options.now().toISOString());
      confirmed += 1;
      continue;
    }
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${evidencePath(file.sha256)}`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: `Bearer ${options.token}`,
        },
        body: JSON.stringify({ mimeType: file.mimeType, dataBase64: bytes.toString('base64') }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      text = await response.text();
    } catch {
      throw new SyncHttpError('network', 'The central server is not reachable (evidence upload).');
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncHttpError(
        'malformed',
        `The central server answered an evidence upload with something that is not JSON (HTTP ${response.status}).`,
        response.status,
      );
    }
    if (!response.ok) {
      const error = protocolError.safeParse(json);
      const body = error.success ? error.data : null;
      if (body && (body.code === 'invalid_input' || body.code === 'payload_too_large')) {
        refuse(file, body.code, body.message);
        continue;
      }
      if (body?.code === 'bad_hash') {
        // Checked here before sending: the bytes changed on the way, so the next sync sends them again.
        log.warn({ sha256: file.sha256 }, 'evidence file arrived changed; sent again next sync');
        continue;
      }
      throw new SyncHttpError(
        body ? 'protocol' : 'malformed',
        body?.message ?? `Evidence upload failed (HTTP ${response.status}).`,
        response.status,
        body,
      );
    }
    const receipt = evidenceReceipt.safeParse(json);
    if (!receipt.success || receipt.data.sha256 !== file.sha256) {
      throw new SyncHttpError(
        'malformed',
        "The central server's answer to an evidence upload does not follow the protocol.",
        response.status,
      );
    }
    markUploaded.run(file.sha256, options.now().toISOString());
    confirmed += 1;
  }
  return confirmed;
}
