/**
 * The console's side of the resumable attachment upload
 * (shared/attachments/protocol.ts): announce the file, then send chunks from
 * the offset the server says it holds. Nothing the server already has is
 * sent again: after a cut connection, a lost answer or a restart of the
 * console, the next attempt announces again and resumes at the server's
 * offset; a chunk refused with 409 `offset_mismatch` continues at the offset
 * the refusal names.
 */
import {
  CHUNK_BYTES,
  CHUNK_CONTENT_TYPE,
  attachmentChunkPath,
  uploadState,
  type UploadState,
} from '../../shared/attachments/protocol.ts';
import { protocolError, type ProtocolError } from '../../shared/sync/protocol.ts';
import { SyncHttpError, type FetchLike } from './client.ts';

/** Codes after which the same file will never be accepted: offering it again changes nothing. */
const PERMANENT_REFUSALS: ReadonlySet<ProtocolError['code']> = new Set([
  'payload_too_large',
  'unsupported_media_type',
  'invalid_input',
]);

/** The server refused the file for good (too big, a media type it does not take). */
export class AttachmentRefused extends Error {
  readonly code: ProtocolError['code'];
  constructor(code: ProtocolError['code'], message: string) {
    super(message);
    this.name = 'AttachmentRefused';
    this.code = code;
  }
}

export type ResumableUpload = {
  fetch: FetchLike;
  /** The server's URL without a trailing slash. */
  base: string;
  token: string;
  timeoutMs: number;
  sha256: string;
  mediaType: string;
  /** The whole file, already checked against its sha256. */
  bytes: Buffer;
  chunkBytes?: number | undefined;
  /** After each chunk the server confirmed: the bytes it holds. */
  onProgress?: ((sentBytes: number) => void) | undefined;
};

type Answer = { status: number; json: unknown };

async function call(
  options: ResumableUpload,
  path: string,
  init: { body: string | Buffer; headers: Record<string, string> },
): Promise<Answer> {
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(`${options.base}${path}`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${options.token}`,
        ...init.headers,
      },
      body: init.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch {
    throw new SyncHttpError('network', 'The central server is not reachable (attachment upload).');
  }
  try {
    return { status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    throw new SyncHttpError(
      'malformed',
      `The central server answered an attachment upload with something that is not JSON (HTTP ${response.status}).`,
      response.status,
    );
  }
}

function stateFrom(answer: Answer, sha256: string): UploadState {
  const state = uploadState.safeParse(answer.json);
  if (!state.success || state.data.sha256 !== sha256)
    throw new SyncHttpError(
      'malformed',
      "The central server's answer to an attachment upload does not follow the protocol.",
      answer.status,
    );
  return state.data;
}

function refusalOf(answer: Answer): never {
  const parsed = protocolError.safeParse(answer.json);
  const body = parsed.success ? parsed.data : null;
  if (body && PERMANENT_REFUSALS.has(body.code))
    throw new AttachmentRefused(body.code, body.message);
  throw new SyncHttpError(
    body ? 'protocol' : 'malformed',
    body?.message ?? `Attachment upload failed (HTTP ${answer.status}).`,
    answer.status,
    body,
  );
}

/**
 * Uploads one file to completion, or throws: SyncHttpError when the cycle
 * should be retried later (network, server trouble, a hash mismatch in
 * transit, which the server discarded), AttachmentRefused when never.
 */
export async function uploadResumable(options: ResumableUpload): Promise<UploadState> {
  const { bytes, sha256 } = options;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const announced = await call(options, '/v1/attachments', {
    body: JSON.stringify({ sha256, size: bytes.length, mediaType: options.mediaType }),
    headers: { 'content-type': 'application/json' },
  });
  if (announced.status !== 200) refusalOf(announced);
  let state = stateFrom(announced, sha256);
  options.onProgress?.(state.offset);
  // Each round either moves the offset forward or learns the server's: bounded by twice the chunk count.
  const maxRounds = 2 * Math.ceil(bytes.length / chunkBytes) + 4;
  for (let round = 0; !state.isComplete; round++) {
    if (round >= maxRounds)
      throw new SyncHttpError(
        'protocol',
        'The central server does not move this attachment forward; it is tried again next sync.',
      );
    const offset = state.offset;
    const answer = await call(options, attachmentChunkPath(state.uploadId), {
      body: bytes.subarray(offset, offset + chunkBytes),
      headers: { 'content-type': CHUNK_CONTENT_TYPE, 'upload-offset': String(offset) },
    });
    if (answer.status === 200) {
      state = stateFrom(answer, sha256);
    } else {
      const refusal = protocolError.safeParse(answer.json);
      if (
        answer.status === 409 &&
        refusal.success &&
        refusal.data.code === 'offset_mismatch' &&
        refusal.data.offset !== undefined
      ) {
        // The chunk before arrived but its answer did not: go on from what the server holds.
        state = { ...state, offset: refusal.data.offset };
      } else {
        refusalOf(answer);
      }
    }
    options.onProgress?.(state.offset);
  }
  return state;
}
