/**
 * Resumable attachment uploads (shared/attachments/protocol.ts): a device
 * announces a file, sends it in chunks at the offset the server holds, and
 * the chunk that completes it makes the server hash the whole file. A file
 * that hashes to its address becomes an evidence file (evidence_files), read
 * back through the evidence routes; one that does not is discarded whole.
 *
 * An upload belongs to one store: a device of another store asking for it is
 * answered exactly like an upload that does not exist. The upload of a file
 * the server already holds from another store still takes every byte, so a
 * store never learns from an answer what another store sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  MAX_UPLOAD_BYTES,
  UPLOAD_MEDIA_TYPES,
  announceBody,
  uploadParams,
  type UploadMediaType,
  type UploadState,
} from '../../shared/attachments/protocol.ts';
import type { ServerDb } from '../db/open.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';

type AttachmentTables = {
  attachment_uploads: {
    id: string;
    store_id: string;
    device_id: string;
    sha256: string;
    media_type: string;
    size: number;
    received: number;
    created_at: string;
    completed_at: string | null;
  };
  attachment_upload_chunks: { upload_id: string; start_offset: number; data: Uint8Array };
};
type Db = Kysely<ServerSchema & AttachmentTables>;
type Upload = AttachmentTables['attachment_uploads'];

export type Uploader = { storeId: string; deviceId: string };

/**
 * An unfinished upload older than this is dropped with its chunks when its
 * store announces a file, so an abandoned 25 MB upload does not stay in the
 * database for good; a console that comes back later starts that file at 0.
 */
const STALE_UPLOAD_MS = 30 * 24 * 60 * 60 * 1000;

function dbOf(store: ServerDb): Db {
  return store.db.withTables<AttachmentTables>();
}

function stateOf(u: Upload): UploadState {
  return {
    uploadId: u.id,
    sha256: u.sha256,
    size: Number(u.size),
    offset: Number(u.received),
    isComplete: u.completed_at !== null,
  };
}

function isMediaType(value: string): value is UploadMediaType {
  return (UPLOAD_MEDIA_TYPES as readonly string[]).includes(value);
}

/** Starts an upload, or answers the one this store already has for the file. */
export async function announceUpload(
  store: ServerDb,
  who: Uploader,
  body: unknown,
  now: Date,
): Promise<UploadState> {
  const input = parseInput(announceBody, body, 'The attachment');
  if (input.size > MAX_UPLOAD_BYTES)
    throw new ServerError(
      'payload_too_large',
      `An attachment is at most ${MAX_UPLOAD_BYTES} bytes; this one is ${input.size}. Nothing was stored.`,
    );
  if (!isMediaType(input.mediaType))
    throw new ServerError(
      'unsupported_media_type',
      `The server does not take ${input.mediaType} attachments (it takes ${UPLOAD_MEDIA_TYPES.join(', ')}). Nothing was stored.`,
    );
  const db = dbOf(store);
  return db.transaction().execute(async (trx) => {
    const stale = trx
      .selectFrom('attachment_uploads')
      .select('id')
      .where('store_id', '=', who.storeId)
      .where('completed_at', 'is', null)
      .where('created_at', '<', new Date(now.getTime() - STALE_UPLOAD_MS).toISOString());
    await trx.deleteFrom('attachment_upload_chunks').where('upload_id', 'in', stale).execute();
    await trx
      .deleteFrom('attachment_uploads')
      .where('store_id', '=', who.storeId)
      .where('completed_at', 'is', null)
      .where('created_at', '<', new Date(now.getTime() - STALE_UPLOAD_MS).toISOString())
      .execute();
    const held = await trx
      .selectFrom('attachment_uploads')
      .selectAll()
      .where('store_id', '=', who.storeId)
      .where('sha256', '=', input.sha256)
      .executeTakeFirst();
    if (held && Number(held.size) === input.size && held.media_type === input.mediaType)
      return stateOf(held);
    if (held?.completed_at != null)
      throw new ServerError(
        'invalid_input',
        `This store already sent the file ${input.sha256} as ${held.size} bytes of ${held.media_type}; it cannot be ${input.size} bytes of ${input.mediaType}.`,
      );
    if (held) {
      // An unfinished upload announced with another size or type: one of the
      // two announcements is wrong, and the hash check decides; start over.
      await trx.deleteFrom('attachment_upload_chunks').where('upload_id', '=', held.id).execute();
      await trx.deleteFrom('attachment_uploads').where('id', '=', held.id).execute();
    }
    const upload: Upload = {
      id: randomUUID(),
      store_id: who.storeId,
      device_id: who.deviceId,
      sha256: input.sha256,
      media_type: input.mediaType,
      size: input.size,
      received: 0,
      created_at: now.toISOString(),
      completed_at: null,
    };
    await trx.insertInto('attachment_uploads').values(upload).execute();
    return stateOf(upload);
  });
}

async function uploadOf(
  db: Db | Transaction<ServerSchema & AttachmentTables>,
  who: Uploader,
  params: unknown,
): Promise<Upload> {
  const { uploadId } = parseInput(uploadParams, params, 'The upload address');
  const upload = await db
    .selectFrom('attachment_uploads')
    .selectAll()
    .where('id', '=', uploadId)
    .where('store_id', '=', who.storeId)
    .executeTakeFirst();
  // Another store's upload answers like one that does not exist.
  if (!upload) throw new ServerError('not_found', `There is no upload ${uploadId} of this store.`);
  return upload;
}

