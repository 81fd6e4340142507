/**
 * A report filed from the form on an enrolled console: its attachments are
 * staged in pieces and stored content-addressed, its context says what the
 * console knew, and no PIN, token or key is in any byte it carries (event
 * payload and every attachment), even when the log holds them.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportContext } from '../../shared/feedback/events.ts';
import type { FiledBugReport, RequestSuggestion } from '../../shared/feedback/types.ts';
import { expectOk, startTestApp, type TestApp } from '../app/testSupport.ts';
import type { OurReports } from './ourReports.ts';
import { createEvidenceStore } from '../checklists/evidenceStore.ts';
import { hashPinSync } from '../session/pin.ts';
import { DEVICE_KEY_NAME } from '../sync/deviceKey.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { createFileSecretStore } from '../sync/secretStore.ts';
import { readSyncState } from '../sync/state.ts';
import {
  COMPILE_CACHE,
  SERVER_CLI,
  startCentralServer,
  type CentralServerProcess,
} from '../sync/testing/centralServer.ts';

const STORE = 'st-par-01';
const T1 = 'st-par-01-t1';
const PIN = '730519';
const CATALOG = resolve(import.meta.dirname, '../../../resources/demo/catalog.json');

let root: string;
let server: CentralServerProcess;
let app: TestApp;

function admin(dataDir: string, ...args: string[]): string {
  return execFileSync(
    process.execPath,
    [
      '--experimental-strip-types',
      '--no-warnings',
      SERVER_CLI,
      'admin',
      ...args,
      '--data',
      dataDir,
    ],
    // Commands that change the catalog name the administrator they act for.
    { env: { ...process.env, ...COMPILE_CACHE, LOG_LEVEL: 'warn', DEARPOS_ADMIN: 'u-ada' } },
  ).toString();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'feedback-reports-'));
  // The demo catalog with the technician's PIN changed to one no timestamp or hash would hold by chance.
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8')) as {
    users: Array<{ id: string; pinHash: string; storeIds: string[] }>;
  };
  const tess = catalog.users.find((u) => u.id === 'u-tess')!;
  tess.pinHash = hashPinSync(PIN);
  const catalogFile = join(root, 'catalog.json');
  writeFileSync(catalogFile, JSON.stringify(catalog));
  const serverDir = join(root, 'server');
  admin(serverDir, 'import-catalog', '--json', catalogFile);
  const code = /enrollment code:\s*(\S+)/.exec(
    admin(serverDir, 'enrollment-code', '--store', STORE),
  )![1]!;
  server = await startCentralServer({ dataDir: serverDir });
  const dir = join(root, 'console');
  app = await startTestApp({
    dir,
    withDemo: false,
    sync: createSyncFactory({ secrets: createFileSecretStore(join(dir, 'keys')) }),
  });
  const catalogArrived = new Promise<void>((done) => {
    const off = app.events.on('db:changed', ({ tables }) => {
      if (tables.includes('terminals')) {
        off();
        done();
      }
    });
  });
  expectOk(await app.dispatch('sync:connect', { serverUrl: server.url, enrollmentCode: code }));
  await catalogArrived;
  expectOk(await app.dispatch('session:signIn', { userId: 'u-tess', pin: PIN }));
}, 120_000);

afterAll(async () => {
  await app?.dispose();
  await server?.kill();
  rmSync(root, { recursive: true, force: true });
});

async function stage(bytes: Buffer, pieceBytes: number): Promise<string> {
  const uploadId = randomUUID();
  for (let offset = 0; ; offset += pieceBytes) {
    const piece = bytes.subarray(offset, offset + pieceBytes);
    const isLast = offset + pieceBytes >= bytes.length;
    const out = expectOk(
      await app.dispatch('feedback:putAttachmentPiece', {
        uploadId,
        offset,
        dataBase64: piece.toString('base64'),
        isLast,
      }),
    ) as { isComplete: boolean; sha256?: string };
    if (isLast) return out.sha256!;
  }
}

describe('a bug report filed from the form', () => {
  it('carries no PIN, device token, desk token or device key in its payload or any attachment', async () => {
    const keys = createFileSecretStore(join(app.dir, 'keys'));
    const deskToken = `desk_${randomBytes(24).toString('base64url')}`;
    keys.set('desk-token', Buffer.from(deskToken, 'utf8'));
    const deviceToken = readSyncState(app.db)!.device_token;
    const der = keys.get(DEVICE_KEY_NAME)!;
    expect(deviceToken.length).toBeGreaterThan(16);

    // A careless log: every secret written out, as values and as named fields.
    mkdirSync(join(app.dir, 'logs'), { recursive: true });
    writeFileSync(
      join(app.dir, 'logs', 'console.log'),
      [
        JSON.stringify({ level: 30, msg: 'sign-in', pin: PIN, userId: 'u-tess' }),
        `plain line with token ${deviceToken} and ${deskToken}`,
        JSON.stringify({ msg: 'request', headers: { authorization: `Bearer ${deviceToken}` } }),
        `key ${der.toString('base64')} ${der.toString('hex')}`,
        JSON.stringify({ msg: 'last line before the report' }),
      ].join('\n') + '\n',
    );

    const screenshot = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      randomBytes(1_300_000),
    ]);
    const sha = await stage(screenshot, 512 * 1024);
    const preview = expectOk(
      await app.dispatch('feedback:previewContext', {
        terminalId: T1,
        selection: { terminalId: T1 },
        includeBreadcrumbs: true,
        includeLog: true,
      }),
    ) as ReportContext;
    expect(preview.terminals.map((t) => t.terminalId)).toContain(T1);
    expect(preview.logTail.at(-1)).toContain('last line before the report');

    const filed = expectOk(
      await app.dispatch('feedback:fileBugReport', {
        title: 'Receipt printer stalls',
        happened: 'The receipt came out after 9 seconds.',
        expected: 'Within 2 seconds.',
        severitySuggestion: 'S2',
        terminalId: T1,
        screen: '/fleet',
        selection: { terminalId: T1 },
        includeBreadcrumbs: true,
        includeLog: true,
        attachments: [{ sha256: sha, name: 'screen.png', mime: 'image/png', kind: 'screenshot' }],
        crashDumps: [],
      }),
    ) as FiledBugReport;
    expect(filed).toMatchObject({ status: 'new', storeId: STORE });
    expect(filed.attachments).toEqual([
      {
        sha256: sha,
        name: 'screen.png',
        mime: 'image/png',
        size: screenshot.length,
        kind: 'screenshot',
      },
    ]);

    const body = app.db.sqlite
      .prepare("SELECT body FROM journal WHERE type = 'feedback.bug_report.filed'")
      .pluck()
      .get() as string;
    const event = JSON.parse(body) as { payload: { context: ReportContext } };
    expect(event.payload.context.breadcrumbs.length).toBeGreaterThan(0);
    expect(event.payload.context.breadcrumbs.at(-1)!.type).toBe('session.signed_in');
    expect(event.payload.context.logTail.length).toBe(5);

    const evidence = createEvidenceStore(app.dir);
    const carried = [
      Buffer.from(body, 'utf8'),
      ...filed.attachments.map((a) => evidence.read(a.sha256)!),
      Buffer.from(JSON.stringify(app.db.sqlite.prepare('SELECT * FROM bug_reports').all()), 'utf8'),
    ];
    const needles = [
      PIN,
      deviceToken,
      deskToken,
      der.toString('base64'),
      der.toString('hex'),
      der.subarray(-32).toString('base64'),
    ];
    for (const bytes of carried)
      for (const needle of needles) expect(bytes.includes(needle), needle.slice(0, 6)).toBe(false);
    expect(body).toContain('[redacted]');
  });

  it('refuses a piece at the wrong offset with the size held, and an attachment this console does not hold', async () => {
    const uploadId = randomUUID();
    expectOk(
      await app.dispatch('feedback:putAttachmentPiece', {
        uploadId,
        offset: 0,
        dataBase64: Buffer.from('hello').toString('base64'),
        isLast: false,
      }),
    );
    const wrong = await app.dispatch('feedback:putAttachmentPiece', {
      uploadId,
      offset: 0,
      dataBase64: Buffer.from('hello').toString('base64'),
      isLast: true,
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { received: 5 } },
    });
    const missing = await app.dispatch('feedback:fileBugReport', {
      title: 'A report',
      happened: 'x',
      expected: '',
      severitySuggestion: 'S4',
      screen: '/fleet',
      selection: {},
      includeBreadcrumbs: false,
      includeLog: false,
      attachments: [{ sha256: 'a'.repeat(64), name: 'x.png', mime: 'image/png', kind: 'photo' }],
      crashDumps: [],
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('Our reports lists the store’s report as the desk left it, with its store-visible comments only; a reply is recorded', async () => {
    const before = expectOk(await app.dispatch('feedback:ourReports', {})) as OurReports;
    const report = before.reports.find((r) => r.title === 'Receipt printer stalls')!;
    expect(report).toMatchObject({ status: 'new', severity: 'S2', isSeverityTriaged: false });
    // What the desk's triage leaves in these tables when it comes back through the feed.
    app.db.sqlite
      .prepare("UPDATE bug_reports SET status = 'needs_info', severity_set = 'S3' WHERE id = ?")
      .run(report.id);
    const comment = app.db.sqlite.prepare(
      `INSERT INTO feedback_comments (event_id, target_id, store_id, author, author_role, visibility, text, at)
       VALUES (?, ?, ?, 'u-sam', 'support', ?, ?, '2000-01-01T00:00:00.000Z')`,
    );
    comment.run('ev-desk-1', report.id, STORE, 'store', 'Which receipt printer model?');
    comment.run('ev-desk-2', report.id, STORE, 'internal', 'Probably the firmware again.');
    const asked = (
      expectOk(await app.dispatch('feedback:ourReports', {})) as OurReports
    ).reports.find((r) => r.id === report.id)!;
    expect(asked).toMatchObject({ status: 'needs_info', severity: 'S3', isSeverityTriaged: true });
    expect(asked.comments.map((c) => [c.text, c.isFromStore])).toEqual([
      ['Which receipt printer model?', false],
    ]);
    const after = expectOk(
      await app.dispatch('feedback:reply', { reportId: report.id, text: 'Epson TM-T88VI.' }),
    ) as OurReports;
    expect(after.reports.find((r) => r.id === report.id)!.comments.map((c) => c.text)).toEqual([
      'Which receipt printer model?',
      'Epson TM-T88VI.',
    ]);
    expect(
      app.db.sqlite
        .prepare("SELECT count(*) FROM journal WHERE type = 'feedback.reply.added'")
        .pluck()
        .get(),
    ).toBe(1);
    expect(await app.dispatch('feedback:reply', { reportId: 'nope', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('a feature request is suggested by its words while typing; the store votes once, a second vote records nothing', async () => {
    const filed = expectOk(
      await app.dispatch('feedback:fileFeatureRequest', {
        title: 'Split payment between card and cash',
        description: 'Customers ask for it at the till.',
        category: 'payments',
      }),
    ) as { id: string };
    const suggested = expectOk(
      await app.dispatch('feedback:suggestRequests', { text: 'split the pay' }),
    ) as RequestSuggestion[];
    expect(suggested).toEqual([
      {
        id: filed.id,
        title: 'Split payment between card and cash',
        status: 'open',
        votes: 1,
        hasOurVote: true,
      },
    ]);
    expect(expectOk(await app.dispatch('feedback:suggestRequests', { text: 'dark mode' }))).toEqual(
      [],
    );
    // Punctuation is never FTS5 syntax.
    expect(expectOk(await app.dispatch('feedback:suggestRequests', { text: '"(*' }))).toEqual([]);
    expect(
      expectOk(await app.dispatch('feedback:voteFeatureRequest', { requestId: filed.id })),
    ).toEqual({ id: filed.id, isNewVote: false });
    expect(
      app.db.sqlite
        .prepare("SELECT count(*) FROM journal WHERE type = 'feedback.feature_request.voted'")
        .pluck()
        .get(),
    ).toBe(0);
  });
});
