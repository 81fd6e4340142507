/**
 * Issue 4, acceptance 2: the checklist flow recorded while the central server
 * is down reaches the central log exactly once after the server comes back
 * (and again after a crash), with every evidence file on the server,
 * content-addressed, its bytes hashing to what the journal says.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChecklistRunView, EvidenceRef } from '../../shared/checklists/types.ts';
import type { ChecklistTemplatesView } from '../../shared/checklists/types.ts';
import type { DecisionView } from '../../shared/decisions/types.ts';
import type { SyncStatus } from '../../shared/contract/index.ts';
import { expectOk, MANAGER, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { createSyncFactory } from '../sync/plugin.ts';
import { createFileSecretStore } from '../sync/secretStore.ts';
import { readCentralLog } from '../sync/testing/centralLog.ts';
import { startCentralServer, type CentralServerProcess } from '../sync/testing/centralServer.ts';
import { answerTerminal, JPEG_SMALL, PNG_1X1_RED } from './testing.ts';

let root: string;
let server: CentralServerProcess;
/** Printed by the first (demo) start; valid across restarts. */
let auditorToken: string;
let app: TestApp | null = null;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'checklist-sync-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  auditorToken = server.auditorToken!;
});
afterEach(async () => {
  await app?.dispose();
  app = null;
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

async function syncNow(a: TestApp): Promise<SyncStatus> {
  return expectOk(await a.dispatch('sync:now', {})) as SyncStatus;
}

async function evidenceOnServer(
  sha256: string,
): Promise<{ status: number; sha256: string | null }> {
  const res = await fetch(`${server.url}/v1/evidence/${sha256}`, {
    headers: { authorization: `Bearer ${auditorToken}` },
  });
  if (!res.ok) return { status: res.status, sha256: null };
  return {
    status: res.status,
    sha256: createHash('sha256')
      .update(Buffer.from(await res.arrayBuffer()))
      .digest('hex'),
  };
}

describe('checklists offline, then synced', () => {
  it('every result, evidence file and decision reaches the central log exactly once, across a server outage and a crash', async () => {
    const dir = join(root, 'console');
    app = await startTestApp({
      dir,
      withDemo: false,
      sync: createSyncFactory({ secrets: createFileSecretStore(join(dir, 'keys')) }),
    });
    // First run: enroll with the code; the catalog, with its users and checklist templates, arrives with the first background sync.
    const catalogArrived = new Promise<void>((resolve) => {
      const off = app!.events.on('db:changed', ({ tables }) => {
        if (tables.includes('checklist_templates')) {
          off();
          resolve();
        }
      });
    });
    expectOk(
      await app.dispatch('sync:connect', {
        serverUrl: server.url,
        enrollmentCode: server.enrollmentCode!,
      }),
    );
    await catalogArrived;
    expectOk(await app.dispatch('session:signIn', TECH));
    const templates = expectOk(
      await app.dispatch('checklists:templates', { releaseId: 'rel-4.2.1' }),
    ) as ChecklistTemplatesView;
    expect(templates.templates.map((t) => t.id).sort()).toEqual(['tpl-smoke-pos', 'tpl-uat-pos']);
    expect(templates.requirements).toEqual([
      expect.objectContaining({ templateId: 'tpl-smoke-pos', terminalCount: 2 }),
    ]);

    // The server goes down; the store keeps working.
    await server.stop();
    const T1 = 'st-par-01-t1';
    const T2 = 'st-par-01-t2';
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
    await answerTerminal(app, run, T2, {
      'receipt-print': { answer: { type: 'number', value: 3400 }, evidence: [photo.sha256] },
    });
    expectOk(
      await app.dispatch('feedback:draftBugReport', {
        runId: run.run.id,
        terminalId: T2,
        itemId: 'receipt-print',
      }),
    );
    const rerun = expectOk(
      await app.dispatch('checklists:startRun', {
        templateId: 'tpl-smoke-pos',
        releaseId: 'rel-4.2.1',
        terminalIds: [T2],
      }),
    ) as ChecklistRunView;
    await answerTerminal(app, rerun, T2);
    expectOk(await app.dispatch('session:signIn', MANAGER));
    const decision = expectOk(
      await app.dispatch('decisions:record', {
        releaseId: 'rel-4.2.1',
        storeId: 'st-par-01',
        // No-go: the demo server's history, which the scope feed now brings to this
        // console, has Maya recording 4.2.1 on Paris terminals (so she counts as one
        // who deployed it), and a deployer may not sign go.
        decision: 'no-go',
        reason: 'Receipt printing too slow on lane 2',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    ) as DecisionView;
    const offline = await syncNow(app);
    expect(offline.pendingEvents).toBeGreaterThan(40);
    expect(offline.lastError).toBeTruthy();

    // Back up (same port, same data): everything goes, once.
    server = await startCentralServer({ dataDir: join(root, 'server'), port: server.port });
    let status = await syncNow(app);
    for (let i = 0; i < 5 && status.pendingEvents > 0; i++) status = await syncNow(app);
    expect(status.pendingEvents).toBe(0);
    // A crash and another sync change nothing on the server.
    await server.kill();
    server = await startCentralServer({ dataDir: join(root, 'server'), port: server.port });
    expect((await syncNow(app)).pendingEvents).toBe(0);

    const log = await readCentralLog(server.url, auditorToken);
    expect(log.problems).toEqual([]);
    const central = log.perDevice.get(app.deviceId) ?? [];
    const local = app.db.sqlite
      .prepare('SELECT seq, id, type, hash, body FROM journal ORDER BY seq')
      .all() as Array<{ seq: number; id: string; type: string; hash: string; body: string }>;
    expect(central.map((e) => [e.seq, e.id, e.hash])).toEqual(
      local.map((e) => [e.seq, e.id, e.hash]),
    );
    expect(new Set(central.map((e) => e.id)).size).toBe(central.length);
    const types = central.map((e) => e.type);
    expect(types.filter((t) => t === 'decision.recorded')).toHaveLength(1);
    expect(types.filter((t) => t === 'checklist.result.recorded').length).toBeGreaterThan(40);
    expect(central.find((e) => e.type === 'decision.recorded')!.id).toBe(decision.eventId);

    // Every file an event cites is on the server and hashes to its name.
    const cited = new Set<string>();
    for (const e of local) {
      const payload = (JSON.parse(e.body) as { payload: Record<string, unknown> }).payload;
      if (e.type === 'checklist.evidence.attached') cited.add(payload.sha256 as string);
      if (e.type === 'checklist.result.recorded')
        for (const sha of payload.evidence as string[]) cited.add(sha);
      if (e.type === 'decision.recorded')
        cited.add((payload.signature as { sha256: string }).sha256);
    }
    expect(cited.has(photo.sha256)).toBe(true);
    expect(cited.has(decision.signature.sha256)).toBe(true);
    for (const sha of cited)
      expect(await evidenceOnServer(sha)).toEqual({ status: 200, sha256: sha });
    // Confirmed once each: nothing left to upload.
    expect(app.db.sqlite.prepare('SELECT count(*) FROM evidence_uploads').pluck().get()).toBe(
      cited.size,
    );
  }, 120_000);
});
