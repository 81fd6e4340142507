/**
 * Committee members approve revisions at the release desk: the approver is
 * the user signed in at the desk, checked against the committee that
 * applies (the release's for a runbook, the default one for a template);
 * the author, a non-member, a support desk, a regional desk and a wrong hash
 * are refused with their codes and change nothing; an approval is a desk
 * action of the central log naming the approver; consoles receive each
 * revision with its approvals in the catalog. On SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDocumentRevision, revisionGate } from '../../shared/revisions/gate.ts';
import { sha256Hex } from '../log/keys.ts';
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

describe.each(['sqlite', 'postgres'] as const)(
  'committee approvals at the desk on %s',
  (dialect) => {
    let pg: TestPostgres | null = null;
    let t: TestServer;
    let device: string;
    let deskAll: string;
    let deskNorth: string;
    let deskSupport: string;
    // One data folder (and database) for the file: the last test restarts the server on it.
    const dataDir = mkdtempSync(join(tmpdir(), 'dearpos-revisions-'));
    let where: { dataDir: string; databaseUrl?: string } = { dataDir };

    const admin = (path: string, body: unknown) =>
      t.call('POST', path, { token: t.adminToken, body });
    const desk = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
      t.call(method, path, { token, ...(body !== undefined ? { body } : {}) });

    async function enrollDesk(scope: string, role: string, deskId: string): Promise<string> {
      const code = await admin('/v1/admin/desk-enrollment-codes', { scope, role });
      expect(code.status, JSON.stringify(code.body)).toBe(200);
      const res = await t.call('POST', '/v1/desk/enroll', {
        body: { code: code.body.code, deskId, publicKey: createSimDevice('x').publicKey },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.deskToken as string;
    }

    /** Everything a refused approval could have touched. */
    async function everything(): Promise<string> {
      const db = t.server.store.db;
      const head = await t.call('GET', '/v1/log/tree-head');
      return JSON.stringify([
        head.body.treeHead,
        await db.selectFrom('catalog_changes').select(['cursor', 'entity']).execute(),
        await db.selectFrom('revision_approvals').selectAll().execute(),
        await db.selectFrom('document_revisions').select(['number', 'approved_at']).execute(),
      ]);
    }

    beforeAll(async () => {
      if (dialect === 'postgres') pg = await startTestPostgres();
      where = { dataDir, ...(pg ? { databaseUrl: await pg.createDatabase() } : {}) };
      t = await startTestServer({ revisionApprovals: 1, ...where });
      expect((await admin('/v1/admin/fleet', TEST_FLEET)).status).toBe(200);
      expect((await admin('/v1/admin/releases', RELEASE)).status).toBe(200);
      for (const [id, role] of [
        ['u-boss', 'admin'],
        ['u-carl', 'admin'],
        ['u-mia', 'manager'],
      ] as const) {
        const user = { id, name: id, role, pin: '482913', storeIds: [] };
        expect((await admin('/v1/admin/users', user)).status).toBe(200);
      }
      device = await enrollSim(t, createSimDevice('S-1'), 'S-1');
      deskAll = await enrollDesk('all', 'release', 'desk-release');
      deskNorth = await enrollDesk('region:North', 'release', 'desk-north');
      deskSupport = await enrollDesk('all', 'support', 'desk-support');
      // The default committee approves templates; rel-1.0.0's own committee its runbook.
      const set = (releaseId: string | null, approvers: string[]) =>
        desk(deskAll, 'POST', '/v1/desk/release-committees', {
          actedBy: TEST_ADMIN.id,
          releaseId,
          committee: { name: 'Change board', approvers, quorum: 1 },
        });
      expect((await set(null, [TEST_ADMIN.id, 'u-boss', 'u-mia'])).status).toBe(200);
      expect((await set(RELEASE.id, ['u-carl'])).status).toBe(200);
    });
    afterAll(async () => {
      await t.close();
      pg?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('a committee member approves a template at the desk; every refusal answers its code and changes nothing', async () => {
      expect(
        (await admin('/v1/admin/checklist-templates', checklistTemplateBody('tpl-a'))).status,
      ).toBe(200);
      const history = await desk(
        deskSupport,
        'GET',
        '/v1/desk/revisions?kind=checklistTemplate&docId=tpl-a',
      );
      expect(history.status, JSON.stringify(history.body)).toBe(200);
      expect(history.body.approvers).toEqual([TEST_ADMIN.id, 'u-boss', 'u-mia']);
      const [pending] = history.body.revisions as LooseBody[];
      const approval = {
        kind: 'checklistTemplate',
        docId: 'tpl-a',
        number: 1,
        contentHash: pending.contentHash as string,
      };
      const before = await everything();
      const refusals: Array<[string, unknown, number, string]> = [
        [deskSupport, { ...approval, actedBy: 'u-boss' }, 403, 'role_denied'],
        [deskNorth, { ...approval, actedBy: 'u-boss' }, 403, 'scope_denied'],
        [deskAll, { ...approval, actedBy: 'u-carl' }, 403, 'actor_denied'],
        [deskAll, { ...approval, actedBy: 'u-mia' }, 403, 'actor_denied'],
        [deskAll, { ...approval, actedBy: 'nobody' }, 403, 'actor_denied'],
        [deskAll, { ...approval, actedBy: TEST_ADMIN.id }, 403, 'forbidden'],
        [
          deskAll,
          { ...approval, actedBy: 'u-boss', contentHash: 'b'.repeat(64) },
          422,
          'revision_hash_mismatch',
        ],
        [deskAll, { ...approval, actedBy: 'u-boss', number: 7 }, 404, 'not_found'],
        [deskAll, { ...approval, actedBy: 'u-boss', contentHash: 'XYZ' }, 400, 'invalid_input'],
      ];
      for (const [token, body, status, code] of refusals) {
        const res = await desk(token, 'POST', '/v1/desk/revisions/approve', body);
        expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
      }
      expect(await everything()).toBe(before);
      const size = (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;

      const signed = await desk(deskAll, 'POST', '/v1/desk/revisions/approve', {
        ...approval,
        actedBy: 'u-boss',
      });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      expect(signed.body.approvals).toEqual([
        expect.objectContaining({ approverId: 'u-boss', logIndex: size }),
      ]);
      expect(signed.body.approvedAt).not.toBeNull();

      // The approval is a desk action naming the approver and the hash signed.
      const entries = await t.call('GET', `/v1/log/entries?start=${size}&end=${size + 1}`, {
        token: t.adminToken,
      });
      expect(entries.body.entries[0].event).toMatchObject({
        type: 'revision.approved',
        payload: {
          ...approval,
          actedBy: { userId: 'u-boss', role: 'admin', deskId: 'desk-release' },
        },
      });

      // Consoles get the template now, and its revision record with the approval.
      const changes = await pullAllChanges(t, device);
      const templates = changes.filter(
        (c) => c.entity === 'checklistTemplate' && c.op === 'upsert',
      );
      expect(templates).toHaveLength(1);
      const records = changes
        .filter((c) => c.entity === 'documentRevision' && c.op === 'upsert')
        .map((c) => catalogDocumentRevision.parse((c as { value: unknown }).value))
        .filter((r) => r.docId === 'tpl-a');
      expect(records.at(-1)).toMatchObject({
        number: 1,
        authorId: TEST_ADMIN.id,
        requiredApprovals: 1,
        approvals: [{ approverId: 'u-boss' }],
        contentHash: approval.contentHash,
      });
      expect(records[0]!.approvals).toEqual([]);
      // The console's check on the content it received (it keeps the newest record of each revision).
      const content = (templates[0] as { value: unknown }).value;
      expect(
        revisionGate(
          { kind: 'checklistTemplate', docId: 'tpl-a', content },
          [records.at(-1)!],
          sha256Hex,
        ),
      ).toMatchObject({ status: 'approved', number: 1, have: 1, need: 1 });

      const again = await desk(deskAll, 'POST', '/v1/desk/revisions/approve', {
        ...approval,
        actedBy: 'u-boss',
      });
      expect(again.status).toBe(409);
    });

    it("a runbook is approved by its release's committee, and the desk lists every document", async () => {
      const runbook = runbookBody(RELEASE.id, { templateId: 'tpl-a' });
      expect((await admin('/v1/admin/runbooks', runbook)).status).toBe(200);
      const history = await desk(
        deskAll,
        'GET',
        `/v1/desk/revisions?kind=runbook&docId=${runbook.id}`,
      );
      expect(history.body.approvers).toEqual(['u-carl']);
      const approval = {
        kind: 'runbook',
        docId: runbook.id,
        number: 1,
        contentHash: (history.body.revisions as LooseBody[])[0]!.contentHash,
      };
      const boss = await desk(deskAll, 'POST', '/v1/desk/revisions/approve', {
        ...approval,
        actedBy: 'u-boss',
      });
      expect([boss.status, boss.body.code]).toEqual([403, 'actor_denied']);
      const listed = await desk(deskAll, 'GET', '/v1/desk/revision-documents');
      expect(listed.body.documents).toEqual(
        expect.arrayContaining([
          {
            kind: 'runbook',
            docId: runbook.id,
            title: '1.0.0',
            latestNumber: 1,
            approvedNumber: null,
            waitingCount: 1,
          },
          {
            kind: 'checklistTemplate',
            docId: 'tpl-a',
            title: 'Admin smoke test',
            latestNumber: 1,
            approvedNumber: 1,
            waitingCount: 0,
          },
        ]),
      );
      const carl = await desk(deskAll, 'POST', '/v1/desk/revisions/approve', {
        ...approval,
        actedBy: 'u-carl',
      });
      expect(carl.status, JSON.stringify(carl.body)).toBe(200);
      expect((await pullAllChanges(t, device)).filter((c) => c.entity === 'runbook')).toHaveLength(
        1,
      );
    });

    it('approvals raised after publishing re-open the version consoles run, until the committee signs again', async () => {
      await t.close();
      t = await startTestServer({ revisionApprovals: 2, ...where });
      const latest = async () => {
        const changes = await pullAllChanges(t, device);
        const templates = changes.filter(
          (c) => c.entity === 'checklistTemplate' && c.op === 'upsert',
        );
        const record = changes
          .filter((c) => c.entity === 'documentRevision' && c.op === 'upsert')
          .map((c) => catalogDocumentRevision.parse((c as { value: unknown }).value))
          .filter((r) => r.docId === 'tpl-a')
          .at(-1)!;
        const content = (templates.at(-1) as { value: unknown }).value;
        return revisionGate(
          { kind: 'checklistTemplate', docId: 'tpl-a', content },
          [record],
          sha256Hex,
        );
      };
      // The console still holds v1, and now refuses it: one more approval is needed.
      expect(await latest()).toMatchObject({ status: 'waiting', number: 1, have: 1, need: 2 });
      const [v1] = (
        await desk(deskAll, 'GET', '/v1/desk/revisions?kind=checklistTemplate&docId=tpl-a')
      ).body.revisions as LooseBody[];
      expect(v1).toMatchObject({ requiredApprovals: 2, approvedAt: null });
      await desk(deskAll, 'POST', '/v1/desk/release-committees', {
        actedBy: TEST_ADMIN.id,
        releaseId: null,
        committee: {
          name: 'Change board',
          approvers: [TEST_ADMIN.id, 'u-boss', 'u-carl'],
          quorum: 1,
        },
      });
      const carl = await desk(deskAll, 'POST', '/v1/desk/revisions/approve', {
        actedBy: 'u-carl',
        kind: 'checklistTemplate',
        docId: 'tpl-a',
        number: 1,
        contentHash: v1!.contentHash,
      });
      expect(carl.status, JSON.stringify(carl.body)).toBe(200);
      expect(carl.body.approvedAt).not.toBeNull();
      expect(await latest()).toMatchObject({ status: 'approved', have: 2, need: 2 });
    });
  },
);
