/**
 * A server upgraded with revisions already stored announces them to consoles
 * at start-up (revisions recorded before they were catalog changes otherwise
 * never reach a console), and carries its approval rule (REVISION_APPROVALS)
 * in the catalog; a second start with the same rule writes nothing. On
 * SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDocumentRevision } from '../../shared/revisions/gate.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import { createSimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  enrollSim,
  pullAllChanges,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { checklistTemplateBody } from '../testing/publishBodies.ts';

function records(changes: CatalogChange[]) {
  return changes
    .filter((c) => c.entity === 'documentRevision' && c.op === 'upsert')
    .map((c) => catalogDocumentRevision.parse((c as { value: unknown }).value));
}

function policies(changes: CatalogChange[]) {
  return changes
    .filter((c) => c.entity === 'revisionPolicy' && c.op === 'upsert')
    .map((c) => (c as { value: unknown }).value);
}

describe.each(['sqlite', 'postgres'] as const)('revision records for consoles on %s', (dialect) => {
  let pg: TestPostgres | null = null;
  let t: TestServer;
  let device: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'dearpos-revision-records-'));
  let where: { dataDir: string; databaseUrl?: string } = { dataDir };

  beforeAll(async () => {
    if (dialect === 'postgres') pg = await startTestPostgres();
    where = { dataDir, ...(pg ? { databaseUrl: await pg.createDatabase() } : {}) };
    t = await startTestServer({ revisionApprovals: 0, ...where });
    const admin = (path: string, body: unknown) =>
      t.call('POST', path, { token: t.adminToken, body });
    expect((await admin('/v1/admin/fleet', TEST_FLEET)).status).toBe(200);
    expect(
      (await admin('/v1/admin/checklist-templates', checklistTemplateBody('tpl-a'))).status,
    ).toBe(200);
    expect(
      (await admin('/v1/admin/checklist-templates', checklistTemplateBody('tpl-b'))).status,
    ).toBe(200);
    device = await enrollSim(t, createSimDevice('S-1'), 'S-1');
  });
  afterAll(async () => {
    await t.close();
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('without approvals the catalog carries no rule: consoles behave as before', async () => {
    const changes = await pullAllChanges(t, device);
    expect(policies(changes)).toEqual([]);
    expect(records(changes).map((r) => r.docId)).toEqual(['tpl-a', 'tpl-b']);
  });

  it('revisions stored before they were announced reach consoles after the upgrade, once; the rule follows REVISION_APPROVALS', async () => {
    // A server from before: the revisions are stored, their catalog changes never written.
    await t.server.store.db
      .deleteFrom('catalog_changes')
      .where('entity', '=', 'documentRevision')
      .execute();
    expect(records(await pullAllChanges(t, device))).toEqual([]);
    const stored = await t.server.store.db
      .selectFrom('document_revisions')
      .select(['doc_id', 'content_hash'])
      .orderBy('doc_id')
      .execute();

    await t.close();
    t = await startTestServer({ revisionApprovals: 1, ...where });
    const changes = await pullAllChanges(t, device);
    const latest = new Map(records(changes).map((r) => [r.docId, r]));
    expect([...latest.values()].map((r) => [r.docId, r.contentHash])).toEqual(
      stored.map((s) => [s.doc_id, s.content_hash]),
    );
    expect(policies(changes)).toEqual([{ requiredApprovals: 1 }]);

    // The same start again writes nothing new.
    const count = async () =>
      (await t.server.store.db.selectFrom('catalog_changes').select('cursor').execute()).length;
    const before = await count();
    await t.close();
    t = await startTestServer({ revisionApprovals: 1, ...where });
    expect(await count()).toBe(before);

    // Back to no approvals: consoles are told, so they stop refusing unrecorded documents.
    await t.close();
    t = await startTestServer({ revisionApprovals: 0, ...where });
    expect(policies(await pullAllChanges(t, device))).toEqual([
      { requiredApprovals: 1 },
      { requiredApprovals: 0 },
    ]);
  });
});
