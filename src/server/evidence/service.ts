/**
 * Evidence files on the central server: photos and drawn signatures
 * that checklist results and decisions cite by SHA-256. A device uploads each
 * file once (`POST /v1/evidence/:sha256`), before pushing the events that cite
 * it; the server checks that the bytes hash to the name and are an image, and
 * stores them once: uploading the same file again is acknowledged, never
 * duplicated. The answer is the same whether the server already held the
 * bytes or not, and whichever store sent them first: a store must not learn
 * from it what another store holds. Auditors and admins read them back (`GET /v1/evidence/:sha256`)
 * and can check every hash in the log against the bytes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EVIDENCE_MIME_TYPES, MAX_EVIDENCE_BYTES } from '../../shared/contract/checklists.ts';
import { hex64 } from '../../shared/sync/protocol.ts';
import { EVIDENCE_BODY_LIMIT } from '../../shared/checklists/evidenceProtocol.ts';
import type { ServerDb } from '../db/open.ts';
import { ServerError, parseInput } from '../errors.ts';
import { hasStoreUploaded } from '../attachments/service.ts';
import { evidenceBytes } from './retention.ts';

export const evidenceParams = z.object({ sha256: hex64 }).strict();
export const evidenceUpload = z
  .object({
    mimeType: z.enum(EVIDENCE_MIME_TYPES),
    dataBase64: z
      .string()
      .min(4)
      .max(EVIDENCE_BODY_LIMIT)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict();

export type EvidenceReceipt = { sha256: string; byteLength: number };

function sniff(bytes: Buffer): (typeof EVIDENCE_MIME_TYPES)[number] | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'image/jpeg';
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

export async function putEvidence(
  store: ServerDb,
  storeId: string,
  params: unknown,
  body: unknown,
  now: Date,
): Promise<EvidenceReceipt> {
  const { sha256 } = parseInput(evidenceParams, params, 'The evidence address');
  const input = parseInput(evidenceUpload, body, 'The evidence upload');
  const bytes = Buffer.from(input.dataBase64, 'base64');
  if (bytes.length > MAX_EVIDENCE_BYTES) {
    throw new ServerError(
      'payload_too_large',
      `An evidence file is at most ${MAX_EVIDENCE_BYTES} bytes; this one is ${bytes.length}.`,
    );
  }
  if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
    throw new ServerError(
      'bad_hash',
      'The file does not hash to the SHA-256 in its address; nothing was stored.',
    );
  }
  if (sniff(bytes) !== input.mimeType) {
    throw new ServerError(
      'invalid_input',
      `The file is not a ${input.mimeType} image; nothing was stored.`,
    );
  }
  // One statement on both paths, no look-up first: the stored row (and which
  // store sent it) is never read here, so neither the answer nor its shape
  // depends on it. Concurrent uploads of the same bytes: the first insert wins.
  await store.db
    .insertInto('evidence_files')
    .values({
      sha256,
      store_id: storeId,
      mime_type: input.mimeType,
      byte_length: bytes.length,
      data: bytes,
      received_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return { sha256, byteLength: bytes.length };
}

/** `archiveDir`: where archived files are read back from (evidence/retention.ts), if mounted. */
export async function getEvidence(
  store: ServerDb,
  params: unknown,
  archiveDir: string | null = null,
): Promise<{ mimeType: string; bytes: Buffer }> {
  const { sha256 } = parseInput(evidenceParams, params, 'The evidence address');
  const row = await store.db
    .selectFrom('evidence_files')
    .select(['sha256', 'mime_type', 'data', 'archived_at', 'archive_path'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row)
    throw new ServerError('not_found', 'The server holds no evidence file with this SHA-256.');
  return { mimeType: row.mime_type, bytes: evidenceBytes(row, archiveDir) };
}

/**
 * An evidence file for a console of `storeId`: served when a record of the
 * store cites it (a checklist run's evidence, a decision's signature) or the
 * store uploaded it (whole, or resumably). Anything else answers exactly like a file the server
 * does not hold, so a device learns nothing of other stores' files.
 */
export async function getStoreEvidence(
  store: ServerDb,
  storeId: string,
  params: unknown,
  archiveDir: string | null = null,
): Promise<{ mimeType: string; bytes: Buffer }> {
  const { sha256 } = parseInput(evidenceParams, params, 'The evidence address');
  const db = store.db;
  const cited =
    (await db
      .selectFrom('evidence_files')
      .select('sha256')
      .where('sha256', '=', sha256)
      .where('store_id', '=', storeId)
      .executeTakeFirst()) ??
    (await db
      .selectFrom('rm_evidence_files as e')
      .innerJoin('rm_checklist_runs as r', 'r.id', 'e.run_id')
      .select('e.sha256')
      .where('e.sha256', '=', sha256)
      .where('r.store_id', '=', storeId)
      .executeTakeFirst()) ??
    (await db
      .selectFrom('rm_decisions')
      .select('signature_sha256 as sha256')
      .where('signature_sha256', '=', sha256)
      .where('store_id', '=', storeId)
      .executeTakeFirst());
  // A file this store sent through a resumable upload (attachments/service.ts).
  if (!cited && !(await hasStoreUploaded(store, storeId, sha256)))
    throw new ServerError('not_found', 'The server holds no evidence file with this SHA-256.');
  return getEvidence(store, { sha256 }, archiveDir);
}
