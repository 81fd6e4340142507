/**
 * Who acted, at a real server on 127.0.0.1 (SQLite and PostgreSQL): forged
 * actors are appended and quarantined with a machine-readable reason, listed
 * for admins with counts, and never stall the device's queue; equivocation
 * records stay bounded.
 */
import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditActor } from '../../shared/audit/event.ts';
import { checkpointText } from '../../shared/audit/event.ts';
import { pushResponse } from '../../shared/sync/protocol.ts';
import { runAdmin } from '../admin.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

const TECH: AuditActor = { userId: 'u-tech', role: 'technician' };
const USERS = [
  { id: 'u-tech', role: 'technician', storeIds: ['S-1'] },
  { id: 'u-mgr', role: 'manager', storeIds: ['S-1'] },
  { id: 'u-mgr-other', role: 'manager', storeIds: ['S-2'] },
  { id: 'u-tech-gone', role: 'technician', storeIds: ['S-1'] },
  { id: 'u-admin', role: 'admin', storeIds: [] },
];

const crRequested = (id: string) => ({
  changeRequestId: id,
  deviation: { kind: 'release_not_approved_for_ring', storeId: 'S-1', releaseId: 'rel-1' },
  impactNote: 'Pilot store needs the fix before the weekend.',
  risk: 'low',
});
const crDecided = (id: string) => ({ changeRequestId: id, note: 'ok' });

