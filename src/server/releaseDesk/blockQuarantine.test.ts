/**
 * The block rule on a real server (SQLite, then PostgreSQL): a store console
 * that was offline when the desk blocked a release pushes a start of it
 * anyway. Without a store manager's bypass the start is appended and
 * quarantined as release_blocked (the chain stays whole, later events flow,
 * the desk sees it, the audit bundle still verifies); with the bypass it
 * counts; after the unblock a start counts again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../shared/audit/event.ts';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { releaseDeskState } from '../../shared/releases/deskProtocol.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { canaryPlan, eventOfAction, plannedEvent } from '../webhooks/testing.ts';

const MANAGER: AuditActor = { userId: 'u-mgr', role: 'manager' };
const TECH: AuditActor = { userId: 'tech-1', role: 'technician' };
const RELEASE = 'rel-4.4.0';

type Setup = { t: TestServer; desk: string; device: SimDevice; token: string; pushed: number };

async function setUp(t: TestServer): Promise<Setup> {
  const admin = { token: t.adminToken };
  const ok = async (path: string, body: unknown) => {
    const res = await t.call('POST', path, { ...admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Record<string, unknown>;
  };
  await ok('/v1/admin/fleet', TEST_FLEET);
  await ok('/v1/admin/releases', {
    id: RELEASE,
    version: '4.4.0',
    type: 'minor',
    ring: 'pilot',
    status: 'rolling_out',
    plannedAt: null,
    actualAt: null,
    title: 'Release 4.4.0',
    notesMarkdown: '',
  });
  for (const [id, role] of [
    ['admin-1', 'admin'],
    ['u-mgr', 'manager'],
    ['tech-1', 'technician'],
  ] as const)
    await ok('/v1/admin/users', { id, name: `User ${id}`, role, pin: '135790', storeIds: [] });
  const code = await ok('/v1/admin/desk-enrollment-codes', { scope: 'all', role: 'release' });
  const enrolled = await t.call('POST', '/v1/desk/enroll', {
    body: { code: code.code, deskId: 'desk-block', publicKey: createSimDevice('x').publicKey },
  });
  const desk = enrolled.body.deskToken as string;
  const device = createSimDevice('S-1');
  const token = await enrollSim(t, device, 'S-1');
  const blocked = await t.call('POST', `/v1/desk/releases/${RELEASE}/block`, {
    token: desk,
    body: { actedBy: 'admin-1', reason: 'Receipts print blank' },
  });
  expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
  return { t, desk, device, token, pushed: 0 };
}

/** Plans and starts one deployment at S-1 in one push; returns the push's quarantine marks. */
async function planAndStart(
  s: Setup,
  deploymentId: string,
  actor: AuditActor,
  blockBypass?: { reason: string },
) {
  const plan = canaryPlan(deploymentId, 'S-1', RELEASE, 'T-1');
  const planned = plannedEvent(plan);
  s.device.record(planned.type, planned.payload, { actor: TECH });
  const start = eventOfAction(deploymentId, {
    type: 'start',
    strategy: 'canary_first',
    canaryTerminalId: 'T-1',
    window: { basis: 'open' },
    ring: { basis: 'in_ring' },
    ...(blockBypass ? { blockBypass } : {}),
    at: Date.now(),
    actor,
  } as never);
  s.device.record(start.type, start.payload, { actor });
  const res = await s.t.call('POST', '/v1/events', {
    token: s.token,
    body: s.device.pushBody(s.pushed + 1, s.device.events.length),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  s.pushed = s.device.events.length;
  return {
    quarantined: res.body.quarantined as Array<{ seq: number; reason: string }>,
    seq: s.pushed,
  };
}

async function deploymentIds(s: Setup): Promise<string[]> {
  const rows = await s.t.server.store.db
    .selectFrom('rm_deployments')
    .select(['id', 'status'])
    .orderBy('id')
    .execute();
  return rows.filter((r) => r.status !== 'planned').map((r) => r.id);
}

async function exercise(s: Setup) {
  // Offline when the block landed: no bypass. Appended, quarantined, left out of the read model.
  const bare = await planAndStart(s, 'dep-1', TECH);
  expect(bare.quarantined).toEqual([{ seq: bare.seq, reason: 'release_blocked' }]);
  // A technician's "bypass" is no bypass: only a store manager answers for it.
  const tech = await planAndStart(s, 'dep-2', TECH, { reason: 'Printers down in all lanes' });
  expect(tech.quarantined).toEqual([{ seq: tech.seq, reason: 'release_blocked' }]);
  // A store manager's emergency bypass with a reason counts.
  const bypassed = await planAndStart(s, 'dep-3', MANAGER, {
    reason: 'Printers down in all lanes',
  });
  expect(bypassed.quarantined).toEqual([]);
  expect(await deploymentIds(s)).toEqual(['dep-3']);

  // The desk sees the quarantined starts of the release, not the bypassed one.
  const state = await s.t.call('GET', `/v1/desk/releases/${RELEASE}/state`, { token: s.desk });
  expect(state.status).toBe(200);
  expect(
    releaseDeskState.parse(state.body).blockedStarts.map((b) => [b.storeId, b.deploymentId]),
  ).toEqual([
    ['S-1', 'dep-1'],
    ['S-1', 'dep-2'],
  ]);

  // Unblocked: a start without a bypass counts again.
  const unblocked = await s.t.call('POST', `/v1/desk/releases/${RELEASE}/unblock`, {
    token: s.desk,
    body: { actedBy: 'admin-1' },
  });
  expect(unblocked.status, JSON.stringify(unblocked.body)).toBe(200);
  const after = await planAndStart(s, 'dep-4', TECH);
  expect(after.quarantined).toEqual([]);
  expect(await deploymentIds(s)).toEqual(['dep-3', 'dep-4']);

  // The store's audit bundle still verifies, quarantine marks included.
  const auditor = await s.t.call('POST', '/v1/admin/auditor-tokens', {
    token: s.t.adminToken,
    body: { label: 'block rule' },
  });
  const res = await fetch(`${s.t.url}/v1/audit/bundle?storeId=S-1`, {
    headers: { authorization: `Bearer ${auditor.body.token as string}` },
  });
  expect(res.status).toBe(200);
  const verdict = verifyBundle((await res.text()).trim().split('\n'));
  expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
}

describe('block rule on SQLite', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp(await startTestServer());
  });
  afterAll(() => s?.t.close());

  it('quarantines a start of a blocked release without a store manager bypass; bypassed and unblocked starts count', async () => {
    await exercise(s);
  });
});

describe('block rule on PostgreSQL', () => {
  let pg: TestPostgres;
  let s: Setup;
  afterAll(async () => {
    await s?.t.close();
    pg?.stop();
  });

  it('quarantines the same starts on PostgreSQL', async () => {
    pg = await startTestPostgres();
    s = await setUp(await startTestServer({ databaseUrl: await pg.createDatabase() }));
    await exercise(s);
  });
});
