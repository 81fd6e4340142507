/**
 * "One projection, two places": a console records a day's work
 * (a version, a checklist run with evidence, answers, a waiver, a bug report,
 * a second run, a signed decision, a deployment plan and a change request
 * decided by someone else), syncs it to a real central server on SQLite, and
 * the server's read models, maintained in the push transaction, dump to
 * exactly the console's state tables. The server runs as its own process
 * (main talks to the server over HTTP only); its tables are read from its file.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChecklistRunView, EvidenceRef } from '../../shared/checklists/types.ts';
import type { SyncStatus } from '../../shared/contract/index.ts';
import { canonicalDump } from '../../shared/projection/dump.ts';
import type { Row } from '../../shared/projection/index.ts';
import { expectOk, MANAGER, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { answerTerminal, JPEG_SMALL, PNG_1X1_RED } from '../checklists/testing.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { createFileSecretStore } from '../sync/secretStore.ts';
import {
  COMPILE_CACHE,
  SERVER_CLI,
  startCentralServer,
  type CentralServerProcess,
} from '../sync/testing/centralServer.ts';
import { dumpConsoleState } from './apply.ts';

const STORE = 'st-par-01';
const CATALOG = resolve(import.meta.dirname, '../../../resources/demo/catalog.json');

let root: string;
let server: CentralServerProcess | null = null;
let app: TestApp | null = null;

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
    { env: { ...process.env, ...COMPILE_CACHE, LOG_LEVEL: 'warn', DEARPOS_ADMIN: 'u-ada' } },
  ).toString();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'projection-two-places-'));
});
afterEach(async () => {
  await app?.dispose();
  app = null;
  await server?.kill();
  server = null;
  rmSync(root, { recursive: true, force: true });
});

async function syncAll(a: TestApp): Promise<void> {
  let status = expectOk(await a.dispatch('sync:now', {})) as SyncStatus;
  for (let i = 0; i < 10 && status.pendingEvents > 0; i++)
    status = expectOk(await a.dispatch('sync:now', {})) as SyncStatus;
  expect(status.pendingEvents).toBe(0);
}

function serverDump(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return canonicalDump((table) => {
      const name = table === 'terminal_current' ? 'rm_terminals' : `rm_${table}`;
      // The console holds its own store's terminals; the server holds every store's.
      const where = table === 'terminal_current' ? ` WHERE store_id = '${STORE}'` : '';
      return db.prepare(`SELECT * FROM ${name}${where}`).all() as Row[];
    });
  } finally {
    db.close();
  }
}

describe('one projection, two places', () => {
  it("the server's read models after a sync equal the console's state tables", async () => {
    const serverDir = join(root, 'server');
    admin(serverDir, 'import-catalog', '--json', CATALOG);
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
      const off = app!.events.on('db:changed', ({ tables }) => {
        if (tables.includes('checklist_templates')) {
          off();
          done();
        }
      });
    });
    expectOk(await app.dispatch('sync:connect', { serverUrl: server.url, enrollmentCode: code }));
    await catalogArrived;

    expectOk(await app.dispatch('session:signIn', TECH));
    const T1 = 'st-par-01-t1';
    const T2 = 'st-par-01-t2';
    expectOk(
      await app.dispatch('fleet:recordVersion', {
        terminalId: T1,
        version: '4.4.0',
        source: 'typed',
      }),
    );
    const run = expectOk(
      await app.dispatch('checklists:startRun', {
        templateId: 'tpl-smoke-pos',
        releaseId: 'rel-4.2.1',
        terminalIds: [T1, T2],
      }),
    ) as ChecklistRunView;
    const photo = expectOk(
      await app.dispatch('checklists:attachEvidence', {
        runId: run.run.id,
        fileName: 'receipt.jpg',
        mimeType: 'image/jpeg',
        dataBase64: JPEG_SMALL,
      }),
    ) as EvidenceRef;
    await answerTerminal(app, run, T1);
    // T2's receipt item is answered twice: the first answer stops being current on both sides.
    await answerTerminal(app, run, T2, {
      'receipt-print': { answer: { type: 'number', value: 3400 }, evidence: [photo.sha256] },
    });
    const draft = expectOk(
      await app.dispatch('feedback:draftBugReport', {
        runId: run.run.id,
        terminalId: T2,
        itemId: 'receipt-print',
      }),
    ) as { id: string };
    // The store side of the support desk: a draft sent, a report filed with the photo, a reply, a request.
    expectOk(await app.dispatch('feedback:sendDraft', { reportId: draft.id }));
    const filed = expectOk(
      await app.dispatch('feedback:fileBugReport', {
        title: 'Receipt printer stalls',
        happened: 'Nine seconds.',
        expected: 'Two.',
        severitySuggestion: 'S2',
        terminalId: T1,
        screen: '/fleet',
        selection: {},
        includeBreadcrumbs: true,
        includeLog: false,
        attachments: [
          { sha256: photo.sha256, name: 'receipt.jpg', mime: 'image/jpeg', kind: 'photo' },
        ],
        crashDumps: [],
      }),
    ) as { id: string };
    expectOk(await app.dispatch('feedback:reply', { reportId: filed.id, text: 'Lane 1 only.' }));
    expectOk(
      await app.dispatch('feedback:fileFeatureRequest', {
        title: 'Split payment',
        description: 'Card and cash.',
        category: 'payments',
      }),
    );
    await answerTerminal(app, run, T2);
    // Half the work syncs now, the rest later: the read models follow push by push.
    await syncAll(app);

    expectOk(await app.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: STORE }));
    const request = expectOk(
      await app.dispatch('changeRequests:request', {
        deviation: {
          kind: 'deploy_outside_window',
          storeId: STORE,
          releaseId: 'rel-4.4.0',
          from: Date.parse('2026-03-10T20:00:00Z'),
          to: Date.parse('2026-03-10T22:00:00Z'),
        },
        impactNote: 'Lane 1 closed for an hour after the evening rush.',
        risk: 'low',
      }),
    ) as { id: string };
    expectOk(await app.dispatch('session:signIn', MANAGER));
    expectOk(
      await app.dispatch('changeRequests:decide', {
        changeRequestId: request.id,
        isApproved: true,
        note: 'ok',
      }),
    );
    expectOk(
      await app.dispatch('decisions:record', {
        releaseId: 'rel-4.2.1',
        storeId: STORE,
        decision: 'go',
        reason: 'Smoke test passed',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    );
    await syncAll(app);

    const onConsole = dumpConsoleState(app.db);
    const onServer = serverDump(join(serverDir, 'server.sqlite'));
    // Every kind of state is there, so the comparison below is not vacuous.
    for (const table of [
      'terminal_current',
      'terminal_versions',
      'checklist_runs',
      'checklist_results',
      'evidence_files',
      'bug_reports',
      'decisions',
      'deployments',
      'change_requests',
      'deployment_actors',
    ] as const)
      expect(onConsole[table].length, table).toBeGreaterThan(0);
    expect(onConsole.checklist_results.some((r) => r['is_current'] === 0)).toBe(true);
    expect(onServer).toEqual(onConsole);

    // Rebuilt from the log by the admin command: the same rows again.
    expect(admin(serverDir, 'rebuild-read-models')).toMatch(
      /read models rebuilt from \d+ log entries/,
    );
    expect(serverDump(join(serverDir, 'server.sqlite'))).toEqual(onConsole);
  });
});
