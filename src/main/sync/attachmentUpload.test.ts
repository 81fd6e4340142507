/**
 * Big attachments reach the REAL central server (a child process) through the
 * resumable upload: over a link that cuts connections at seeded random
 * offsets, and across a restart of the console mid-upload, the server ends
 * with bytes that hash to the file's sha256, and a chunk the server already
 * confirmed is never sent again. Replay a seed with ATTACHMENT_FAULT_SEED=<seed>.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random.ts';
import { createEvidenceStore } from '../checklists/evidenceStore.ts';
import type { FetchLike } from './client.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { openTestConsole, type TestConsole } from './testing/console.ts';
import { startCuttingProxy } from './testing/cuttingProxy.ts';

const SEED = Number(process.env.ATTACHMENT_FAULT_SEED ?? 20_261_207);
const STORE = 'st-par-01';
const CHUNK = 256 * 1024;

let root: string;
let server: CentralServerProcess;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'attachment-upload-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
}, 60_000);
afterAll(async () => {
  await server?.kill();
  rmSync(root, { recursive: true, force: true });
});

async function enrollmentCode(): Promise<string> {
  const res = await fetch(`${server.url}/v1/admin/enrollment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ storeId: STORE }),
  });
  return ((await res.json()) as { code: string }).code;
}

/** A 10 MB "screenshot": a PNG signature, then noise that no compression along the way could shrink. */
function screenshot(bytes: number): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    randomBytes(bytes - 8),
  ]);
}

/** Puts the file on the console as a report's evidence would be (content-addressed, listed in evidence_files). */
function attach(c: TestConsole, bytes: Buffer, name: string): string {
  const sha256 = createEvidenceStore(c.dir).put(bytes);
  c.db.sqlite
    .prepare(
      `INSERT INTO evidence_files (sha256, mime_type, byte_length, file_name, run_id, event_id, attached_by, attached_at)
       VALUES (?, 'image/png', ?, ?, NULL, 'ev-test', 'u-tech', ?)`,
    )
    .run(sha256, bytes.length, name, new Date().toISOString());
  return sha256;
}

/** What the server stores, read back by an auditor. */
async function storedHash(sha256: string): Promise<string> {
  const res = await fetch(`${server.url}/v1/evidence/${sha256}`, {
    headers: { authorization: `Bearer ${server.auditorToken}` },
  });
  expect(res.status).toBe(200);
  return createHash('sha256')
    .update(Buffer.from(await res.arrayBuffer()))
    .digest('hex');
}

type Sent = { offset: number; bytes: number };

/** Real fetch, noting every chunk the console sends (offset and size) and every file it announces. */
function recordingFetch(sent: Sent[], announced: string[] = []): FetchLike {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const offset = headers.get('upload-offset');
    if (offset !== null)
      sent.push({ offset: Number(offset), bytes: (init?.body as Buffer).length });
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    if (url.endsWith('/v1/attachments')) announced.push(init?.body as string);
    return fetch(input, init);
  };
}

function isUploaded(c: TestConsole, sha256: string): boolean {
  return (
    c.db.sqlite.prepare('SELECT 1 FROM evidence_uploads WHERE sha256 = ?').get(sha256) !== undefined
  );
}

