/**
 * Resumable attachment uploads on both backends, over real HTTP: announce,
 * chunks at the held offset, the whole file hashed on completion, stored as
 * evidence and read back by the store and by auditors; every bad input a 4xx
 * with a code that stores nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHUNK_CONTENT_TYPE,
  MAX_CHUNK_BYTES,
  MAX_UPLOAD_BYTES,
} from '../../shared/attachments/protocol.ts';
import { createSimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  enrollSim,
  openApiResponseChecker,
  startTestServer,
  type LooseBody,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let postgres: TestPostgres | null = null;
afterAll(() => postgres?.stop());

describe.each(['sqlite', 'postgres'] as const)('resumable attachment uploads on %s', (dialect) => {
  let t: TestServer;
  let s1: string;
  let s2: string;
  let auditor: string;
  let check: ReturnType<typeof openApiResponseChecker>;

  beforeAll(async () => {
    if (dialect === 'postgres') postgres ??= await startTestPostgres();
    t = await startTestServer(
      dialect === 'postgres' ? { databaseUrl: await postgres!.createDatabase() } : {},
    );
    check = openApiResponseChecker(
      t.server.app.swagger() as unknown as Parameters<typeof openApiResponseChecker>[0],
    );
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    s1 = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    s2 = await enrollSim(t, createSimDevice('S-2'), 'S-2');
    auditor = (
      await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'a' },
      })
    ).body.token;
  }, 120_000);
  afterAll(() => t?.close());

  const announce = (token: string, body: object) =>
    t.call('POST', '/v1/attachments', { token, body });

  async function chunk(
    token: string,
    uploadId: string,
    offset: number | null,
    bytes: Buffer,
    contentType = CHUNK_CONTENT_TYPE,
  ): Promise<{ status: number; body: LooseBody; headers: Headers }> {
    const path = `/v1/attachments/${uploadId}`;
    const res = await fetch(t.url + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': contentType,
        ...(offset === null ? {} : { 'upload-offset': String(offset) }),
      },
      body: bytes,
    });
    const body = (await res.json()) as LooseBody;
    check('POST', path, res.status, res.headers.get('content-type') ?? '', body);
    return { status: res.status, body, headers: res.headers };
  }

  async function evidenceRows(hash: string): Promise<number> {
    const rows = await t.server.store.db
      .selectFrom('evidence_files')
      .select('sha256')
      .where('sha256', '=', hash)
      .execute();
    return rows.length;
  }

  async function download(path: string, token: string): Promise<{ status: number; bytes: Buffer }> {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  it('takes a 3 MB crash dump in chunks, answers a chunk at a stale offset with 409 and the held offset, and stores the file whole once it hashes right', async () => {
    const file = randomBytes(3 * 1024 * 1024 + 123);
    const hash = sha(file);
    const started = await announce(s1, {
      sha256: hash,
      size: file.length,
      mediaType: 'application/octet-stream',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toMatchObject({ sha256: hash, offset: 0, isComplete: false });
    const id = started.body.uploadId as string;

    const first = await chunk(s1, id, 0, file.subarray(0, 1024 * 1024));
    expect(first.body).toMatchObject({ offset: 1024 * 1024, isComplete: false });
    expect(first.headers.get('upload-offset')).toBe(String(1024 * 1024));
    // The answer was "lost": the same chunk again is refused with where to go on.
    const again = await chunk(s1, id, 0, file.subarray(0, 1024 * 1024));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'offset_mismatch', offset: 1024 * 1024 });
    // Announcing again (a restarted console) answers the same upload and offset.
    expect(
      (
        await announce(s1, {
          sha256: hash,
          size: file.length,
          mediaType: 'application/octet-stream',
        })
      ).body,
    ).toMatchObject({ uploadId: id, offset: 1024 * 1024 });
    expect((await t.call('GET', `/v1/attachments/${id}`, { token: s1 })).body).toMatchObject({
      offset: 1024 * 1024,
    });
    expect(await evidenceRows(hash)).toBe(0);

    for (let offset = 1024 * 1024; offset < file.length; offset += 1024 * 1024) {
      const res = await chunk(s1, id, offset, file.subarray(offset, offset + 1024 * 1024));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect((await t.call('GET', `/v1/attachments/${id}`, { token: s1 })).body).toMatchObject({
      offset: file.length,
      isComplete: true,
    });
    // A repeated last chunk is acknowledged; a new announcement needs no byte.
    expect((await chunk(s1, id, file.length, Buffer.from('x'))).body).toMatchObject({
      isComplete: true,
    });
    expect(
      (
        await announce(s1, {
          sha256: hash,
          size: file.length,
          mediaType: 'application/octet-stream',
        })
      ).body,
    ).toMatchObject({ uploadId: id, offset: file.length, isComplete: true });

    const byAuditor = await download(`/v1/evidence/${hash}`, auditor);
    expect(byAuditor.status).toBe(200);
    expect(sha(byAuditor.bytes)).toBe(hash);
    expect((await download(`/v1/store/evidence/${hash}`, s1)).bytes.equals(file)).toBe(true);
    // Another store learns nothing of it.
    expect((await download(`/v1/store/evidence/${hash}`, s2)).status).toBe(404);
    const leftover = await t.server.store.db
      .withTables<{ attachment_upload_chunks: { upload_id: string } }>()
      .selectFrom('attachment_upload_chunks')
      .select('upload_id')
      .where('upload_id', '=', id)
      .execute();
    expect(leftover).toEqual([]);
  });

  it('stores a chunk sent twice at once (two server processes, a retried request) once: the other gets 409 with the new offset', async () => {
    const file = randomBytes(600_000);
    const hash = sha(file);
    const id = (
      await announce(s1, { sha256: hash, size: file.length, mediaType: 'application/octet-stream' })
    ).body.uploadId as string;
    const half = file.subarray(0, 300_000);
    const both = await Promise.all([chunk(s1, id, 0, half), chunk(s1, id, 0, half)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)!.body).toMatchObject({
      code: 'offset_mismatch',
      offset: 300_000,
    });
    const done = await chunk(s1, id, 300_000, file.subarray(300_000));
    expect(done.body).toMatchObject({ isComplete: true });
    expect((await download(`/v1/store/evidence/${hash}`, s1)).bytes.equals(file)).toBe(true);
  });

  it('discards a completed upload whose bytes hash to something else, and a retry starts from 0', async () => {
    const announced = randomBytes(300_000);
    const sent = Buffer.from(announced);
    sent[12_345] = sent[12_345]! ^ 0xff;
    const hash = sha(announced);
    const id = (await announce(s1, { sha256: hash, size: sent.length, mediaType: 'text/plain' }))
      .body.uploadId as string;
    const res = await chunk(s1, id, 0, sent);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('bad_hash');
    expect(await evidenceRows(hash)).toBe(0);
    expect((await t.call('GET', `/v1/attachments/${id}`, { token: s1 })).status).toBe(404);
    const retry = await announce(s1, { sha256: hash, size: sent.length, mediaType: 'text/plain' });
    expect(retry.body).toMatchObject({ offset: 0, isComplete: false });
    expect(retry.body.uploadId).not.toBe(id);
  });

  it('drops an unfinished upload older than 30 days, with its chunks, when its store announces a file', async () => {
    const file = randomBytes(200_000);
    const id = (
      await announce(s1, { sha256: sha(file), size: file.length, mediaType: 'text/plain' })
    ).body.uploadId as string;
    expect((await chunk(s1, id, 0, file.subarray(0, 100_000))).status).toBe(200);
    const uploads = t.server.store.db.withTables<{
      attachment_uploads: { id: string; created_at: string };
      attachment_upload_chunks: { upload_id: string };
    }>();
    await uploads
      .updateTable('attachment_uploads')
      .set({ created_at: new Date(Date.now() - 31 * 24 * 60 * 60 * 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    const other = randomBytes(1000);
    await announce(s1, { sha256: sha(other), size: other.length, mediaType: 'text/plain' });
    expect((await t.call('GET', `/v1/attachments/${id}`, { token: s1 })).status).toBe(404);
    const chunks = await uploads
      .selectFrom('attachment_upload_chunks')
      .select('upload_id')
      .where('upload_id', '=', id)
      .execute();
    expect(chunks).toEqual([]);
  });

  it('refuses bad input with a code and stores nothing', async () => {
    const file = randomBytes(50_000);
    const hash = sha(file);
    // Size over the limit, unknown media type, malformed hash.
    const big = await announce(s1, {
      sha256: hash,
      size: MAX_UPLOAD_BYTES + 1,
      mediaType: 'image/png',
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
    const video = await announce(s1, { sha256: hash, size: file.length, mediaType: 'video/mp4' });
    expect(video.status).toBe(415);
    expect(video.body.code).toBe('unsupported_media_type');
    expect(
      (await announce(s1, { sha256: 'abc', size: 1, mediaType: 'text/plain' })).body.code,
    ).toBe('invalid_input');

    const id = (
      await announce(s1, { sha256: hash, size: file.length, mediaType: 'application/zip' })
    ).body.uploadId as string;
    // Offset beyond what is held (and beyond the size).
    const beyond = await chunk(s1, id, file.length + 10, file.subarray(0, 10));
    expect(beyond.status).toBe(409);
    expect(beyond.body).toMatchObject({ code: 'offset_mismatch', offset: 0 });
    // A chunk running past the announced size.
    const past = await chunk(s1, id, 0, Buffer.concat([file, Buffer.from('extra')]));
    expect(past.status).toBe(400);
    expect(past.body.code).toBe('invalid_input');
    // No offset header; the wrong content type.
    expect((await chunk(s1, id, null, file.subarray(0, 10))).body.code).toBe('invalid_input');
    expect(
      (await chunk(s1, id, 0, file.subarray(0, 10), 'application/octet-stream')).status,
    ).toBeGreaterThanOrEqual(400);
    // Another store's upload id: answered like no upload at all.
    const foreign = await chunk(s2, id, 0, file.subarray(0, 10));
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await t.call('GET', `/v1/attachments/${id}`, { token: s2 })).status).toBe(404);
    // A chunk over the per-request limit: 413 before it is read.
    const huge = await chunk(s1, id, 0, Buffer.alloc(MAX_CHUNK_BYTES + 1));
    expect(huge.status).toBe(413);
    // No token: 401.
    const res = await fetch(`${t.url}/v1/attachments/${id}`, {
      method: 'POST',
      headers: { 'content-type': CHUNK_CONTENT_TYPE, 'upload-offset': '0' },
      body: file,
    });
    expect(res.status).toBe(401);

    // Nothing of any of it was kept.
    expect((await t.call('GET', `/v1/attachments/${id}`, { token: s1 })).body).toMatchObject({
      offset: 0,
      isComplete: false,
    });
    expect(await evidenceRows(hash)).toBe(0);
  });
});
