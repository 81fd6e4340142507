/**
 * On the server: the read models are maintained in the push
 * transaction, a rebuild from the log gives exactly the same rows, and
 * SQLite and PostgreSQL give the same canonical dump for the same events.
 * Real servers on 127.0.0.1, real databases, pushes over HTTP.
 */
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectionDump } from '../../shared/projection/dump.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { checklistTemplateBody } from '../testing/publishBodies.ts';
import { dumpReadModels } from './dump.ts';
import { rebuildReadModels } from './rebuild.ts';

const SHA = 'a'.repeat(64);

function release(i: number) {
  return {
    id: `rel-1.${i}.0`,
    version: `1.${i}.0`,
    type: 'minor',
    ring: 'pilot',
    status: 'rolling_out',
    plannedAt: null,
    actualAt: null,
    title: `Release 1.${i}`,
    notesMarkdown: '',
  };
}

type Scenario = {
  a: SimDevice;
  b: SimDevice;
  c: SimDevice;
  batches: Array<[SimDevice, number, number]>;
};

/** Three devices, two stores: versions, a checklist run answered twice and waived, evidence, a bug report, a decision on a request nobody made. */
function scenario(): Scenario {
  const at = (m: number) => ({ at: new Date(Date.parse('2026-03-10T09:00:00Z') + m * 60_000) });
  const a = createSimDevice('S-1');
  const b = createSimDevice('S-1', { actor: { userId: 'manager-1', role: 'manager' } });
  const c = createSimDevice('S-2');
  const version = (i: number, terminalId: string, releaseIndex = i % 3) => ({
    terminalId,
    version: `1.${releaseIndex}.0`,
    releaseId: `rel-1.${releaseIndex}.0`,
    previousVersion: null,
    source: 'typed',
  });
  for (let i = 0; i < 5; i++) a.record('fleet.version.recorded', version(i, 'T-1'), at(i));
  // A version that is not the catalog's version of the release named: never applicable.
  a.record('fleet.version.recorded', { ...version(9, 'T-1'), version: '9.9.9' }, at(6));
  a.record(
    'checklist.run.started',
    {
      runId: 'run-1',
      releaseId: 'rel-1.1.0',
      terminalIds: ['T-1'],
      template: checklistTemplateBody(),
    },
    at(10),
  );
  const result = (value: 'pass' | 'fail') => ({
    runId: 'run-1',
    terminalId: 'T-1',
    itemId: 'boot',
    answer: { type: 'passFail', value },
    outcome: value,
    note: null,
    evidence: value === 'fail' ? [SHA] : [],
  });
  a.record(
    'checklist.evidence.attached',
    { runId: 'run-1', sha256: SHA, mimeType: 'image/png', byteLength: 10, fileName: 'boot.png' },
    at(11),
  );
  a.record('checklist.result.recorded', result('fail'), at(12));
  a.record('checklist.run.paused', { runId: 'run-1' }, at(13));
  b.record(
    'checklist.item.waived',
    { runId: 'run-1', terminalId: 'T-1', itemId: 'boot', reason: 'Known slow boot' },
    at(14),
  );
  // Approving a change request the log never saw requested: superseded, changes nothing.
  b.record('change_request.approved', { changeRequestId: 'cr-none', note: 'ok' }, at(15));
  a.record('checklist.run.resumed', { runId: 'run-1' }, at(16));
  a.record('checklist.result.recorded', result('pass'), at(17));
  a.record(
    'feedback.bug_report.drafted',
    {
      bugReportId: 'bug-1',
      runId: 'run-1',
      terminalId: 'T-1',
      itemId: 'boot',
      releaseId: 'rel-1.1.0',
      severity: 'minor',
      title: 'Slow boot',
      description: 'Took 3 minutes',
      answerText: 'fail',
      evidence: [SHA],
    },
    at(18),
  );
  for (let i = 0; i < 4; i++) c.record('fleet.version.recorded', version(i, 'T-2'), at(i));
  return {
    a,
    b,
    c,
    batches: [
      [a, 1, 6],
      [c, 1, 2],
      [a, 7, 10],
      [b, 1, 2],
      [a, 11, 13],
      [c, 3, 4],
    ],
  };
}