export async function uploadStatus(
  store: ServerDb,
  who: Uploader,
  params: unknown,
): Promise<UploadState> {
  return stateOf(await uploadOf(dbOf(store), who, params));
}

/** The Upload-Offset header: a non-negative decimal integer, as tus defines it. */
export function parseUploadOffset(value: string | string[] | undefined): number {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value))
    throw new ServerError(
      'invalid_input',
      'A chunk needs an Upload-Offset header: the byte offset it starts at. Nothing was stored.',
    );
  return Number(value);
}

function offsetMismatch(held: number, sent: number): ServerError {
  return new ServerError(
    'offset_mismatch',
    `The server holds ${held} bytes of this attachment; the chunk starts at ${sent}. Send from ${held}. Nothing was stored.`,
    { offset: held },
  );
}

/** What the bytes' signature says for types that have one; true for the others. */
function isOfType(bytes: Buffer, mediaType: string): boolean {
  switch (mediaType) {
    case 'image/png':
      return bytes
        .subarray(0, 8)
        .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/jpeg':
      return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    case 'image/webp':
      return (
        bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
        bytes.subarray(8, 12).toString('latin1') === 'WEBP'
      );
    case 'image/gif':
      return bytes.subarray(0, 4).toString('latin1') === 'GIF8';
    case 'application/pdf':
      return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
    default:
      return true;
  }
}

type ChunkOutcome = { state: UploadState } | { refusal: ServerError };

/**
 * Appends one chunk at `offset`. The offset moves with a guarded UPDATE in the
 * chunk's transaction, so two processes sending the same chunk at once store
 * it once and the other gets 409 with the offset held.
 */
export async function appendChunk(
  store: ServerDb,
  who: Uploader,
  params: unknown,
  offset: number,
  bytes: Buffer,
  now: Date,
): Promise<UploadState> {
  const db = dbOf(store);
  const outcome = await db.transaction().execute(async (trx): Promise<ChunkOutcome> => {
    const upload = await uploadOf(trx, who, params);
    const held = Number(upload.received);
    const size = Number(upload.size);
    if (upload.completed_at !== null) {
      // A repeated last chunk (its answer was lost) is acknowledged again.
      if (offset === size) return { state: stateOf(upload) };
      throw offsetMismatch(held, offset);
    }
    if (offset !== held) throw offsetMismatch(held, offset);
    if (bytes.length === 0)
      throw new ServerError('invalid_input', 'The chunk is empty. Nothing was stored.');
    if (held + bytes.length > size)
      throw new ServerError(
        'invalid_input',
        `The chunk runs to byte ${held + bytes.length}, past the ${size} bytes announced. Nothing was stored.`,
      );
    const moved = await trx
      .updateTable('attachment_uploads')
      .set({ received: held + bytes.length })
      .where('id', '=', upload.id)
      .where('received', '=', held)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) {
      const now2 = await uploadOf(trx, who, params);
      throw offsetMismatch(Number(now2.received), offset);
    }
    await trx
      .insertInto('attachment_upload_chunks')
      .values({ upload_id: upload.id, start_offset: held, data: bytes })
      .execute();
    const received = held + bytes.length;
    if (received < size) return { state: { ...stateOf(upload), offset: received } };

    const chunks = await trx
      .selectFrom('attachment_upload_chunks')
      .select('data')
      .where('upload_id', '=', upload.id)
      .orderBy('start_offset')
      .execute();
    const file = Buffer.concat(chunks.map((c) => Buffer.from(c.data)));
    await trx.deleteFrom('attachment_upload_chunks').where('upload_id', '=', upload.id).execute();
    const hash = createHash('sha256').update(file).digest('hex');
    if (hash !== upload.sha256 || !isOfType(file, upload.media_type)) {
      // Discarded whole, in this transaction: the device announces again and resends.
      await trx.deleteFrom('attachment_uploads').where('id', '=', upload.id).execute();
      return {
        refusal:
          hash !== upload.sha256
            ? new ServerError(
                'bad_hash',
                `The ${size} bytes received hash to ${hash}, not to the announced ${upload.sha256}. The upload was discarded; nothing was stored.`,
              )
            : new ServerError(
                'invalid_input',
                `The file is not a ${upload.media_type} file. The upload was discarded; nothing was stored.`,
              ),
      };
    }
    // Concurrent uploads of the same bytes by two stores: the first insert wins; both stores may read it.
    await trx
      .insertInto('evidence_files')
      .values({
        sha256: upload.sha256,
        store_id: who.storeId,
        mime_type: upload.media_type,
        byte_length: size,
        data: file,
        received_at: now.toISOString(),
        archived_at: null,
        archive_path: null,
      })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    const completedAt = now.toISOString();
    await trx
      .updateTable('attachment_uploads')
      .set({ completed_at: completedAt })
      .where('id', '=', upload.id)
      .execute();
    return { state: { ...stateOf(upload), offset: size, isComplete: true } };
  });
  // Thrown after the commit, so the discard of a bad upload stays.
  if ('refusal' in outcome) throw outcome.refusal;
  return outcome.state;
}

/** Whether a completed upload of this store holds the file (the store may read it back). */
export async function hasStoreUploaded(
  store: ServerDb,
  storeId: string,
  sha256: string,
): Promise<boolean> {
  const row = await dbOf(store)
    .selectFrom('attachment_uploads')
    .select('id')
    .where('store_id', '=', storeId)
    .where('sha256', '=', sha256)
    .where('completed_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}
