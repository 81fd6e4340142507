/**
 * Uploads evidence files (photos, signatures) to the central server before
 * the events that cite them are pushed: every file the console holds
 * that the server has not confirmed yet goes to `POST /v1/evidence/:sha256`.
 * The upload is idempotent on the server, so a file whose confirmation was
 * lost is simply sent again and stored once. Confirmed files are remembered
 * in `evidence_uploads` (sync state, not journal projection).
 */
import { dirname } from 'node:path';
import { evidencePath, evidenceReceipt } from '../../shared/checklists/evidenceProtocol.ts';
import { protocolError } from '../../shared/sync/protocol.ts';
import { createEvidenceStore, sha256OfBytes } from '../checklists/evidenceStore.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import { SyncHttpError, type FetchLike } from './client.ts';

export type EvidenceUploadOptions = {
  db: Db;
  serverUrl: string;
  token: string;
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
  now: () => Date;
  log: Logger;
};

/** Files not yet confirmed by the server, oldest first. */
export function pendingEvidence(db: Db): Array<{ sha256: string; mimeType: string }> {
  return db.sqlite
    .prepare(
      `SELECT e.sha256 AS sha256, e.mime_type AS mimeType FROM evidence_files e
       LEFT JOIN evidence_uploads u ON u.sha256 = e.sha256 WHERE u.sha256 IS NULL ORDER BY e.attached_at, e.sha256`,
    )
    .all() as Array<{ sha256: string; mimeType: string }>;
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
      if (
        body &&
        (body.code === 'bad_hash' ||
          body.code === 'invalid_input' ||
          body.code === 'payload_too_large')
      ) {
        // The server will never accept this file: keep syncing the rest.
        log.warn(
          { sha256: file.sha256, code: body.code },
          'evidence file refused by the central server',
        );
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
