/**
 * A crash dump offered by the report form reaches the support desk: a store
 * console files a bug report with a local crash dump, syncs to the REAL
 * central server (a child process), and a support desk downloads exactly the
 * dump's bytes; a desk outside the store's region is refused. A file the
 * server will not take is shown on its report instead of retried forever.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract/index.ts';
import type { FiledBugReport } from '../../shared/feedback/types.ts';
import { expectOk, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import type { OurReports } from '../feedback/ourReports.ts';
import { issueEnrollmentCode } from '../crossDevice/testing.ts';
import { createSyncFactory } from './plugin.ts';
import { createFileSecretStore } from './secretStore.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';

const STORE = 'st-par-01';

let root: string;
let server: CentralServerProcess;
let app: TestApp;
let dump: Buffer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crash-dump-upload-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  const crashDumpDir = join(root, 'crashDumps');
  mkdirSync(join(crashDumpDir, 'completed'), { recursive: true });
  // A minidump: its signature, then 2 MB (three times the old evidence limit).
  dump = Buffer.concat([Buffer.from('MDMP\x93\xa7\x00\x00', 'latin1'), randomBytes(2_000_000)]);
  writeFileSync(join(crashDumpDir, 'completed', '3f1c9e-console.dmp'), dump);
  const dir = join(root, 'console');
  app = await startTestApp({
    dir,
    withDemo: false,
    crashDumpDir,
    sync: createSyncFactory({ secrets: createFileSecretStore(join(dir, 'keys')) }),
  });
  const catalogArrived = new Promise<void>((done) => {
    const off = app.events.on('db:changed', ({ tables }) => {
      if (tables.includes('users')) {
        off();
        done();
      }
    });
  });
  expectOk(
    await app.dispatch('sync:connect', {
      serverUrl: server.url,
      enrollmentCode: await issueEnrollmentCode(server, STORE),
    }),
  );
  await catalogArrived;
  expectOk(await app.dispatch('session:signIn', TECH));
}, 120_000);

afterAll(async () => {
  await app?.dispose();
  await server?.kill();
  rmSync(root, { recursive: true, force: true });
});

async function deskToken(scope: string, deskId: string): Promise<string> {
  const code = await fetch(`${server.url}/v1/admin/desk-enrollment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scope, role: 'support' }),
  });
  const { publicKey } = generateKeyPairSync('ed25519');
  const enrolled = await fetch(`${server.url}/v1/desk/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: ((await code.json()) as { code: string }).code,
      deskId,
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64'),
    }),
  });
  return ((await enrolled.json()) as { deskToken: string }).deskToken;
}

describe('a crash dump attached to a bug report', () => {
  it('reaches the central server with the report and the support desk downloads its exact bytes', async () => {
    const listed = expectOk(await app.dispatch('shell:listCrashDumps', {})) as {
      dumps: Array<{ name: string }>;
    };
    expect(listed.dumps.map((d) => d.name)).toEqual([join('completed', '3f1c9e-console.dmp')]);
    const filed = expectOk(
      await app.dispatch('feedback:fileBugReport', {
        title: 'Console closed while printing the Z report',
        happened: 'The window vanished.',
        expected: 'The Z report prints.',
        severitySuggestion: 'S2',
        screen: '/fleet',
        selection: {},
        includeBreadcrumbs: false,
        includeLog: false,
        attachments: [],
        crashDumps: [listed.dumps[0]!.name],
      }),
    ) as FiledBugReport;
    const sha256 = createHash('sha256').update(dump).digest('hex');
    expect(filed.attachments).toEqual([
      expect.objectContaining({ sha256, kind: 'crash_dump', size: dump.length }),
    ]);

    let status: SyncStatus | null = null;
    for (let cycle = 0; cycle < 5 && (status?.pendingEvents ?? 1) > 0; cycle++)
      status = expectOk(await app.dispatch('sync:now', {})) as SyncStatus;
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null, refusedAttachments: [] });

    const everywhere = await deskToken('all', 'support-all');
    const url = `${server.url}/v1/desk/feedback/reports/${filed.id}/attachments/${sha256}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${everywhere}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('3f1c9e-console.dmp');
    expect(Buffer.from(await res.arrayBuffer()).equals(dump)).toBe(true);

    // A desk for another region, and a file the report does not carry: refused.
    const apac = await deskToken('region:Asia Pacific', 'support-apac');
    expect((await fetch(url, { headers: { authorization: `Bearer ${apac}` } })).status).toBe(403);
    const other = `${server.url}/v1/desk/feedback/reports/${filed.id}/attachments/${'0'.repeat(64)}`;
    expect(
      (await fetch(other, { headers: { authorization: `Bearer ${everywhere}` } })).status,
    ).toBe(404);
  }, 60_000);

  it('an attachment the server will not take is shown on the report and on the sync screen, and the report still arrives', async () => {
    const video = randomBytes(400_000);
    const uploadId = randomUUID();
    const staged = expectOk(
      await app.dispatch('feedback:putAttachmentPiece', {
        uploadId,
        offset: 0,
        dataBase64: video.toString('base64'),
        isLast: true,
      }),
    ) as { sha256: string };
    const filed = expectOk(
      await app.dispatch('feedback:fileBugReport', {
        title: 'Scanner beeps twice',
        happened: 'See the video.',
        expected: 'One beep.',
        severitySuggestion: 'S3',
        screen: '/fleet',
        selection: {},
        includeBreadcrumbs: false,
        includeLog: false,
        attachments: [{ sha256: staged.sha256, name: 'till.mp4', mime: 'video/mp4', kind: 'file' }],
        crashDumps: [],
      }),
    ) as FiledBugReport;
    const status = expectOk(await app.dispatch('sync:now', {})) as SyncStatus;
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null });
    expect(status.refusedAttachments).toEqual([
      expect.objectContaining({
        sha256: staged.sha256,
        name: 'till.mp4',
        code: 'unsupported_media_type',
      }),
    ]);
    const ours = expectOk(await app.dispatch('feedback:ourReports', {})) as OurReports;
    const report = ours.reports.find((r) => r.id === filed.id)!;
    expect(report.attachmentProblems).toEqual([
      expect.objectContaining({ name: 'till.mp4', code: 'unsupported_media_type' }),
    ]);
    // The crash dump's report, whose file arrived, shows no problem.
    expect(ours.reports.filter((r) => r.attachmentProblems).map((r) => r.id)).toEqual([filed.id]);
  }, 60_000);
});
