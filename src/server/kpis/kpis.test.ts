/**
 * KPIs from the maintained aggregates, on SQLite and PostgreSQL: a known
 * sequence of events at two stores (a canary deployment rolled back, a
 * completed one, a no-go and a go, checklist results with a retry, a
 * blocker bug) pushed through the real API, and every KPI checked against
 * values computed by hand (in the comments). The same report after a
 * rebuild from the log; the desk's scope and bad filters refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../shared/audit/event.ts';
import type { DeploymentAction, DeploymentPlan } from '../../shared/deployments/stateMachine.ts';
import type { KpiId, KpiReport } from '../../shared/kpis/definitions.ts';
import type { ReleaseHealth } from '../../shared/kpis/health.ts';
import { rebuildReadModels } from '../readModels/rebuild.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  TEST_USERS,
  createTestUsers,
  enrollSim,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { checklistTemplateBody } from '../testing/publishBodies.ts';
import { canaryPlan, eventOfAction, noGoPayload, plannedEvent } from '../webhooks/testing.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const TECH: AuditActor = { userId: 'tech-1', role: 'technician' };
const MANAGER: AuditActor = { userId: 'u-mgr', role: 'manager' };
/** The release is published at 08:00 UTC on 10 March 2026 (the server's clock). */
const PUBLISHED = Date.UTC(2026, 2, 10, 8, 0);
const at = (h: number, m = 0) => Date.UTC(2026, 2, 10, h, m);

let pg: TestPostgres | undefined;
afterAll(() => pg?.stop());

type Rec = { type: string; payload: Record<string, unknown>; actor?: AuditActor; at: number };

