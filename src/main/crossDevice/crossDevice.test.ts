/**
 * What one console records, every console of the same store sees: two or
 * three real consoles against one real central server, each syncing through
 * the scope feed.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import type { Provenance, SyncQueueView } from '../../shared/contract/sync.ts';
import type { TerminalDetail } from '../../shared/fleet/types.ts';
import type { VerdictView } from '../../shared/decisions/types.ts';
import type { ChangeRequest } from '../../shared/deployments/changeRequests.ts';
import type { Result } from '../../shared/errors.ts';
import { expectOk, MANAGER, TECH, type TestApp } from '../app/testSupport.ts';
import { createEvidenceStore, sha256OfBytes } from '../checklists/evidenceStore.ts';
import { PNG_1X1_RED } from '../checklists/testing.ts';
import { smokeRun } from '../deployments/testing.ts';
import { readSyncState } from '../sync/state.ts';
import { startFleet, syncNow, type Fleet } from './testing.ts';

let fleet: Fleet;
let a: TestApp;
let b: TestApp;
let lyon: TestApp;
beforeAll(async () => {
  fleet = await startFleet();
  a = await fleet.console('a');
  b = await fleet.console('b');
  lyon = await fleet.console('lyon', 'st-lyo-01');
  expectOk(await a.dispatch('session:signIn', TECH));
  expectOk(await b.dispatch('session:signIn', MANAGER));
}, 60_000);
afterAll(() => fleet.close());

function foreignDevices(app: TestApp): string[] {
  return app.db.sqlite
    .prepare('SELECT DISTINCT store_id FROM foreign_events WHERE outcome != ? ORDER BY 1')
    .pluck()
    .all('withheld') as string[];
}

describe('two consoles of one store', () => {
  it('a version recorded on A shows on B after both sync, with where it came from', async () => {
    const T = 'st-par-01-t3';
    const recorded = expectOk(
      await a.dispatch('fleet:recordVersion', { terminalId: T, version: '4.4.0', source: 'typed' }),
    );
    expect(recorded).toBeTruthy();
    const beforeSync = expectOk(
      await b.dispatch('fleet:getTerminal', { terminalId: T }),
    ) as TerminalDetail;
    expect(beforeSync.terminal.version).not.toBe('4.4.0');
    await syncNow(a);
    await syncNow(b);
    const detail = expectOk(
      await b.dispatch('fleet:getTerminal', { terminalId: T }),
    ) as TerminalDetail;
    expect(detail.terminal.version).toBe('4.4.0');
    const entry = detail.history.find((h) => h.version === '4.4.0' && h.recordedBy === TECH.userId);
    expect(entry).toBeTruthy();
    const provenance = b.db.sqlite
      .prepare('SELECT device_id, actor_user_id FROM foreign_events WHERE event_id = ?')
      .get(entry!.eventId) as { device_id: string; actor_user_id: string };
    expect(provenance).toEqual({ device_id: a.journal.deviceId, actor_user_id: TECH.userId });
    // The badge names A by the name the server holds for it, and the user by theirs.
    const [badge] = expectOk(
      await b.dispatch('sync:provenance', { eventIds: [entry!.eventId] }),
    ) as Provenance[];
    const devices = (await (
      await fetch(`${fleet.server.url}/v1/admin/devices`, {
        headers: { authorization: `Bearer ${fleet.server.adminToken}` },
      })
    ).json()) as { devices: Array<{ id: string; name: string | null }> };
    const nameOfA = devices.devices.find((d) => d.id === a.journal.deviceId)?.name;
    expect(nameOfA).toMatch(/^st-par-01 console \d+$/);
    expect(badge).toMatchObject({
      deviceId: a.journal.deviceId,
      deviceName: nameOfA,
      isThisConsole: false,
      userName: 'Tess Tran',
    });
  });

  it("a catalog change (the fleet is rebuilt from the catalog and the journal) keeps the other console's versions, once", async () => {
    const T = 'st-par-01-t3';
    const before = expectOk(
      await b.dispatch('fleet:getTerminal', { terminalId: T }),
    ) as TerminalDetail;
    const res = await fetch(`${fleet.server.url}/v1/admin/releases`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fleet.server.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        id: 'rel-5.1.0',
        version: '5.1.0',
        type: 'minor',
        ring: 'lab',
        status: 'planned',
        plannedAt: null,
        actualAt: null,
        title: 'DearPOS 5.1',
        notesMarkdown: '',
      }),
    });
    expect(res.status).toBe(200);
    await syncNow(b);
    expect(
      b.db.sqlite.prepare("SELECT count(*) FROM releases WHERE id = 'rel-5.1.0'").pluck().get(),
    ).toBe(1);
    const after = expectOk(
      await b.dispatch('fleet:getTerminal', { terminalId: T }),
    ) as TerminalDetail;
    expect(after.terminal.version).toBe('4.4.0');
    expect(after.history).toEqual(before.history);
  });

  it("the store's earlier history from other devices arrives on a freshly enrolled console", () => {
    const count = b.db.sqlite
      .prepare('SELECT count(*) FROM foreign_events')
      .pluck()
      .get() as number;
    expect(count).toBeGreaterThan(0);
    expect(foreignDevices(b)).toEqual(['st-par-01']);
  });

  it("a store console never receives another store's events", async () => {
    await syncNow(lyon);
    const stores = lyon.db.sqlite
      .prepare('SELECT DISTINCT store_id FROM foreign_events')
      .pluck()
      .all();
    expect(stores.every((s) => s === 'st-lyo-01')).toBe(true);
    const fromParis = lyon.db.sqlite
      .prepare('SELECT count(*) FROM foreign_events WHERE device_id IN (?, ?)')
      .pluck()
      .get(a.journal.deviceId, b.journal.deviceId);
    expect(fromParis).toBe(0);
  });
});

function refusalOf(result: Result<unknown>): string | null {
  if (result.ok) return null;
  const details = (result.error as { details?: { refusal?: string } }).details;
  return details?.refusal ?? result.error.code;
}

describe('work split across two consoles of one store', () => {
  const PARIS = 'st-par-01';
  const LEO = { userId: 'u-leo', pin: '5555' };
  const lyonDevices: string[] = [];
  let deploymentId = '';

  it("a change request raised on A is approved by a manager on B, and A's deployment proceeds after A syncs", async () => {
    // Sunday 20 December 2026, 04:00 in Paris: inside the "Christmas trading" freeze.
    for (const app of [a, b]) app.clock.set('2026-12-20T03:00:00.000Z');
    const planned = expectOk(
      await a.dispatch('deployments:plan', { releaseId: 'rel-4.2.1', storeId: PARIS }),
    ) as DeploymentView;
    deploymentId = planned.state.plan.deploymentId;
    const start = {
      deploymentId,
      action: {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        overrideReason: null,
      },
    } as const;
    expect(refusalOf(await a.dispatch('deployments:act', start))).toBe('outside_window');
    const from = a.clock.now().getTime();
    const requested = expectOk(
      await a.dispatch('changeRequests:request', {
        deviation: {
          kind: 'deploy_outside_window',
          storeId: PARIS,
          releaseId: 'rel-4.2.1',
          from,
          to: from + 2 * 3_600_000,
        },
        impactNote: 'VAT on multi-buy offers is wrong on every receipt until the hotfix',
        risk: 'medium',
      }),
    ) as ChangeRequest;
    await syncNow(a);
    await syncNow(b);
    const onB = expectOk(
      await b.dispatch('changeRequests:list', { storeId: PARIS }),
    ) as ChangeRequest[];
    expect(onB.find((r) => r.id === requested.id)).toMatchObject({ status: 'pending' });
    const deploymentsOnB = expectOk(
      await b.dispatch('deployments:list', { storeId: PARIS }),
    ) as Array<{ id: string }>;
    expect(deploymentsOnB.map((d) => d.id)).toContain(deploymentId);
    expectOk(
      await b.dispatch('changeRequests:decide', {
        changeRequestId: requested.id,
        isApproved: true,
        note: 'Go, before opening',
      }),
    );
    // Not yet on A: it has not synced.
    expect(refusalOf(await a.dispatch('deployments:act', start))).toBe('outside_window');
    await syncNow(b);
    await syncNow(a);
    const onA = expectOk(
      await a.dispatch('changeRequests:list', { storeId: PARIS }),
    ) as ChangeRequest[];
    expect(onA.find((r) => r.id === requested.id)).toMatchObject({
      status: 'approved',
      decidedBy: { userId: MANAGER.userId, role: 'manager' },
    });
    a.clock.advance(60_000);
    const started = expectOk(await a.dispatch('deployments:act', start)) as DeploymentView;
    expect(started.state.status).toBe('in_progress');
  });

  it("a technician's claim of an intervention on A shows as claimed on B; B's own claim made offline at the same time is superseded (earlier in the central log)", async () => {
    // Lyon: no trading hours. Two technicians, each on a console of the store.
    const c = await fleet.console('lyon-a', 'st-lyo-01');
    const d = await fleet.console('lyon-b', 'st-lyo-01');
    lyonDevices.push(c.journal.deviceId, d.journal.deviceId);
    expectOk(await c.dispatch('session:signIn', TECH));
    expectOk(await d.dispatch('session:signIn', LEO));
    const planned = expectOk(
      await c.dispatch('deployments:plan', {
        releaseId: 'rel-4.4.0',
        storeId: 'st-lyo-01',
        terminalIds: ['st-lyo-01-t2'],
      }),
    ) as DeploymentView;
    const id = planned.state.plan.deploymentId;
    const act = (app: TestApp, action: Record<string, unknown>) =>
      app.dispatch('deployments:act', { deploymentId: id, action: action as never });
    let view = expectOk(
      await act(c, {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        overrideReason: null,
      }),
    ) as DeploymentView;
    // Walk to the first intervention point.
    for (let i = 0; i < 5 && !view.state.intervention; i++)
      view = expectOk(await act(c, { type: 'complete_step' })) as DeploymentView;
    expect(view.state.intervention?.claimant ?? null).toBeNull();
    await syncNow(c);
    await syncNow(d);
    // Both offline now: each claims the same intervention.
    const claimedOnC = expectOk(await act(c, { type: 'claim_intervention' })) as DeploymentView;
    expect(claimedOnC.state.intervention?.claimant?.userId).toBe(TECH.userId);
    const claimedOnD = expectOk(await act(d, { type: 'claim_intervention' })) as DeploymentView;
    expect(claimedOnD.state.intervention?.claimant?.userId).toBe(LEO.userId);
    const lastClaim = (app: TestApp) =>
      app.db.sqlite
        .prepare(
          "SELECT id FROM journal WHERE type = 'deployment.intervention.claimed' ORDER BY seq DESC LIMIT 1",
        )
        .pluck()
        .get() as string;
    const [cClaim, dClaim] = [lastClaim(c), lastClaim(d)];
    await syncNow(c); // C's claim enters the central log first
    await syncNow(d);
    await syncNow(c);
    for (const app of [c, d]) {
      const view = expectOk(
        await app.dispatch('deployments:get', { deploymentId: id }),
      ) as DeploymentView;
      expect(view.state.intervention?.claimant?.userId).toBe(TECH.userId);
    }
    // Nothing is lost: D's claim stays in its journal, marked with the claim that won, on both consoles.
    expect(
      d.db.sqlite
        .prepare('SELECT superseded_by FROM superseded_events WHERE event_id = ?')
        .pluck()
        .get(dClaim),
    ).toBe(cClaim);
    expect(
      c.db.sqlite
        .prepare('SELECT outcome, superseded_by FROM foreign_events WHERE event_id = ?')
        .get(dClaim),
    ).toEqual({ outcome: 'superseded', superseded_by: cClaim });
    // The server's read model names the same winner, for the desks.
    const serverDb = new Database(join(fleet.root, 'server', 'server.sqlite'), { readonly: true });
    try {
      expect(
        serverDb
          .prepare('SELECT device_id, reason, won_by FROM rm_superseded WHERE event_id = ?')
          .get(dClaim),
      ).toEqual({ device_id: d.journal.deviceId, reason: 'already_claimed', won_by: cClaim });
    } finally {
      serverDb.close();
    }
    // D's Sync screen lists it as superseded, in plain words; the provenance of both claims.
    const queue = expectOk(await d.dispatch('sync:queue', {})) as SyncQueueView;
    expect(queue.counts.superseded).toBe(1);
    expect(queue.items.find((i) => i.kind === 'superseded')).toMatchObject({
      eventId: dClaim,
      reason: expect.stringMatching(
        /^Superseded by intervention claimed by Tess .* \(earlier in the central log\): someone else had already claimed it/,
      ),
      whatToDo: expect.stringMatching(/Check the current state/),
    });
    const provenance = expectOk(
      await d.dispatch('sync:provenance', { eventIds: [cClaim, dClaim] }),
    ) as Provenance[];
    expect(provenance).toEqual([
      expect.objectContaining({
        eventId: cClaim,
        deviceId: c.journal.deviceId,
        isThisConsole: false,
        userId: TECH.userId,
        isInCentralLog: true,
        supersededBy: null,
      }),
      expect.objectContaining({
        eventId: dClaim,
        isThisConsole: true,
        userId: LEO.userId,
        isInCentralLog: true,
        supersededBy: expect.objectContaining({ eventId: cClaim }),
      }),
    ]);
    expect(provenance[0]!.logIndex).toBeLessThan(provenance[1]!.logIndex!);
    const byDeployment = expectOk(
      await d.dispatch('sync:provenance', { subjects: [{ kind: 'deployment', id }] }),
    ) as Provenance[];
    expect(byDeployment).toEqual([
      expect.objectContaining({ deviceId: c.journal.deviceId, userId: TECH.userId }),
    ]);
    // The technician proceeds on C; D follows after syncing.
    expectOk(await act(c, { type: 'proceed_intervention', notes: 'Lane closed, 0 sales waiting' }));
    await syncNow(c);
    await syncNow(d);
    const onD = expectOk(
      await d.dispatch('deployments:get', { deploymentId: id }),
    ) as DeploymentView;
    expect(onD.state.intervention).toBeNull();
    expect(onD.state.status).toBe('in_progress');
  });

  it("B's go / no-go verdict counts A's checklist runs, and the decision signed on B shows on A", async () => {
    for (const app of [a, b]) app.clock.set('2026-12-21T10:00:00.000Z');
    const criterion = async () => {
      const verdict = expectOk(
        await b.dispatch('decisions:verdict', { releaseId: 'rel-4.2.1', storeId: PARIS }),
      ) as VerdictView;
      return verdict.criteria.find((c) => c.id === 'checklist_passed:tpl-smoke-pos')!;
    };
    expect((await criterion()).isMet).toBe(false);
    await smokeRun(a, { releaseId: 'rel-4.2.1', terminalIds: ['st-par-01-t1', 'st-par-01-t2'] });
    await syncNow(a);
    await syncNow(b);
    expect(await criterion()).toMatchObject({ isMet: true });
    const decision = expectOk(
      await b.dispatch('decisions:record', {
        releaseId: 'rel-4.2.1',
        storeId: PARIS,
        // Maya recorded 4.2.1 versions in this store (the demo history B received through the
        // feed), so she may only sign no-go: another manager signs go.
        decision: 'no-go',
        reason: 'Smoke test passed on two lanes, but wait for the VAT fix',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    ) as { id: string };
    await syncNow(b);
    await syncNow(a);
    const onA = expectOk(
      await a.dispatch('decisions:list', { releaseId: 'rel-4.2.1', storeId: PARIS }),
    ) as Array<{ id: string }>;
    expect(onA.map((d) => d.id)).toContain(decision.id);
  });

  it("the evidence files A's results and B's sign-off cite reach the other console, hash-checked, and a lost one is fetched again; another store's console gets none", async () => {
    const evidenceOf = (app: TestApp) => createEvidenceStore(dirname(app.db.file));
    const citedBy = (app: TestApp, events: 'foreign' | 'own') =>
      app.db.sqlite
        .prepare(
          events === 'foreign'
            ? 'SELECT e.sha256 FROM evidence_files e JOIN foreign_events f ON f.event_id = e.event_id'
            : 'SELECT e.sha256 FROM evidence_files e JOIN journal j ON j.id = e.event_id',
        )
        .pluck()
        .all() as string[];
    // A's smoke-test photo on B; B's signature on A (both synced in the tests above).
    const fromA = citedBy(a, 'own');
    const fromB = citedBy(b, 'own');
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    for (const sha of fromA) expect(citedBy(b, 'foreign')).toContain(sha);
    for (const sha of [...fromA, ...citedBy(b, 'foreign')]) {
      const bytes = evidenceOf(b).read(sha);
      expect(bytes, sha).not.toBeNull();
      expect(sha256OfBytes(bytes!)).toBe(sha);
    }
    for (const sha of fromB) expect(sha256OfBytes(evidenceOf(a).read(sha)!)).toBe(sha);
    // A file lost on B (or a cycle cut short) is fetched again by the next sync.
    const lost = fromA[0]!;
    rmSync(evidenceOf(b).pathOf(lost));
    expect(evidenceOf(b).read(lost)).toBeNull();
    await syncNow(b);
    expect(sha256OfBytes(evidenceOf(b).read(lost)!)).toBe(lost);
    // Lyon's console may not read a file only Paris cites: 404, as for a file the server lacks.
    const lyonToken = readSyncState(lyon.db)!.device_token;
    const parisOnly = fromB.find((sha) => !citedBy(lyon, 'foreign').includes(sha))!;
    const refused = await fetch(`${fleet.server.url}/v1/store/evidence/${parisOnly}`, {
      headers: { authorization: `Bearer ${lyonToken}` },
    });
    expect(refused.status).toBe(404);
    const own = await fetch(`${fleet.server.url}/v1/store/evidence/${fromB[0]}`, {
      headers: { authorization: `Bearer ${readSyncState(a.db)!.device_token}` },
    });
    expect(own.status).toBe(200);
  });

  it("the third console, in Lyon, received its store's work and nothing of Paris", async () => {
    await syncNow(lyon);
    const rows = lyon.db.sqlite
      .prepare('SELECT DISTINCT device_id, store_id FROM foreign_events ORDER BY 1')
      .all() as Array<{ device_id: string; store_id: string }>;
    // The two Lyon consoles, and the demo device that recorded Lyon's history.
    expect(new Set(rows.map((r) => r.store_id))).toEqual(new Set(['st-lyo-01']));
    const devices = rows.map((r) => r.device_id);
    expect(devices).toEqual(expect.arrayContaining(lyonDevices));
    expect(devices).not.toContain(a.journal.deviceId);
    expect(devices).not.toContain(b.journal.deviceId);
  });
});
