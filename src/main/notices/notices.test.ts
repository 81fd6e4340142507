/**
 * Notices on a store console against a real central server (the demo
 * history): a blocker bug filed at the store comes back as a notice with
 * the device token, is shown to the roles it concerns, is read with one
 * `notice.read` audit event that the server accepts on the next sync, and
 * stays listed offline with the reason the refresh failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeList } from '../../shared/contract/notices.ts';
import { expectOk, MANAGER, TECH, type TestApp } from '../app/testSupport.ts';
import { startFleet, syncNow, type Fleet } from '../crossDevice/testing.ts';
import { smokeRun } from '../deployments/testing.ts';
import { rebuildReadMarks } from '../releases/whatsNew.ts';

let fleet: Fleet;
let app: TestApp;

beforeAll(async () => {
  fleet = await startFleet();
  app = await fleet.console('par', 'st-par-01');
}, 60_000);
afterAll(() => fleet?.close());

async function signInAs(user: { userId: string; pin: string }): Promise<void> {
  await app.dispatch('session:signOut', {});
  expectOk(await app.dispatch('session:signIn', user));
}

const readEvents = () =>
  app.db.sqlite
    .prepare("SELECT count(*) FROM journal WHERE type = 'notice.read'")
    .pluck()
    .get() as number;

describe('notices on a store console', () => {
  it('lists what concerns the person and records a read once', async () => {
    await signInAs(TECH);
    expect((expectOk(await app.dispatch('notices:list', {})) as NoticeList).notices).toEqual([]);
    const runId = await smokeRun(app, {
      releaseId: 'rel-4.4.0',
      terminalIds: ['st-par-01-t1'],
      failing: ['card-payment'],
    });
    expectOk(
      await app.dispatch('feedback:draftBugReport', {
        runId,
        terminalId: 'st-par-01-t1',
        itemId: 'card-payment',
        severity: 'blocker',
        title: 'Card payments fail',
      }),
    );
    await syncNow(app);

    await signInAs(MANAGER);
    const list = expectOk(await app.dispatch('notices:list', {})) as NoticeList;
    expect(list.error).toBeNull();
    expect(list.unread).toBe(1);
    expect(list.notices).toMatchObject([
      {
        kind: 'bug_report_s1',
        storeId: 'st-par-01',
        releaseId: 'rel-4.4.0',
        text: 'Card payments fail',
        isRead: false,
      },
    ]);
    const id = list.notices[0]!.id;
    const read = expectOk(await app.dispatch('notices:markRead', { noticeId: id })) as NoticeList;
    expect(read).toMatchObject({ unread: 0, notices: [{ id, isRead: true }] });
    // Reading it again records nothing more.
    expectOk(await app.dispatch('notices:markRead', { noticeId: id }));
    expect(readEvents()).toBe(1);
    // The read state is a projection of the journal: emptied and replayed, it comes back.
    app.db.sqlite.exec('DELETE FROM notice_reads');
    expect(rebuildReadMarks(app.db)).toEqual({ replayed: 1 });
    expect(expectOk(await app.dispatch('notices:list', {}))).toMatchObject({
      unread: 0,
      notices: [{ id, isRead: true }],
    });
    const unknown = await app.dispatch('notices:markRead', { noticeId: 'log:999999' });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe('not_found');
    // The read is an audit event like any other: the server accepts it.
    const status = await syncNow(app);
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null, quarantinedEvents: 0 });

    // Read for the manager, still unread for the technician.
    await signInAs(TECH);
    expect(expectOk(await app.dispatch('notices:list', {}))).toMatchObject({
      unread: 1,
      notices: [{ id, isRead: false }],
    });
  });

  it("shows a release communication to the roles its plan names: the manager's console, not the technician's", async () => {
    const res = await fetch(`${fleet.server.url}/v1/admin/comms-plans`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${fleet.server.adminToken}`,
      },
      body: JSON.stringify({
        releaseId: 'rel-4.4.0',
        communications: [
          {
            id: 'managers-uat',
            audience: { roles: ['manager'], webhook: false },
            // Already due: the server sends it as the plan is set.
            when: { anchor: 'instant', at: new Date(Date.now() - 60_000).toISOString() },
            message: 'Plan an hour on Tuesday for the UAT checklist.',
          },
        ],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);

    await signInAs(MANAGER);
    const list = expectOk(await app.dispatch('notices:list', {})) as NoticeList;
    const communication = list.notices.find((n) => n.kind === 'communication');
    expect(communication).toMatchObject({
      releaseId: 'rel-4.4.0',
      subjectId: 'managers-uat',
      text: 'Plan an hour on Tuesday for the UAT checklist.',
      isRead: false,
    });
    expectOk(await app.dispatch('notices:markRead', { noticeId: communication!.id }));

    await signInAs(TECH);
    const tech = expectOk(await app.dispatch('notices:list', {})) as NoticeList;
    expect(tech.notices.map((n) => n.kind)).toEqual(['bug_report_s1']);
    const refused = await app.dispatch('notices:markRead', { noticeId: communication!.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('forbidden');
  });

  it('keeps the list offline with the reason the refresh failed', async () => {
    await signInAs(TECH);
    const before = expectOk(await app.dispatch('notices:list', {})) as NoticeList;
    await fleet.server.kill();
    const offline = expectOk(await app.dispatch('notices:list', {})) as NoticeList;
    expect(offline.notices.map((n) => n.id)).toEqual(before.notices.map((n) => n.id));
    expect(offline.notices).toHaveLength(1);
    expect(offline.error).toMatch(/cannot be reached/);
  });
});