async function pushAll(t: TestServer, device: SimDevice, token: string, records: Rec[]) {
  for (const r of records)
    device.record(r.type, r.payload, { actor: r.actor ?? TECH, at: new Date(r.at) });
  const res = await t.call('POST', '/v1/events', {
    token,
    body: device.pushBody(1, device.events.length),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.quarantined).toEqual([]);
}

function deploymentEvents(
  plan: DeploymentPlan,
  plannedAt: number,
  actions: Array<[number, Record<string, unknown>, AuditActor?]>,
): Rec[] {
  const planned = plannedEvent(plan);
  return [
    { type: planned.type, payload: planned.payload, at: plannedAt },
    ...actions.map(([when, body, actor = TECH]) => ({
      ...eventOfAction(plan.deploymentId, { ...body, at: when, actor } as DeploymentAction),
      actor,
      at: when,
    })),
  ];
}

const START = {
  window: { basis: 'open' },
  ring: { basis: 'in_ring' },
} as const;

function template() {
  const t = checklistTemplateBody('tpl-uat');
  t.sections[0]!.items.push({
    id: 'print',
    title: 'Receipt prints',
    instructions: '',
    isMandatory: true,
    answer: { type: 'passFail' },
  });
  return t;
}

const result = (itemId: string, outcome: 'pass' | 'fail', when: number): Rec => ({
  type: 'checklist.result.recorded',
  payload: {
    runId: 'run-1',
    terminalId: 'T-1',
    itemId,
    answer: { type: 'passFail', value: outcome },
    outcome,
    note: null,
    evidence: [],
  },
  at: when,
});

/** Seeds both stores; returns the S-2 console's device token. */
async function seed(t: TestServer): Promise<string> {
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  await createTestUsers(t, [
    ...TEST_USERS,
    { id: 'u-mgr', name: 'Maya', role: 'manager', pin: '123456', storeIds: [] },
  ]);
  for (const version of ['4.2.1', '4.4.0']) {
    const published = await t.call('POST', '/v1/admin/releases', {
      token: t.adminToken,
      body: {
        id: `rel-${version}`,
        version,
        type: 'minor',
        ring: 'pilot',
        status: 'rolling_out',
        plannedAt: null,
        actualAt: null,
        title: `Release ${version}`,
        notesMarkdown: '',
      },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  }

  // S-1 (North, pilot): a canary rolled back, a no-go, a checklist with one retried item, a blocker bug.
  const d1 = createSimDevice('S-1');
  const tok1 = await enrollSim(t, d1, 'S-1');
  await pushAll(t, d1, tok1, [
    ...deploymentEvents(canaryPlan('dep-a', 'S-1', 'rel-4.4.0', 'T-1'), at(10), [
      [at(10, 10), { type: 'start', strategy: 'canary_first', canaryTerminalId: 'T-1', ...START }],
      [at(10, 35), { type: 'claim_intervention' }, MANAGER],
      [at(10, 40), { type: 'proceed_intervention', notes: 'Lane closed' }, MANAGER],
      [at(10, 50), { type: 'complete_step' }],
      [at(11, 0), { type: 'record_version', terminalId: 'T-1', version: '4.4.0' }],
      [at(11, 10), { type: 'complete_step' }],
      [at(11, 20), { type: 'record_smoke_result', runId: 'smoke-1', isPassed: false }],
      [at(11, 30), { type: 'roll_back', reason: 'Card payments fail' }],
      [at(11, 40), { type: 'complete_step' }],
      [at(11, 50), { type: 'record_version', terminalId: 'T-1', version: '4.2.1' }],
      [at(12, 0), { type: 'complete_step' }],
    ]),
    {
      type: 'decision.recorded',
      payload: noGoPayload('d-1', 'rel-4.4.0'),
      actor: MANAGER,
      at: at(12, 30),
    },
    {
      type: 'checklist.run.started',
      payload: {
        runId: 'run-1',
        releaseId: 'rel-4.4.0',
        terminalIds: ['T-1'],
        template: template(),
      },
      at: at(12, 50),
    },
    result('boot', 'pass', at(13, 0)),
    result('print', 'fail', at(13, 5)),
    result('print', 'pass', at(13, 10)),
    {
      type: 'feedback.bug_report.drafted',
      payload: {
        bugReportId: 'bug-1',
        runId: 'run-1',
        terminalId: 'T-1',
        itemId: 'print',
        releaseId: 'rel-4.4.0',
        severity: 'blocker',
        title: 'Receipt printer stalls',
        description: '',
        answerText: 'fail',
        evidence: [],
      },
      at: at(13, 15),
    },
  ]);

  // S-2 (South, general): all at once, completed; a go.
  const d2 = createSimDevice('S-2');
  const tok2 = await enrollSim(t, d2, 'S-2');
  const plan: DeploymentPlan = {
    ...canaryPlan('dep-b', 'S-2', 'rel-4.4.0', 'T-2'),
    runbook: {
      id: 'rb-b',
      strategies: ['all_at_once'],
      steps: [
        { kind: 'instruction', id: 'install', title: 'Install', instructions: '', mandatory: true },
        {
          kind: 'version_capture',
          id: 'capture',
          title: 'Record',
          instructions: '',
          mandatory: true,
        },
      ],
      rollbackSteps: [
        { kind: 'instruction', id: 'rb', title: 'Reinstall', instructions: '', mandatory: true },
      ],
    },
  };
  await pushAll(t, d2, tok2, [
    ...deploymentEvents(plan, at(9, 50), [
      [at(10, 0), { type: 'start', strategy: 'all_at_once', canaryTerminalId: null, ...START }],
      [at(10, 10), { type: 'complete_step' }],
      [at(10, 20), { type: 'record_version', terminalId: 'T-2', version: '4.4.0' }],
      [at(10, 30), { type: 'complete_step' }],
    ]),
    {
      type: 'decision.recorded',
      payload: { ...noGoPayload('d-2', 'rel-4.4.0'), decision: 'go', verdict: 'go' },
      actor: MANAGER,
      at: at(11),
    },
  ]);
  return tok2;
}

async function enrollDesk(t: TestServer, scope: string): Promise<string> {
  const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
    token: t.adminToken,
    body: { scope, role: 'release' },
  });
  expect(code.status, JSON.stringify(code.body)).toBe(200);
  const d = createSimDevice('S-1');
  const res = await t.call('POST', '/v1/desk/enroll', {
    body: {
      code: code.body.code,
      deskId: `desk-${scope.replace(':', '-')}`,
      publicKey: d.publicKey,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.deskToken as string;
}

function values(report: KpiReport): Record<KpiId, number | null> {
  return Object.fromEntries(report.kpis.map((k) => [k.id, k.value])) as Record<
    KpiId,
    number | null
  >;
}

describe.each(['sqlite', 'postgres'] as const)('KPIs on %s', (dialect) => {
  let t: TestServer;
  let all: string;
  let north: string;
  let storeConsole: string;
  const get = async (token: string, query: string) =>
    t.call('GET', `/v1/desk/kpis?${query}`, { token });

  beforeAll(async () => {
    if (dialect === 'postgres') pg ??= await startTestPostgres();
    t = await startTestServer({
      now: () => new Date(PUBLISHED),
      webhookDelivery: false,
      ...(dialect === 'postgres' ? { databaseUrl: await pg!.createDatabase() } : {}),
    });
    storeConsole = await seed(t);
    all = await enrollDesk(t, 'all');
    north = await enrollDesk(t, 'region:North');
  });
  afterAll(() => t.close());

  it('computes every KPI of the release over both stores as worked out by hand', async () => {
    const res = await get(all, 'release=rel-4.4.0&from=2026-03-10&to=2026-03-10');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(values(res.body as KpiReport)).toEqual({
      // dep-b completed, one day.
      deployment_frequency: 1,
      // T-1 at 11:00 (3 h after publish) and T-2 at 10:20 (2 h 20 min): mean 2 h 40 min.
      lead_time: (3 * HOUR + 2 * HOUR + 20 * MIN) / 2,
      // (1 rolled back + 0 aborted + 1 no-go) ÷ (2 finished + 1 go + 1 no-go).
      change_failure_rate: 0.5,
      // Rollback started 11:30, rolled back 12:00.
      time_to_restore: 30 * MIN,
      // dep-a paused 10:10 → proceeded 10:40 (30 min), dep-b none: 30 min ÷ 2 deployments.
      intervention_wait: 15 * MIN,
      // boot pass, print fail, print pass: 2 of 3.
      checklist_pass_rate: 0.6667,
      // boot passed first time, print did not: 1 of 2.
      first_time_pass_rate: 0.5,
      // 1 bug ÷ the (store, release) pairs with a terminal on 4.4.0 now: S-2 only (T-1 went back to 4.2.1).
      bugs_per_store_release: 1,
    });
  });

  it('filters by ring, store and period', async () => {
    const general = (await get(all, 'ring=general&from=2026-03-10&to=2026-03-10'))
      .body as KpiReport;
    expect(values(general)).toMatchObject({
      deployment_frequency: 1,
      lead_time: 2 * HOUR + 20 * MIN,
      change_failure_rate: 0, // 0 ÷ (1 finished + 1 go)
      time_to_restore: null,
      intervention_wait: 0,
      checklist_pass_rate: null,
    });
    const s1 = (await get(all, 'store=S-1&from=2026-03-09&to=2026-03-10')).body as KpiReport;
    expect(values(s1)).toMatchObject({
      deployment_frequency: 0, // nothing completed at S-1, over 2 days
      change_failure_rate: 1, // (1 rolled back + 1 no-go) ÷ (1 finished + 1 no-go)
      time_to_restore: 30 * MIN,
      bugs_per_store_release: 1, // 1 bug ÷ 1 pair (S-1, 4.2.1): without a release filter every pair counts
    });
    const later = (await get(all, 'from=2026-03-11&to=2026-03-12')).body as KpiReport;
    expect(later.kpis.every((k) => k.value === null || k.value === 0)).toBe(true);
  });

  it('exports the same report as CSV', async () => {
    const res = await t.call(
      'GET',
      '/v1/desk/kpis/csv?release=rel-4.4.0&from=2026-03-10&to=2026-03-10',
      { token: all },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = String(res.body).trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'kpi,label,unit,value,numerator,denominator,release,ring,region,store,from,to',
    );
    expect(lines).toHaveLength(9);
    expect(lines).toContain(
      'change_failure_rate,Change failure rate,ratio,0.5,2,4,rel-4.4.0,,,,2026-03-10,2026-03-10',
    );
  });

  it('checks the desk scope on every call and names a bad filter', async () => {
    for (const q of ['store=S-2', 'region=South', 'store=S-404']) {
      const res = await get(north, q);
      expect(res.status, q).toBe(403);
      expect(res.body.code).toBe('scope_denied');
    }
    const own = (await get(north, 'from=2026-03-10&to=2026-03-10')).body as KpiReport;
    expect(values(own).time_to_restore).toBe(30 * MIN); // North is S-1 only
    const unknown = await get(all, 'colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/colour/);
    const backwards = await get(all, 'from=2026-03-10&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/at to: the period ends before it starts/);
    const ring = await get(all, 'ring=moon');
    expect(ring.status).toBe(400);
    expect(ring.body.message).toMatch(/at ring/);
    const device = await t.call('GET', '/v1/desk/kpis', { token: t.adminToken });
    expect(device.status).toBe(403);
  });

  it("serves a release's health: rollout, KPIs beside the previous release, open bugs, the verdict and its rule", async () => {
    const res = await t.call('GET', '/v1/desk/releases/rel-4.4.0/health', { token: all });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const h = res.body as ReleaseHealth;
    expect(h.rollout).toEqual({
      storesInScope: 2,
      storesOnRelease: 1, // S-2; S-1 rolled back to 4.2.1
      terminalsInScope: 2,
      terminalsOnRelease: 1,
      share: 0.5,
    });
    expect(h.period).toEqual({ from: '2026-03-10', to: '2026-03-10' });
    expect(h.previous).toMatchObject({ releaseId: 'rel-4.2.1', version: '4.2.1' });
    expect(h.openBugs).toEqual({ blocker: 1, major: 0, minor: 0 });
    expect(h.verdict).toMatchObject({ verdict: 'act', rule: 'open_blocker_bug' });
    expect(Object.fromEntries(h.kpis.map((k) => [k.id, k.value]))).toMatchObject({
      change_failure_rate: 0.5,
      time_to_restore: 30 * MIN,
    });
    // The region desk sees its own stores only: S-1, one store, its terminal back on 4.2.1.
    const northView = (await t.call('GET', '/v1/desk/releases/rel-4.4.0/health', { token: north }))
      .body as ReleaseHealth;
    expect(northView.rollout).toMatchObject({ storesInScope: 1, storesOnRelease: 0 });
    // The release nothing went wrong with is healthy.
    const older = (await t.call('GET', '/v1/desk/releases/rel-4.2.1/health', { token: all }))
      .body as ReleaseHealth;
    expect(older.verdict).toMatchObject({ verdict: 'healthy', rule: 'no_warning_signal' });
    expect(older.previous).toBeNull();
    const missing = await t.call('GET', '/v1/desk/releases/rel-9/health', { token: all });
    expect(missing.status).toBe(404);
  });

  it('tells a store console the chain-wide verdict of a release', async () => {
    const res = await t.call('GET', '/v1/releases/rel-4.4.0/verdict', { token: storeConsole });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      releaseId: 'rel-4.4.0',
      version: '4.4.0',
      verdict: { verdict: 'act', rule: 'open_blocker_bug' },
    });
    expect(res.body.verdict.explanation).toMatch(/blocker bug/);
    const desk = await t.call('GET', '/v1/releases/rel-4.4.0/verdict', { token: all });
    expect(desk.status).toBe(403);
  });

  it("counts open bugs as the go / no-go rule does: the desk's severity wins, closed reports leave", async () => {
    const db = t.server.store.db;
    const before = await db
      .selectFrom('rm_bug_reports')
      .select(['id', 'status', 'severity_set'])
      .where('release_id', '=', 'rel-4.4.0')
      .execute();
    expect(before).toHaveLength(1);
    const openBugs = async () =>
      (
        (await t.call('GET', '/v1/desk/releases/rel-4.4.0/health', { token: all }))
          .body as ReleaseHealth
      ).openBugs;
    try {
      await db
        .updateTable('rm_bug_reports')
        .set({ status: 'triaged', severity_set: 'S3' })
        .execute();
      expect(await openBugs()).toEqual({ blocker: 0, major: 1, minor: 0 });
      await db.updateTable('rm_bug_reports').set({ severity_set: 'S1' }).execute();
      expect(await openBugs()).toEqual({ blocker: 1, major: 0, minor: 0 });
      await db.updateTable('rm_bug_reports').set({ status: 'fixed' }).execute();
      expect(await openBugs()).toEqual({ blocker: 0, major: 0, minor: 0 });
    } finally {
      for (const row of before)
        await db
          .updateTable('rm_bug_reports')
          .set({ status: row.status, severity_set: row.severity_set })
          .where('id', '=', row.id)
          .execute();
    }
  });

  it('a rebuild from the log gives the same aggregates', async () => {
    const before = (await get(all, 'from=2026-03-10&to=2026-03-10')).body as KpiReport;
    await rebuildReadModels(t.server.store.db, dialect);
    const after = (await get(all, 'from=2026-03-10&to=2026-03-10')).body as KpiReport;
    expect(after.kpis).toEqual(before.kpis);
  });
});
