/**
 * Named administrators and central actions as evidence: the bootstrap token
 * creates the first administrator and is refused for everything else; a
 * forged, unknown or revoked admin token is refused with its code; every
 * admin action lands in the central log, naming the administrator, in the
 * change's own transaction, and the complete audit bundle verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { ADMIN_ACTION_TYPES, centralActionsOf } from '../../shared/audit/centralActions.ts';
import { issueToken } from '../auth/tokens.ts';
import { createSimDevice } from '../testing/device.ts';
import { TEST_ADMIN } from '../testing/admin.ts';
import {
  TEST_FLEET,
  enrollSim,
  startTestServer,
  type LooseBody,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import {
  checklistRequirementBody,
  checklistTemplateBody,
  featureFlagBody,
  runbookBody,
  storeWindowsBody,
} from '../testing/publishBodies.ts';

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

type LogEntry = {
  index: number;
  event: { deviceId: string; type: string; at: string; payload: LooseBody };
};

async function logEntries(t: TestServer): Promise<LogEntry[]> {
  const head = await t.call('GET', '/v1/log/tree-head');
  const size = head.body.treeHead.size as number;
  const res = await t.call('GET', `/v1/log/entries?start=0&end=${size}`, { token: t.adminToken });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.entries as LogEntry[];
}

async function treeSize(t: TestServer): Promise<number> {
  return (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;
}

describe('the bootstrap token', () => {
  let t: TestServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dearpos-bootstrap-'));
    // A harness server has spent its bootstrap token already; this one starts from a bare database.
    t = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('may create the first administrator only, and is refused for anything else (bootstrap_only)', async () => {
    const bootstrap = await issueToken(t.server.store.db, 'admin', { label: 'b', now: new Date() });
    const release = await t.call('POST', '/v1/admin/releases', { token: bootstrap, body: RELEASE });
    expect(release.status).toBe(403);
    expect(release.body.code).toBe('bootstrap_only');
    const devices = await t.call('GET', '/v1/admin/devices', { token: bootstrap });
    expect(devices.body.code).toBe('bootstrap_only');
    const entries = await t.call('GET', '/v1/log/entries?start=0&end=0', { token: bootstrap });
    expect(entries.body.code).toBe('bootstrap_only');
  });

  it('is refused once a named administrator exists (bootstrap_spent), and nothing is stored', async () => {
    const size = await treeSize(t);
    const again = await t.call('POST', '/v1/admin/bootstrap', {
      token: t.bootstrapToken,
      body: { id: 'mallory', name: 'Mallory', pin: '135790' },
    });
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('bootstrap_spent');
    expect(await treeSize(t)).toBe(size);
    const users = await t.server.store.db.selectFrom('users').select('id').execute();
    expect(users.map((u) => u.id)).toEqual([TEST_ADMIN.id]);
  });

  it('a bootstrap on a fresh server answers the admin token, which then works', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'dearpos-bootstrap-fresh-'));
    const { createServer } = await import('../app.ts');
    const server = await createServer({ dataDir: fresh, rateLimit: false });
    const url = await server.listen(0);
    try {
      const bootstrap = await issueToken(server.store.db, 'admin', { now: new Date() });
      const post = (path: string, token: string, body: unknown) =>
        fetch(url + path, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const bad = await post('/v1/admin/bootstrap', bootstrap, {
        id: 'ada',
        name: 'Ada',
        pin: '1',
      });
      expect(bad.status).toBe(400);
      const created = await post('/v1/admin/bootstrap', bootstrap, {
        id: 'ada',
        name: 'Ada Admin',
        pin: '135790',
      });
      expect(created.status).toBe(200);
      const { token, adminId, logIndex } = (await created.json()) as {
        token: string;
        adminId: string;
        logIndex: number;
      };
      expect(adminId).toBe('ada');
      expect(logIndex).toBe(0);
      expect((await post('/v1/admin/fleet', token, TEST_FLEET)).status).toBe(200);
      expect((await post('/v1/admin/fleet', bootstrap, TEST_FLEET)).status).toBe(403);
    } finally {
      await server.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('central actions on %s', (dialect) => {
  let pg: TestPostgres | null = null;
  let t: TestServer;
  beforeAll(async () => {
    if (dialect === 'postgres') pg = await startTestPostgres();
    t = await startTestServer(pg ? { databaseUrl: await pg.createDatabase() } : {});
  });
  afterAll(async () => {
    await t.close();
    pg?.stop();
  });

  it('every admin action is a server entry naming the administrator, and the complete bundle verifies', async () => {
    const admin = { token: t.adminToken };
    const ok = async (path: string, body: unknown): Promise<{ token?: string }> => {
      const res = await t.call('POST', path, { ...admin, body });
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
      return res.body as { token?: string };
    };
    await ok('/v1/admin/fleet', TEST_FLEET);
    await ok('/v1/admin/fleet/csv', {
      kind: 'stores',
      csv: 'id,name,region,ring,timezone\nS-3,Store Three,North,early,Europe/Paris\n',
    });
    await ok('/v1/admin/releases', RELEASE);
    await ok('/v1/admin/ring-targets', { ring: 'lab', releaseId: RELEASE.id });
    await ok('/v1/admin/users', {
      id: 'u-new',
      name: 'New',
      role: 'technician',
      pin: '482913',
      storeIds: ['S-1'],
    });
    await ok('/v1/admin/users', {
      id: 'u-boss',
      name: 'Second admin',
      role: 'admin',
      pin: '482913',
      storeIds: [],
    });
    const second = await ok('/v1/admin/admin-tokens', { userId: 'u-boss', label: 'laptop' });
    await ok('/v1/admin/users/revoke', { userId: 'u-new' });
    const device = createSimDevice('S-1');
    await enrollSim(t, device, 'S-1');
    await ok('/v1/admin/devices/revoke', { deviceId: device.deviceId });
    await ok('/v1/admin/auditor-tokens', { label: 'auditor' });
    await ok('/v1/admin/checklist-templates', checklistTemplateBody());
    await ok('/v1/admin/checklist-requirements', checklistRequirementBody(RELEASE.id));
    await ok('/v1/admin/runbooks', runbookBody(RELEASE.id));
    await ok('/v1/admin/feature-flags', featureFlagBody(RELEASE.id));
    await ok('/v1/admin/store-windows', storeWindowsBody('S-1'));
    // The second administrator's own token: the log names them, not the first.
    const byBoss = await t.call('POST', '/v1/admin/enrollment-codes', {
      token: second.token,
      body: { storeId: 'S-2' },
    });
    expect(byBoss.status).toBe(200);

    const central = (await logEntries(t)).filter((e) => e.event.deviceId === SERVER_DEVICE_ID);
    const actions = central.map((e): [string, string | undefined] => [
      e.event.type,
      (e.event.payload as { actedBy?: { adminId: string } }).actedBy?.adminId,
    ]);
    expect(actions).toEqual([
      ['admin.user.created', TEST_ADMIN.id],
      ['admin.fleet.imported', TEST_ADMIN.id],
      ['admin.fleet.imported', TEST_ADMIN.id],
      ['admin.release.published', TEST_ADMIN.id],
      ['admin.ringTarget.set', TEST_ADMIN.id],
      ['admin.user.created', TEST_ADMIN.id],
      ['admin.user.created', TEST_ADMIN.id],
      ['admin.adminToken.issued', TEST_ADMIN.id],
      ['admin.user.revoked', TEST_ADMIN.id],
      ['admin.enrollmentCode.issued', TEST_ADMIN.id],
      ['admin.device.revoked', TEST_ADMIN.id],
      ['admin.auditorToken.issued', TEST_ADMIN.id],
      ['admin.checklistTemplate.published', TEST_ADMIN.id],
      ['admin.checklistRequirement.set', TEST_ADMIN.id],
      ['admin.runbook.published', TEST_ADMIN.id],
      ['admin.featureFlag.published', TEST_ADMIN.id],
      ['admin.storeWindows.set', TEST_ADMIN.id],
      ['admin.enrollmentCode.issued', 'u-boss'],
    ]);
    for (const [type] of actions) expect(ADMIN_ACTION_TYPES).toContain(type);
    // What the change produced, never a secret: no enrollment code, no token in the log.
    const text = JSON.stringify(central);
    expect(text).not.toContain(second.token);
    expect(text).not.toContain(byBoss.body.code);
    expect(
      central.find((e) => e.event.type === 'admin.release.published')!.event.payload,
    ).toMatchObject({
      releaseId: RELEASE.id,
      version: '1.0.0',
      actedBy: { adminId: TEST_ADMIN.id, role: 'admin', via: 'token' },
    });

    const bundle = await t.call('GET', '/v1/audit/bundle', { token: t.adminToken });
    expect(bundle.status).toBe(200);
    const lines = (bundle.body as string).split('\n').filter((l) => l.trim() !== '');
    const verdict = verifyBundle(lines, undefined, { trustedLogPublicKey: t.server.key.publicKey });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    // What audit:verify prints of them: who, what, when.
    const listed = centralActionsOf(lines);
    expect(listed).toHaveLength(actions.length);
    expect(listed.at(-1)).toMatchObject({ adminId: 'u-boss', type: 'admin.enrollmentCode.issued' });
  });

  it('a refused admin action leaves the catalog, the log and the tree head as they were', async () => {
    const size = await treeSize(t);
    const cursor = await t.server.store.db
      .selectFrom('catalog_head')
      .select('cursor')
      .executeTakeFirstOrThrow();
    const bad = await t.call('POST', '/v1/admin/releases', {
      token: t.adminToken,
      body: { ...RELEASE, id: 'rel-2', version: '' },
    });
    expect(bad.status).toBe(400);
    const missing = await t.call('POST', '/v1/admin/ring-targets', {
      token: t.adminToken,
      body: { ring: 'pilot', releaseId: 'rel-nope' },
    });
    expect(missing.status).toBe(404);
    const unknownUser = await t.call('POST', '/v1/admin/admin-tokens', {
      token: t.adminToken,
      body: { userId: 'tech-1' },
    });
    expect(unknownUser.status).toBe(404);
    expect(await treeSize(t)).toBe(size);
    expect(
      (
        await t.server.store.db
          .selectFrom('catalog_head')
          .select('cursor')
          .executeTakeFirstOrThrow()
      ).cursor,
    ).toBe(cursor.cursor);
  });

  it('forged, unknown and revoked admin tokens are refused with their codes', async () => {
    const forged = await t.call('GET', '/v1/admin/devices', {
      token: `dpa_${'A'.repeat(43)}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('unauthorized');
    // A second administrator, then revoked: their token dies at once, and stays dead if re-created.
    const created = await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id: 'u-gone', name: 'Leaving admin', role: 'admin', pin: '482913', storeIds: [] },
    });
    expect(created.status).toBe(200);
    const issued = await t.call('POST', '/v1/admin/admin-tokens', {
      token: t.adminToken,
      body: { userId: 'u-gone' },
    });
    const gone = issued.body.token as string;
    expect((await t.call('GET', '/v1/admin/devices', { token: gone })).status).toBe(200);
    const revoke = await t.call('POST', '/v1/admin/users/revoke', {
      token: t.adminToken,
      body: { userId: 'u-gone' },
    });
    expect(revoke.status).toBe(200);
    const refused = await t.call('POST', '/v1/admin/releases', { token: gone, body: RELEASE });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthorized');
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id: 'u-gone', name: 'Back again', role: 'admin', pin: '482913', storeIds: [] },
    });
    expect((await t.call('GET', '/v1/admin/devices', { token: gone })).status).toBe(401);
    // An admin demoted to another role keeps no admin power through an old token.
    const bossToken = (
      await t.call('POST', '/v1/admin/admin-tokens', {
        token: t.adminToken,
        body: { userId: 'u-boss' },
      })
    ).body.token as string;
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id: 'u-boss', name: 'Demoted', role: 'support', pin: '482913', storeIds: [] },
    });
    const demoted = await t.call('POST', '/v1/admin/admin-tokens', {
      token: t.adminToken,
      body: { userId: 'u-boss' },
    });
    expect(demoted.status).toBe(400);
    const stale = await t.call('GET', '/v1/admin/devices', { token: bossToken });
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe('admin_revoked');
  });
});