describe('big attachments over a bad link', () => {
  it(`a 10 MB screenshot arrives whole over a link cut every 0.3–1.5 MB, and the events wait for it (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const proxy = await startCuttingProxy({
      target: server.url,
      random,
      minBytes: 300 * 1024,
      maxBytes: 1_500 * 1024,
      answerCutShare: 0.3,
    });
    const dir = join(root, 'flaky');
    mkdirSync(dir);
    const sent: Sent[] = [];
    const c = await openTestConsole(dir, { timeoutMs: 10_000, fetch: recordingFetch(sent) });
    try {
      proxy.pause();
      await c.engine.connect({ serverUrl: proxy.url, enrollmentCode: await enrollmentCode() });
      proxy.resume();
      const file = screenshot(10 * 1024 * 1024);
      const sha256 = attach(c, file, 'screen.png');
      c.record(3);
      const progress: number[] = [];
      const off = c.engine.onStatus((s) => {
        if (s.upload) progress.push(s.upload.sentBytes);
      });
      let cycles = 0;
      while (!isUploaded(c, sha256) || c.engine.status().pendingEvents > 0) {
        cycles += 1;
        expect(cycles, `seed ${SEED}: ${JSON.stringify(proxy.stats)}`).toBeLessThan(200);
        await c.engine.syncOnce();
        // Not one event leaves before the file they may cite is on the server.
        if (!isUploaded(c, sha256)) expect(c.engine.status().pendingEvents).toBe(3);
      }
      off();
      const context = `seed ${SEED}; ${JSON.stringify(proxy.stats)}`;
      expect(proxy.stats.cutRequests + proxy.stats.cutAnswers, context).toBeGreaterThan(5);
      expect(proxy.stats.cutAnswers, context).toBeGreaterThan(0);
      expect(await storedHash(sha256), context).toBe(sha256);
      // Resent: only chunks the server never confirmed (cut on the way, or answered with
      // offset_mismatch after a lost answer), never more than one chunk per cut.
      const sentBytes = sent.reduce((n, s) => n + s.bytes, 0);
      const cuts = proxy.stats.cutRequests + proxy.stats.cutAnswers;
      expect(sentBytes, context).toBeLessThanOrEqual(file.length + cuts * CHUNK);
      // The progress shown never went back: each value came from the server.
      for (let i = 1; i < progress.length; i++)
        if (progress[i]! < progress[i - 1]!) expect(progress[i], context).toBe(0);
      expect(progress.at(-1)).toBe(file.length);
      expect(c.engine.status().upload).toBeNull();
    } finally {
      await c.close();
      await proxy.close();
    }
  }, 120_000);

  it('a console restarted mid-upload resumes at the offset the server holds and sends nothing twice', async () => {
    const dir = join(root, 'restart');
    mkdirSync(dir);
    const file = screenshot(3 * 1024 * 1024 + 5);
    const before: Sent[] = [];
    // The console "dies" after 5 chunks: the sixth request never leaves.
    const dying: FetchLike = async (input, init) => {
      const headers = new Headers(init?.headers);
      if (headers.get('upload-offset') !== null && before.length >= 5)
        throw new TypeError('fetch failed');
      return recordingFetch(before)(input, init);
    };
    let c = await openTestConsole(dir, { timeoutMs: 10_000, fetch: dying });
    await c.engine.connect({ serverUrl: server.url, enrollmentCode: await enrollmentCode() });
    const sha256 = attach(c, file, 'big.png');
    expect((await c.engine.syncOnce()).ok).toBe(false);
    await c.close();
    expect(before.map((s) => s.offset)).toEqual([0, 1, 2, 3, 4].map((i) => i * CHUNK));

    const after: Sent[] = [];
    c = await openTestConsole(dir, { timeoutMs: 10_000, fetch: recordingFetch(after) });
    try {
      expect((await c.engine.syncOnce()).ok).toBe(true);
      expect(isUploaded(c, sha256)).toBe(true);
      // The first chunk after the restart starts where the fifth ended.
      expect(after[0]!.offset).toBe(5 * CHUNK);
      expect(before.concat(after).reduce((n, s) => n + s.bytes, 0)).toBe(file.length);
      expect(await storedHash(sha256)).toBe(sha256);
    } finally {
      await c.close();
    }
  }, 60_000);

  it('a file the server refuses for good is remembered with its reason and never offered again', async () => {
    const dir = join(root, 'refused');
    mkdirSync(dir);
    const sent: Sent[] = [];
    const announced: string[] = [];
    const c = await openTestConsole(dir, {
      timeoutMs: 10_000,
      fetch: recordingFetch(sent, announced),
    });
    try {
      await c.engine.connect({ serverUrl: server.url, enrollmentCode: await enrollmentCode() });
      const video = randomBytes(900_000);
      const sha256 = createEvidenceStore(c.dir).put(video);
      c.db.sqlite
        .prepare(
          `INSERT INTO evidence_files (sha256, mime_type, byte_length, file_name, run_id, event_id, attached_by, attached_at)
           VALUES (?, 'video/mp4', ?, 'till.mp4', NULL, 'ev-test', 'u-tech', ?)`,
        )
        .run(sha256, video.length, new Date().toISOString());
      c.record(1);
      expect((await c.engine.syncOnce()).ok).toBe(true);
      expect(c.engine.status()).toMatchObject({
        pendingEvents: 0,
        refusedAttachments: [{ sha256, name: 'till.mp4', code: 'unsupported_media_type' }],
      });
      expect(c.engine.status().refusedAttachments![0]!.message).toMatch(/video\/mp4/);
      expect(sent).toEqual([]);
      expect(announced).toHaveLength(1);
      // The next sync does not offer it again.
      expect((await c.engine.syncOnce()).ok).toBe(true);
      expect(announced).toHaveLength(1);
      expect(
        c.db.sqlite
          .prepare('SELECT count(*) FROM evidence_uploads WHERE sha256 = ?')
          .pluck()
          .get(sha256),
      ).toBe(0);
    } finally {
      await c.close();
    }
  }, 60_000);
});