describe.each(['sqlite', 'postgres'] as const)('on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(
      dialect === 'postgres' ? { databaseUrl: await postgres.createDatabase() } : {},
    );
    expect(
      (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET })).status,
    ).toBe(200);
    for (const u of USERS) {
      const res = await t.call('POST', '/v1/admin/users', {
        token: t.adminToken,
        body: { ...u, name: u.id, pin: '123456' },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const revoked = await t.call('POST', '/v1/admin/users/revoke', {
      token: t.adminToken,
      body: { userId: 'u-tech-gone' },
    });
    expect(revoked.status).toBe(200);
  });
  afterAll(() => t.close());

  async function enrolled(): Promise<{ d: SimDevice; token: string }> {
    const d = createSimDevice('S-1', { actor: TECH });
    return { d, token: await enrollSim(t, d, 'S-1') };
  }

  async function reasonsStored(deviceId: string): Promise<Array<[number, string | null]>> {
    const rows = await t.server.store.db
      .selectFrom('log_entries')
      .select(['seq', 'quarantine_reason'])
      .where('device_id', '=', deviceId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => [Number(r.seq), r.quarantine_reason]);
  }

  it('appends every forged actor quarantined with its reason, and later good events still flow', async () => {
    const { d, token } = await enrolled();
    d.record('fleet.version.recorded', versionPayload(1)); // 1: good
    d.record('change_request.requested', crRequested('cr-1')); // 2: good
    // 3: a technician claiming admin approves a change request.
    d.record('change_request.approved', crDecided('cr-1'), {
      actor: { userId: 'u-tech', role: 'admin' },
    });
    // 4: a user no catalog ever held, as admin.
    d.record('change_request.rejected', crDecided('cr-1'), {
      actor: { userId: 'u-ghost-does-not-exist', role: 'admin' },
    });
    // 5: a rejection by a manager of another store.
    d.record('change_request.rejected', crDecided('cr-1'), {
      actor: { userId: 'u-mgr-other', role: 'manager' },
    });
    // 6: a revoked user.
    d.record('fleet.version.recorded', versionPayload(2), {
      actor: { userId: 'u-tech-gone', role: 'technician' },
    });
    // 7: a version recorded for a terminal of another store.
    d.record('fleet.version.recorded', versionPayload(3, 'T-2'));
    // 8: an approval by a manager who does not exist.
    d.record('change_request.approved', crDecided('cr-1'), {
      actor: { userId: 'u-mgr-nobody', role: 'manager' },
    });
    d.record('session.signed_in', { userId: 'u-tech' }); // 9: good
    const res = await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 9) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ack = pushResponse.parse(res.body);
    expect(ack.ackSeq).toBe(9);
    const expected = [
      { seq: 3, reason: 'actor_role_mismatch' },
      { seq: 4, reason: 'actor_unknown' },
      { seq: 5, reason: 'actor_store_denied' },
      { seq: 6, reason: 'actor_revoked' },
      { seq: 7, reason: 'terminal_store_denied' },
      { seq: 8, reason: 'actor_unknown' },
    ];
    expect(ack.quarantined).toEqual(expected);
    expect(await reasonsStored(d.deviceId)).toEqual(
      Array.from({ length: 9 }, (_, i) => [
        i + 1,
        expected.find((q) => q.seq === i + 1)?.reason ?? null,
      ]),
    );

    // The same batch again (a lost answer): acknowledged again, reasons listed again, nothing added.
    const again = pushResponse.parse(
      (await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 9) })).body,
    );
    expect(again).toMatchObject({ ackSeq: 9, appended: null, duplicates: 9 });
    expect(again.quarantined).toEqual(expected);

    // A later good event from the same device flows and is not quarantined.
    d.record('change_request.approved', crDecided('cr-1'), {
      actor: { userId: 'u-mgr', role: 'manager' },
    });
    const later = pushResponse.parse(
      (await t.call('POST', '/v1/events', { token, body: d.pushBody(10, 10) })).body,
    );
    expect(later).toMatchObject({ ackSeq: 10, duplicates: 0, quarantined: [] });
    expect((await reasonsStored(d.deviceId)).at(-1)).toEqual([10, null]);
  });

  it('judges each event against the catalog in force when it is appended', async () => {
    const { d, token } = await enrolled();
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id: 'u-later', name: 'Later', role: 'technician', pin: '123456', storeIds: ['S-1'] },
    });
    const later: AuditActor = { userId: 'u-later', role: 'technician' };
    d.record('fleet.version.recorded', versionPayload(1), { actor: later });
    await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 1) });
    // Revoked after seq 1 was appended: seq 1 stays counted, seq 2 is quarantined.
    await t.call('POST', '/v1/admin/users/revoke', {
      token: t.adminToken,
      body: { userId: 'u-later' },
    });
    d.record('fleet.version.recorded', versionPayload(2), { actor: later });
    const second = pushResponse.parse(
      (await t.call('POST', '/v1/events', { token, body: d.pushBody(2, 2) })).body,
    );
    expect(second.quarantined).toEqual([{ seq: 2, reason: 'actor_revoked' }]);
    // Moved to another store: from now on a manager of S-1 only.
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id: 'u-later', name: 'Later', role: 'manager', pin: '123456', storeIds: ['S-1'] },
    });
    d.record('fleet.version.recorded', versionPayload(3), { actor: later });
    d.record('fleet.version.recorded', versionPayload(4), {
      actor: { userId: 'u-later', role: 'manager' },
    });
    const third = pushResponse.parse(
      (await t.call('POST', '/v1/events', { token, body: d.pushBody(3, 4) })).body,
    );
    expect(third.quarantined).toEqual([{ seq: 3, reason: 'actor_role_mismatch' }]);
    expect(await reasonsStored(d.deviceId)).toEqual([
      [1, null],
      [2, 'actor_revoked'],
      [3, 'actor_role_mismatch'],
      [4, null],
    ]);
  });

  it('lists quarantined events for admins, paged by log index, with counts per reason', async () => {
    const all = await t.call('GET', '/v1/admin/quarantine?limit=500', { token: t.adminToken });
    expect(all.status).toBe(200);
    const total = all.body.counts.total as number;
    expect(total).toBe(all.body.entries.length);
    expect(total).toBeGreaterThanOrEqual(8);
    expect(all.body.counts.byReason).toMatchObject({ actor_unknown: 2, actor_revoked: 2 });
    const first = all.body.entries[0];
    expect(first).toMatchObject({
      type: 'change_request.approved',
      actor: { userId: 'u-tech', role: 'admin' },
      reason: 'actor_role_mismatch',
      storeId: 'S-1',
    });
    expect(first.explanation).toMatch(/does not hold the role/);
    // Keyset pages of 3 give the same entries in the same order.
    const paged: unknown[] = [];
    let after: number | null = null;
    for (;;) {
      const page = await t.call(
        'GET',
        `/v1/admin/quarantine?limit=3${after === null ? '' : `&after=${after}`}`,
        { token: t.adminToken },
      );
      expect(page.status).toBe(200);
      paged.push(...(page.body.entries as unknown[]));
      after = page.body.next;
      if (after === null) break;
    }
    expect(paged).toEqual(all.body.entries);
    // Another store's list is empty; bad paging is 400 with a code.
    const other = await t.call('GET', '/v1/admin/quarantine?storeId=S-2', { token: t.adminToken });
    expect(other.body).toMatchObject({ entries: [], next: null, counts: { total: 0 } });
    for (const bad of ['limit=0', 'limit=9999', 'after=-1', 'after=x', 'nope=1']) {
      const res = await t.call('GET', `/v1/admin/quarantine?${bad}`, { token: t.adminToken });
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe('invalid_input');
    }
    // A device may not list it.
    const { token } = await enrolled();
    expect((await t.call('GET', '/v1/admin/quarantine', { token })).status).toBe(403);
    // Counted for Prometheus too, once per event (the retried batch above added nothing).
    const metrics = await t.call('GET', '/metrics', { token: t.adminToken });
    expect(metrics.status).toBe(200);
    expect(metrics.body as string).toMatch(
      /^dearpos_quarantined_events_total\{reason="actor_unknown"\} 2$/m,
    );
    expect(metrics.body as string).toMatch(
      /^dearpos_quarantined_events_total\{reason="actor_revoked"\} 2$/m,
    );
  });

  it('keeps one catalog version per change: a re-import that changes nothing adds none', async () => {
    const versions = async () =>
      (
        await t.server.store.db
          .selectFrom('actor_catalog')
          .select(['entity_id', 'from_index'])
          .where('entity', '=', 'terminal')
          .execute()
      ).length;
    const before = await versions();
    expect(before).toBe(TEST_FLEET.terminals.length);
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    expect(await versions()).toBe(before);
    // T-2 moves to S-1: one new version, and from now on S-1 events may name it.
    const moved = { ...TEST_FLEET.terminals[1]!, storeId: 'S-1' };
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: { terminals: [moved] } });
    expect(await versions()).toBe(before + 1);
    const { d, token } = await enrolled();
    d.record('fleet.version.recorded', versionPayload(1, 'T-2'));
    const ack = pushResponse.parse(
      (await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 1) })).body,
    );
    expect(ack.quarantined).toEqual([]);
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  });

  it('revoking an unknown user is 404 with a code and changes nothing', async () => {
    const res = await t.call('POST', '/v1/admin/users/revoke', {
      token: t.adminToken,
      body: { userId: 'u-nobody' },
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('keeps the first of 20 conflicting pushes of one seq and counts them', async () => {
    const { d, token } = await enrolled();
    d.record('fleet.version.recorded', versionPayload(1));
    await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 1) });
    const offered: string[] = [];
    for (let i = 0; i < 20; i++) {
      const evil = createSimDevice('S-1', { deviceId: d.deviceId, actor: TECH });
      evil.record('fleet.version.recorded', versionPayload(100 + i));
      const body = evil.pushBody(1, 1);
      body.checkpoint.signature = sign(
        null,
        Buffer.from(checkpointText(d.deviceId, 1, body.checkpoint.head)),
        d.privateKey,
      ).toString('base64');
      offered.push(body.events[0]!.hash);
      const res = await t.call('POST', '/v1/events', { token, body });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('equivocation');
    }
    const rows = await t.server.store.db
      .selectFrom('equivocations')
      .selectAll()
      .where('device_id', '=', d.deviceId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.offer_count)).toBe(20);
    expect(rows[0]!.offered_hash).toBe(offered[0]);
    expect(rows[0]!.stored_hash).toBe(d.events[0]!.hash);
  });

  if (dialect === 'sqlite') {
    it('the admin command line lists the quarantine and revokes users', async () => {
      const out: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out.push(String(chunk));
        return true;
      });
      try {
        expect(await runAdmin(['list-quarantine', '--data', t.dataDir, '--limit', '2'])).toBe(0);
        expect(
          await runAdmin([
            'revoke-user',
            '--data',
            t.dataDir,
            '--id',
            'u-mgr-other',
            '--as',
            'test-admin',
          ]),
        ).toBe(0);
      } finally {
        spy.mockRestore();
      }
      const text = out.join('');
      expect(text).toMatch(/^\d+ quarantined event\(s\) \(.*actor_unknown 2/);
      expect(text).toMatch(/change_request\.approved\tu-tech as admin\tactor_role_mismatch/);
      expect(text).toMatch(/more: --after \d+/);
      expect(text).toMatch(/user u-mgr-other revoked/);
    });
  }
});
