/**
 * Approved revisions: with one approval required, a published checklist
 * template or runbook stays out of the catalog the consoles pull until an
 * administrator other than its author signs its content hash; a signature of
 * another hash is refused and stores nothing; every version keeps its
 * number, date, author and diff. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { TEST_ADMIN } from '../testing/admin.ts';
import { createSimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  enrollSim,
  pullAllChanges,
  startTestServer,
  type LooseBody,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { checklistTemplateBody, runbookBody } from '../testing/publishBodies.ts';

const RELEASE = {
  id: 'rel-1.0.0',
  version: '1.0.0',
  type: 'major',
  ring: 'lab',
  status: 'planned',
  plannedAt: null,
  actualAt: null,
  title: 'One',
  notesMarkdown: '',
};

describe.each(['sqlite', 'postgres'] as const)('revision approvals on %s', (dialect) => {
  let pg: TestPostgres | null = null;
  let t: TestServer;
  let second: string;
  let device: string;

  const post = (path: string, token: string, body: unknown) =>
    t.call('POST', path, { token, body });
  const templatesSeen = async (): Promise<unknown[]> =>
    (await pullAllChanges(t, device))
      .filter((c) => c.entity === 'checklistTemplate' && c.op === 'upsert')
      .map((c) => (c as { value: unknown }).value);
  const revisions = async (kind: string, docId: string): Promise<LooseBody[]> => {
    const res = await t.call('GET', `/v1/admin/revisions?kind=${kind}&docId=${docId}`, {
      token: t.adminToken,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.revisions as LooseBody[];
  };
  const treeSize = async () =>
    (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;

  beforeAll(async () => {
    if (dialect === 'postgres') pg = await startTestPostgres();
    t = await startTestServer({
      revisionApprovals: 1,
      ...(pg ? { databaseUrl: await pg.createDatabase() } : {}),
    });
    expect((await post('/v1/admin/fleet', t.adminToken, TEST_FLEET)).status).toBe(200);
    expect((await post('/v1/admin/releases', t.adminToken, RELEASE)).status).toBe(200);
    const boss = { id: 'u-boss', name: 'Second admin', role: 'admin', pin: '482913', storeIds: [] };
    expect((await post('/v1/admin/users', t.adminToken, boss)).status).toBe(200);
    second = (await post('/v1/admin/admin-tokens', t.adminToken, { userId: 'u-boss' })).body.token;
    device = await enrollSim(t, createSimDevice('S-1'), 'S-1');
  });
  afterAll(async () => {
    await t.close();
    pg?.stop();
  });

  it('a published template waits for an approval of its content hash by another administrator', async () => {
    const v1 = checklistTemplateBody('tpl-smoke');
    expect((await post('/v1/admin/checklist-templates', t.adminToken, v1)).status).toBe(200);
    const [pending] = await revisions('checklistTemplate', 'tpl-smoke');
    expect(pending).toMatchObject({
      number: 1,
      authorId: TEST_ADMIN.id,
      requiredApprovals: 1,
      approvals: [],
      approvedAt: null,
    });
    expect((pending.diff as Array<{ op: string }>).every((l) => l.op === '+')).toBe(true);
    // Not approved: no console receives it, so no run can start on it.
    expect(await templatesSeen()).toEqual([]);

    const approve = { kind: 'checklistTemplate', docId: 'tpl-smoke', number: 1 };
    const own = await post('/v1/admin/revisions/approve', t.adminToken, {
      ...approve,
      contentHash: pending.contentHash,
    });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('forbidden');

    const size = await treeSize();
    const forged = await post('/v1/admin/revisions/approve', second, {
      ...approve,
      contentHash: 'a'.repeat(64),
    });
    expect(forged.status).toBe(422);
    expect(forged.body.code).toBe('revision_hash_mismatch');
    expect(await treeSize()).toBe(size);
    expect((await revisions('checklistTemplate', 'tpl-smoke'))[0].approvals).toEqual([]);

    const signed = await post('/v1/admin/revisions/approve', second, {
      ...approve,
      contentHash: pending.contentHash,
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.approvals).toEqual([
      expect.objectContaining({ approverId: 'u-boss', logIndex: size }),
    ]);
    expect(signed.body.approvedAt).not.toBeNull();
    expect(await templatesSeen()).toEqual([v1]);
    const again = await post('/v1/admin/revisions/approve', second, {
      ...approve,
      contentHash: pending.contentHash,
    });
    expect(again.status).toBe(409);

    // The approval is a central action naming the approver and the hash signed.
    const entries = await t.call('GET', `/v1/log/entries?start=${size}&end=${size + 1}`, {
      token: t.adminToken,
    });
    expect(entries.body.entries[0].event).toMatchObject({
      deviceId: SERVER_DEVICE_ID,
      type: 'admin.revision.approved',
      payload: {
        kind: 'checklistTemplate',
        docId: 'tpl-smoke',
        number: 1,
        contentHash: pending.contentHash,
        actedBy: { adminId: 'u-boss', role: 'admin', via: 'token' },
      },
    });
  });

  it('a second version keeps its number, author and diff; consoles keep the approved one until it is approved', async () => {
    const v1 = checklistTemplateBody('tpl-smoke');
    const v2 = { ...v1, version: v1.version + 1, name: 'Smoke test after the upgrade' };
    expect((await post('/v1/admin/checklist-templates', second, v2)).status).toBe(200);
    // The same content again is no new version.
    expect((await post('/v1/admin/checklist-templates', second, v2)).status).toBe(200);
    const [latest, first] = await revisions('checklistTemplate', 'tpl-smoke');
    expect(latest).toMatchObject({ number: 2, authorId: 'u-boss', approvedAt: null });
    expect(first).toMatchObject({ number: 1 });
    expect((latest.diff as Array<{ op: string }>).filter((l) => l.op !== ' ')).toEqual([
      { op: '-', text: `  "name": "${v1.name}",` },
      { op: '+', text: '  "name": "Smoke test after the upgrade",' },
      { op: '-', text: `  "version": ${v1.version},` },
      { op: '+', text: `  "version": ${v2.version},` },
    ]);
    expect(await templatesSeen()).toEqual([v1]);
    const ok = await post('/v1/admin/revisions/approve', t.adminToken, {
      kind: 'checklistTemplate',
      docId: 'tpl-smoke',
      number: 2,
      contentHash: latest.contentHash,
    });
    expect(ok.status).toBe(200);
    expect(await templatesSeen()).toEqual([v1, v2]);
  });

  it('a runbook is held the same way, and an unknown revision is 404', async () => {
    const runbook = runbookBody(RELEASE.id, { templateId: 'tpl-smoke' });
    const res = await post('/v1/admin/runbooks', t.adminToken, runbook);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const runbooks = async () =>
      (await pullAllChanges(t, device)).filter((c) => c.entity === 'runbook');
    expect(await runbooks()).toEqual([]);
    const [pending] = await revisions('runbook', runbook.id);
    const missing = await post('/v1/admin/revisions/approve', second, {
      kind: 'runbook',
      docId: runbook.id,
      number: 9,
      contentHash: pending.contentHash,
    });
    expect(missing.status).toBe(404);
    expect(
      (
        await post('/v1/admin/revisions/approve', second, {
          kind: 'runbook',
          docId: runbook.id,
          number: 1,
          contentHash: pending.contentHash,
        })
      ).status,
    ).toBe(200);
    expect(await runbooks()).toHaveLength(1);
  });
});