async function runScenario(t: TestServer, s: Scenario): Promise<void> {
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  for (let i = 0; i < 3; i++)
    expect(
      (await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(i) }))
        .status,
    ).toBe(200);
  // The actors the devices sign as exist in the catalog (unknown actors are quarantined).
  for (const user of [
    { id: 'tech-1', name: 'Tess Tech', role: 'technician', pin: '135790', storeIds: [] },
    { id: 'manager-1', name: 'Maya Manager', role: 'manager', pin: '246801', storeIds: [] },
  ])
    expect(
      (await t.call('POST', '/v1/admin/users', { token: t.adminToken, body: user })).status,
    ).toBe(200);
  const tokens = new Map<SimDevice, string>();
  for (const d of [s.a, s.b, s.c]) tokens.set(d, await enrollSim(t, d, d.storeId));
  for (const [d, from, to] of s.batches) {
    const res = await t.call('POST', '/v1/events', {
      token: tokens.get(d)!,
      body: d.pushBody(from, to),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

describe('server read models', () => {
  let pg: TestPostgres;
  const s = scenario();
  const dumps = new Map<string, ProjectionDump>();
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(() => pg.stop());

  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`on ${dialect}: maintained on push, and a rebuild from the log gives the same rows`, async () => {
      const t = await startTestServer(
        dialect === 'postgres' ? { databaseUrl: await pg.createDatabase() } : {},
      );
      try {
        await runScenario(t, s);
        const db = t.server.store.db;
        const incremental = await dumpReadModels(db);
        expect(incremental.terminal_current.find((r) => r['terminal_id'] === 'T-1')).toMatchObject({
          release_id: 'rel-1.1.0',
          version: '1.1.0',
          since: '2026-03-10T09:04:00.000Z',
        });
        expect(incremental.terminal_versions).toHaveLength(9);
        expect(incremental.checklist_results.map((r) => [r['outcome'], r['is_current']])).toEqual(
          expect.arrayContaining([
            ['fail', 0],
            ['pass', 1],
          ]),
        );
        // The second answer replaced the waiver of the first.
        expect(incremental.checklist_waivers).toEqual([]);
        expect(incremental.checklist_runs[0]).toMatchObject({
          is_paused: 0,
          updated_at: '2026-03-10T09:17:00.000Z',
        });
        expect(incremental.evidence_files).toHaveLength(1);
        expect(incremental.bug_reports).toHaveLength(1);
        const superseded = await db.selectFrom('rm_superseded').selectAll().execute();
        expect(superseded.map((r) => [r.type, r.reason, r.device_id])).toEqual([
          ['change_request.approved', 'change_request_unknown', s.b.deviceId],
        ]);
        const syncs = await db
          .selectFrom('rm_device_syncs')
          .selectAll()
          .orderBy('device_id')
          .execute();
        expect(syncs.map((r) => r.device_id).sort()).toEqual(
          [s.a.deviceId, s.b.deviceId, s.c.deviceId].sort(),
        );

        const rebuilt = await rebuildReadModels(db, dialect);
        // The devices' 19 events and the server's entries of the central actions that set them up.
        const central = await db
          .selectFrom('log_entries')
          .select('idx')
          .where('device_id', '=', SERVER_DEVICE_ID)
          .execute();
        expect(rebuilt).toMatchObject({ entries: 19 + central.length, superseded: 1 });
        expect(await dumpReadModels(db)).toEqual(incremental);
        expect(
          await db.selectFrom('rm_device_syncs').selectAll().orderBy('device_id').execute(),
        ).toEqual(syncs);
        expect(await db.selectFrom('rm_superseded').selectAll().execute()).toEqual(superseded);
        dumps.set(dialect, incremental);
      } finally {
        await t.close();
      }
    });
  }

  it('SQLite and PostgreSQL give the same canonical dump for the same events', () => {
    expect(dumps.get('postgres')).toEqual(dumps.get('sqlite'));
    expect(dumps.get('sqlite')!.checklist_results.length).toBeGreaterThan(0);
  });

  it('a quarantined entry (unknown actor) changes no read model, live or rebuilt', async () => {
    const t = await startTestServer();
    try {
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
      await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(1) });
      const ghost = createSimDevice('S-1', { actor: { userId: 'u-ghost', role: 'technician' } });
      ghost.record('fleet.version.recorded', {
        terminalId: 'T-1',
        version: '1.1.0',
        releaseId: 'rel-1.1.0',
        previousVersion: null,
        source: 'typed',
      });
      const token = await enrollSim(t, ghost, 'S-1');
      const res = await t.call('POST', '/v1/events', { token, body: ghost.pushBody(1, 1) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const db = t.server.store.db;
      const quarantined = await db
        .selectFrom('log_entries')
        .select('quarantine_reason')
        .where('device_id', '!=', SERVER_DEVICE_ID)
        .execute();
      expect(quarantined.map((r) => r.quarantine_reason)).toEqual(['actor_unknown']);
      const live = await dumpReadModels(db);
      expect(live.terminal_versions).toEqual([]);
      expect(
        live.terminal_current.find((r) => r['terminal_id'] === 'T-1')!['release_id'],
      ).toBeNull();
      await rebuildReadModels(db, 'sqlite');
      expect(await dumpReadModels(db)).toEqual(live);
    } finally {
      await t.close();
    }
  });

  it('a release published after the fleet gives its version to the terminals that run it', async () => {
    const t = await startTestServer();
    try {
      const fleet = {
        stores: TEST_FLEET.stores,
        terminals: TEST_FLEET.terminals.map((x) => ({
          ...x,
          installed: { releaseId: 'rel-1.2.0', since: '2026-01-01T00:00:00Z' },
        })),
      };
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: fleet });
      const before = await sql<{
        version: string | null;
      }>`SELECT version FROM rm_terminals`.execute(t.server.store.db);
      expect(before.rows.map((r) => r.version)).toEqual([null, null]);
      await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(2) });
      const after = await dumpReadModels(t.server.store.db);
      expect(after.terminal_current.map((r) => [r['terminal_id'], r['version']])).toEqual([
        ['T-1', '1.2.0'],
        ['T-2', '1.2.0'],
      ]);
      await rebuildReadModels(t.server.store.db, 'sqlite');
      expect(await dumpReadModels(t.server.store.db)).toEqual(after);
    } finally {
      await t.close();
    }
  });
});
