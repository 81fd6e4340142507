/**
 * A release's risk register and its notes for store staff on a real server
 * (127.0.0.1, SQLite and PostgreSQL): published by an administrator, refused
 * field by field with nothing stored, carried in the catalog pull, read by the
 * release desk; the read counts per store come from the log's accepted
 * `release.store_notes.read` entries and survive a read-model rebuild; a
 * decision that skips an open risk is refused at push.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAdmin } from '../admin.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import {
  createTestUsers,
  enrollSim,
  pullAllChanges,
  startTestServer,
  TEST_FLEET,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { runbookBody } from '../testing/publishBodies.ts';
import { rebuildReadModels } from '../readModels/rebuild.ts';

const RELEASE = {
  id: 'rel-3.0.0',
  version: '3.0.0',
  type: 'major',
  ring: 'pilot',
  status: 'planned',
  plannedAt: null,
  actualAt: null,
  title: 'Release 3',
  notesMarkdown: '',
};

const RISK = {
  id: 'risk-card-reader',
  releaseId: RELEASE.id,
  title: 'Card reader firmware may reject contactless cards',
  likelihood: 'medium',
  impact: 'high',
  owner: 'Payments team',
  mitigation: 'Firmware pinned and tested in the lab ring first.',
  contingency: 'Roll the store back to the previous release.',
  rollbackStepId: 'rb-capture',
  status: 'open',
};

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('risk register and store notes on %s', (dialect) => {
  let t: TestServer;
  let device: SimDevice;
  let deviceToken: string;
  let desk: string;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    await createTestUsers(t);
    await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: RELEASE });
    await t.call('POST', '/v1/admin/runbooks', {
      token: t.adminToken,
      body: runbookBody(RELEASE.id),
    });
    device = createSimDevice('S-1');
    deviceToken = await enrollSim(t, device, 'S-1');
    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:North', role: 'release' },
    });
    const enrolled = await t.call('POST', '/v1/desk/enroll', {
      body: { code: code.body.code, deskId: 'desk-rel', publicKey: device.publicKey },
    });
    desk = enrolled.body.deskToken as string;
  });
  afterAll(() => t.close());

  async function register() {
    const res = await t.call('GET', `/v1/desk/releases/${RELEASE.id}/risks`, { token: desk });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.risks as Array<Record<string, unknown>>;
  }

  const logSize = async () =>
    (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;

  it('a risk without an owner is 400 naming the field, and nothing is stored, published or logged', async () => {
    const before = (await pullAllChanges(t, deviceToken)).length;
    const sizeBefore = await logSize();
    const { owner: _owner, ...withoutOwner } = RISK;
    for (const body of [withoutOwner, { ...RISK, owner: '   ' }]) {
      const res = await t.call('POST', '/v1/admin/risks', { token: t.adminToken, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      const fieldErrors = res.body.fieldErrors as Array<{ field: string }>;
      expect(fieldErrors.map((e) => e.field)).toEqual(['owner']);
    }
    expect(await register()).toEqual([]);
    expect((await pullAllChanges(t, deviceToken)).length).toBe(before);
    expect(await logSize()).toBe(sizeBefore);
  });

  it("a contingency must name a step of the release's rollback runbook; an unknown release is refused", async () => {
    const badStep = await t.call('POST', '/v1/admin/risks', {
      token: t.adminToken,
      body: { ...RISK, rollbackStepId: 'install' },
    });
    expect(badStep.status).toBe(400);
    expect(badStep.body.fieldErrors).toEqual([
      {
        field: 'rollbackStepId',
        message: `the rollback runbook of ${RELEASE.id} has no step install`,
      },
    ]);
    const noRelease = await t.call('POST', '/v1/admin/risks', {
      token: t.adminToken,
      body: { ...RISK, releaseId: 'rel-9' },
    });
    expect(noRelease.status).toBe(400);
    expect(noRelease.body.fieldErrors[0].field).toBe('releaseId');
    expect(await register()).toEqual([]);
  });

  it('published risks reach every console in the catalog pull and the desk lists open ones worst first', async () => {
    const low = {
      ...RISK,
      id: 'risk-receipt',
      title: 'Receipt layout',
      likelihood: 'low',
      impact: 'low',
      rollbackStepId: null,
    };
    const closed = { ...RISK, id: 'risk-closed', title: 'Old printer driver', status: 'closed' };
    const sizeBefore = await logSize();
    for (const body of [low, RISK, closed]) {
      const res = await t.call('POST', '/v1/admin/risks', { token: t.adminToken, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // Each publication is a central action in the log, naming the administrator.
    expect(await logSize()).toBe(sizeBefore + 3);
    expect((await register()).map((r) => r.id)).toEqual([
      'risk-card-reader',
      'risk-receipt',
      'risk-closed',
    ]);
    const pulled = (await pullAllChanges(t, deviceToken)).filter((c) => c.entity === 'releaseRisk');
    expect(pulled.map((c) => (c.op === 'upsert' ? c.value : null))).toEqual([low, RISK, closed]);
  });

  it('notes for stores are published in the catalog pull; empty notes are refused', async () => {
    const empty = await t.call('POST', '/v1/admin/store-notes', {
      token: t.adminToken,
      body: { releaseId: RELEASE.id, markdown: '  ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.fieldErrors[0].field).toBe('markdown');
    const notes = { releaseId: RELEASE.id, markdown: '**Receipts** now show the loyalty balance.' };
    const res = await t.call('POST', '/v1/admin/store-notes', { token: t.adminToken, body: notes });
    expect(res.status).toBe(200);
    const pulled = (await pullAllChanges(t, deviceToken)).filter((c) => c.entity === 'storeNotes');
    expect(pulled).toEqual([{ entity: 'storeNotes', op: 'upsert', value: notes }]);
  });

  it('read counts per store count each person once, only in the desk scope, and survive a rebuild', async () => {
    const other = createSimDevice('S-2');
    const otherToken = await enrollSim(t, other, 'S-2');
    device.record('release.store_notes.read', { releaseId: RELEASE.id });
    device.record('release.store_notes.read', { releaseId: RELEASE.id });
    device.record(
      'release.store_notes.read',
      { releaseId: RELEASE.id },
      { actor: { userId: 'u-tech', role: 'technician' } },
    );
    const push = await t.call('POST', '/v1/events', {
      token: deviceToken,
      body: device.pushBody(1, device.events.length),
    });
    expect(push.status, JSON.stringify(push.body)).toBe(200);
    other.record('release.store_notes.read', { releaseId: RELEASE.id });
    expect(
      (await t.call('POST', '/v1/events', { token: otherToken, body: other.pushBody(1, 1) }))
        .status,
    ).toBe(200);
    const url = `/v1/desk/releases/${RELEASE.id}/store-notes-reads`;
    const read = await t.call('GET', url, { token: desk });
    expect(read.status).toBe(200);
    // S-2 is in region South: outside this desk's scope.
    expect(read.body.stores).toEqual([{ storeId: 'S-1', readers: 2 }]);
    await rebuildReadModels(t.server.store.db, dialect);
    expect((await t.call('GET', url, { token: desk })).body.stores).toEqual([
      { storeId: 'S-1', readers: 2 },
    ]);
  });

  it('the admin command line publishes a risk the same way, and refuses one without owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-'));
    const good = join(dir, 'risk.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, JSON.stringify({ ...RISK, id: 'risk-cli', rollbackStepId: null }));
    writeFileSync(bad, JSON.stringify({ ...RISK, id: 'risk-cli-bad', owner: '' }));
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const env = process.env.DATABASE_URL;
    if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
    const run = (file: string) =>
      runAdmin(['publish-risk', '--json', file, '--data', t.dataDir, '--as', 'test-admin']);
    try {
      expect(await run(bad)).not.toBe(0);
      expect(await run(good)).toBe(0);
    } finally {
      write.mockRestore();
      err.mockRestore();
      if (env === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = env;
    }
    expect(out.join('')).toContain(`risk risk-cli (open) published for release ${RELEASE.id}`);
    const ids = (await register()).map((r) => r.id);
    expect(ids).toContain('risk-cli');
    expect(ids).not.toContain('risk-cli-bad');
  });

  it('a decision that lists an open risk it did not acknowledge is refused at push, nothing stored', async () => {
    const manager = { userId: 'mgr-1', role: 'manager' as const };
    const payload = (acknowledged: string[]) => ({
      decisionId: `dec-${acknowledged.length}`,
      releaseId: RELEASE.id,
      decision: 'no-go',
      reason: 'Card reader risk is too high',
      conditions: [],
      verdict: 'no-go',
      criteria: [],
      signature: { sha256: 'a'.repeat(64), mimeType: 'image/png', byteLength: 10 },
      basis: { results: [], waivers: [], evidence: [] },
      digest: 'b'.repeat(64),
      risks: {
        open: [
          {
            id: RISK.id,
            title: RISK.title,
            likelihood: 'medium',
            impact: 'high',
            owner: RISK.owner,
          },
        ],
        acknowledged,
      },
    });
    const before = (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;
    const from = device.events.length + 1;
    device.record('decision.recorded', payload([]), { actor: manager });
    const refused = await t.call('POST', '/v1/events', {
      token: deviceToken,
      body: device.pushBody(from, from),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('every open risk must be acknowledged');
    expect((await t.call('GET', '/v1/log/tree-head')).body.treeHead.size).toBe(before);
  });
});
