/**
 * The server re-derives each go decision's compliance from the central log,
 * against real servers on 127.0.0.1 (SQLite, PostgreSQL, and SQLite without
 * read models): a console that forges `isMet: true` without the required
 * checklist having passed is quarantined `compliance_missing`; the checklist
 * passed earlier in the log or earlier in the same push counts; a result the
 * actor rule quarantines is no evidence. Rules name a region or a country
 * (ISO 3166-1 alpha-2); stores carry a country from the fleet import (JSON
 * and CSV), and the report is asked per region or per country.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceReport } from '../../shared/compliance/protocol.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import {
  createTestUsers,
  enrollSim,
  startTestServer,
  TEST_FLEET,
  TEST_USERS,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { checklistTemplateBody } from '../testing/publishBodies.ts';
import { noGoPayload } from '../webhooks/testing.ts';

const RELEASE = 'rel-1.0.0';
const MANAGER = { userId: 'u-mgr', role: 'manager' } as const;
const TECH = { userId: 'tech-1', role: 'technician' } as const;
const GHOST = { userId: 'u-ghost', role: 'technician' } as const;
type Actor = typeof MANAGER | typeof TECH | typeof GHOST;

const NORTH_RULE = {
  id: 'rule-north-fiscal',
  name: 'Fiscal printer certification',
  region: 'North',
  releaseIds: [RELEASE],
  checks: [{ kind: 'checklist', templateId: 'tpl-fiscal', terminalCount: 1 }],
};
const FRANCE_RULE = {
  id: 'rule-fr-nf525',
  name: 'NF525 certification',
  country: 'FR',
  releaseIds: [],
  checks: [{ kind: 'sign-off', templateId: 'tpl-nf525', terminalCount: 1 }],
};

const STORES = [
  ...TEST_FLEET.stores,
  {
    id: 'S-FR',
    name: 'Lille',
    region: 'Europe',
    ring: 'pilot',
    timezone: 'Europe/Paris',
    country: 'FR',
  },
  {
    id: 'S-DE',
    name: 'Köln',
    region: 'Europe',
    ring: 'pilot',
    timezone: 'Europe/Berlin',
    country: 'DE',
  },
];
const TERMINALS = [
  ...TEST_FLEET.terminals,
  {
    id: 'T-FR',
    storeId: 'S-FR',
    name: 'Till 1',
    model: 'X1',
    serial: 'SNFR',
    installed: null,
    lastSeen: null,
  },
  {
    id: 'T-DE',
    storeId: 'S-DE',
    name: 'Till 1',
    model: 'X1',
    serial: 'SNDE',
    installed: null,
    lastSeen: null,
  },
];

function template(id: string) {
  return { ...checklistTemplateBody(id), name: `${id} checklist` };
}

/** A go as a console signs it, every compliance criterion claimed met (the forger's claim too). */
function goPayload(decisionId: string, ruleIds: string[] = [NORTH_RULE.id]) {
  return {
    ...noGoPayload(decisionId, RELEASE),
    decision: 'go',
    verdict: 'go',
    criteria: ruleIds.map((id) => ({
      id: `compliance:${id}`,
      kind: 'compliance_checks',
      isMet: true,
      reason: 'every required check passed',
    })),
  };
}

function runStarted(runId: string, templateId: string, terminalId: string) {
  return {
    type: 'checklist.run.started',
    payload: {
      runId,
      releaseId: RELEASE,
      terminalIds: [terminalId],
      template: template(templateId),
    },
    actor: TECH as Actor,
  };
}

function answered(
  runId: string,
  terminalId: string,
  outcome: 'pass' | 'fail',
  actor: Actor = TECH,
) {
  return {
    type: 'checklist.result.recorded',
    payload: {
      runId,
      terminalId,
      itemId: 'boot',
      answer: { type: 'passFail', value: outcome },
      outcome,
      note: null,
      evidence: [],
    },
    actor,
  };
}

function go(decisionId: string, ruleIds?: string[]) {
  return {
    type: 'decision.recorded',
    payload: goPayload(decisionId, ruleIds),
    actor: MANAGER as Actor,
  };
}

type Device = { device: SimDevice; token: string };

async function push(
  t: TestServer,
  d: Device,
  records: Array<{ type: string; payload: Record<string, unknown>; actor: Actor }>,
): Promise<Array<{ seq: number; reason: string }>> {
  const from = d.device.events.length + 1;
  for (const r of records) d.device.record(r.type, r.payload, { actor: r.actor });
  const res = await t.call('POST', '/v1/events', {
    token: d.token,
    body: d.device.pushBody(from, d.device.events.length),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.quarantined as Array<{ seq: number; reason: string }>;
}

/** The seqs of `d`'s last `n` events, oldest first. */
function lastSeqs(d: Device, n: number): number[] {
  const len = d.device.events.length;
  return Array.from({ length: n }, (_, i) => len - n + 1 + i);
}

async function setUp(t: TestServer): Promise<void> {
  const fleet = await t.call('POST', '/v1/admin/fleet', {
    token: t.adminToken,
    body: { stores: STORES, terminals: TERMINALS },
  });
  expect(fleet.status, JSON.stringify(fleet.body)).toBe(200);
  await createTestUsers(t, [
    ...TEST_USERS,
    { id: 'u-mgr', name: 'Maya Manager', role: 'manager', pin: '123456', storeIds: [] },
  ]);
  const release = await t.call('POST', '/v1/admin/releases', {
    token: t.adminToken,
    body: {
      id: RELEASE,
      version: '1.0.0',
      type: 'minor',
      ring: 'pilot',
      status: 'rolling_out',
      plannedAt: null,
      actualAt: null,
      title: 'Release 1.0.0',
      notesMarkdown: '',
    },
  });
  expect(release.status, JSON.stringify(release.body)).toBe(200);
  for (const id of ['tpl-fiscal', 'tpl-nf525']) {
    const res = await t.call('POST', '/v1/admin/checklist-templates', {
      token: t.adminToken,
      body: template(id),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  for (const rule of [NORTH_RULE, FRANCE_RULE]) {
    const res = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: rule,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

async function device(t: TestServer, storeId: string): Promise<Device> {
  const d = createSimDevice(storeId);
  return { device: d, token: await enrollSim(t, d, storeId) };
}

/** The re-derivation cases every storage runs: forged, same batch, earlier batch, actor-quarantined evidence. */
function rederivationCases(server: () => TestServer) {
  it('quarantines a go that claims the check met while the log holds no passing run of it', async () => {
    const t = server();
    const s1 = await device(t, 'S-1');
    expect(await push(t, s1, [go('d-forged')])).toEqual([{ seq: 1, reason: 'compliance_missing' }]);
    // A run that failed is no better than none.
    const failed = await push(t, s1, [
      runStarted('run-failed', 'tpl-fiscal', 'T-1'),
      answered('run-failed', 'T-1', 'fail'),
      go('d-forged-2'),
    ]);
    expect(failed).toEqual([{ seq: lastSeqs(s1, 1)[0], reason: 'compliance_missing' }]);
    // A passing run of another template does not stand in for the required one.
    const other = await push(t, s1, [
      runStarted('run-other', 'tpl-nf525', 'T-1'),
      answered('run-other', 'T-1', 'pass'),
      go('d-forged-3'),
    ]);
    expect(other).toEqual([{ seq: lastSeqs(s1, 1)[0], reason: 'compliance_missing' }]);
    // Nor does a run of a home-made template under the required id: its one mandatory item made optional.
    const homeMade = template('tpl-fiscal');
    homeMade.sections[0]!.items[0]!.isMandatory = false;
    const forgedTemplate = await push(t, s1, [
      {
        ...runStarted('run-home-made', 'tpl-fiscal', 'T-1'),
        payload: {
          runId: 'run-home-made',
          releaseId: RELEASE,
          terminalIds: ['T-1'],
          template: homeMade,
        },
      },
      answered('run-home-made', 'T-1', 'fail'),
      go('d-forged-4'),
    ]);
    expect(forgedTemplate).toEqual([{ seq: lastSeqs(s1, 1)[0], reason: 'compliance_missing' }]);
  });

  it('accepts a go backed by a passing run earlier in the same push', async () => {
    const t = server();
    const s1 = await device(t, 'S-1');
    const quarantined = await push(t, s1, [
      runStarted('run-same', 'tpl-fiscal', 'T-1'),
      answered('run-same', 'T-1', 'pass'),
      // The console's own criterion still counts: a go signed without it is refused.
      go('d-no-claim', []),
      go('d-same-batch'),
    ]);
    expect(quarantined).toEqual([{ seq: lastSeqs(s1, 2)[0], reason: 'compliance_missing' }]);
  });

  it('accepts a go backed by a passing run in an earlier push, and judges the current run only', async () => {
    const t = server();
    const s1 = await device(t, 'S-1');
    // A newer run of the template on T-1 is the current one: failed, it backs nothing.
    await push(t, s1, [
      runStarted('run-early', 'tpl-fiscal', 'T-1'),
      answered('run-early', 'T-1', 'fail'),
    ]);
    expect(await push(t, s1, [go('d-before-pass')])).toEqual([
      { seq: lastSeqs(s1, 1)[0], reason: 'compliance_missing' },
    ]);
    expect(await push(t, s1, [answered('run-early', 'T-1', 'pass')])).toEqual([]);
    expect(await push(t, s1, [go('d-earlier-batch')])).toEqual([]);
    // A later failing answer on the same run takes the pass back.
    expect(await push(t, s1, [answered('run-early', 'T-1', 'fail'), go('d-after-fail')])).toEqual([
      { seq: lastSeqs(s1, 1)[0], reason: 'compliance_missing' },
    ]);
  });

  it('does not count a result the actor rule quarantines in the same push', async () => {
    const t = server();
    const s1 = await device(t, 'S-1');
    const quarantined = await push(t, s1, [
      runStarted('run-ghost', 'tpl-fiscal', 'T-1'),
      answered('run-ghost', 'T-1', 'pass', GHOST),
      go('d-ghost'),
    ]);
    const [, result, decision] = lastSeqs(s1, 3);
    expect(quarantined).toEqual([
      { seq: result, reason: 'actor_unknown' },
      { seq: decision, reason: 'compliance_missing' },
    ]);
  });

  it("binds a country's stores by the country rule, and a store of another country not", async () => {
    const t = server();
    const fr = await device(t, 'S-FR');
    expect(await push(t, fr, [go('d-fr-forged', [FRANCE_RULE.id])])).toEqual([
      { seq: 1, reason: 'compliance_missing' },
    ]);
    expect(
      await push(t, fr, [
        runStarted('run-fr', 'tpl-nf525', 'T-FR'),
        answered('run-fr', 'T-FR', 'pass'),
        go('d-fr', [FRANCE_RULE.id]),
      ]),
    ).toEqual([]);
    const de = await device(t, 'S-DE');
    expect(await push(t, de, [go('d-de', [])])).toEqual([]);
  });
}

describe('compliance re-derived from the log, on SQLite', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await setUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  rederivationCases(() => t);

  it('refuses a store or a rule with an unknown country, or a rule naming both a region and a country, storing nothing', async () => {
    const before = await t.server.store.db.selectFrom('catalog_changes').select('cursor').execute();
    const uk = await t.call('POST', '/v1/admin/fleet', {
      token: t.adminToken,
      body: { stores: [{ ...STORES[2], id: 'S-UK', country: 'UK' }], terminals: [] },
    });
    expect(uk.status).toBe(400);
    expect(JSON.stringify(uk.body)).toContain('country');
    expect(JSON.stringify(uk.body)).toContain('UK is not an ISO 3166-1 alpha-2 country code');
    const badRule = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: { ...FRANCE_RULE, country: 'XX' },
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body.code).toBe('invalid_input');
    expect(badRule.body.message).toContain('country');
    const both = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: { ...FRANCE_RULE, region: 'Europe' },
    });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('at country');
    const neither = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: { ...NORTH_RULE, region: undefined },
    });
    expect(neither.status).toBe(400);
    expect(neither.body.message).toContain('at region');
    const after = await t.server.store.db.selectFrom('catalog_changes').select('cursor').execute();
    expect(after).toEqual(before);
  });

  it('imports a country from the fleet CSV, and leaves a store without one bound by region rules only', async () => {
    const csv = [
      'id,name,region,ring,timezone,country',
      'S-FR2,Lyon,Europe,pilot,Europe/Paris,FR',
      'S-X,Nowhere,Europe,pilot,Europe/Paris,',
    ].join('\n');
    const res = await t.call('POST', '/v1/admin/fleet/csv', {
      token: t.adminToken,
      body: { kind: 'stores', csv },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stores = await t.server.store.db
      .selectFrom('stores')
      .select('data')
      .where('id', 'in', ['S-FR2', 'S-X'])
      .orderBy('id')
      .execute();
    expect(stores.map((s) => JSON.parse(s.data) as unknown)).toEqual([
      {
        id: 'S-FR2',
        name: 'Lyon',
        region: 'Europe',
        ring: 'pilot',
        timezone: 'Europe/Paris',
        country: 'FR',
      },
      { id: 'S-X', name: 'Nowhere', region: 'Europe', ring: 'pilot', timezone: 'Europe/Paris' },
    ]);
    const bad = await t.call('POST', '/v1/admin/fleet/csv', {
      token: t.adminToken,
      body: {
        kind: 'stores',
        csv: 'id,name,region,ring,timezone,country\nS-Y,Y,Europe,pilot,Europe/Paris,fr\n',
      },
    });
    expect(bad.status).toBe(400);
  });

  it('reports per country: its stores, each bound by its region rules and its country rules', async () => {
    const byCountry = await t.call(
      'GET',
      `/v1/audit/compliance-report?releaseId=${RELEASE}&country=FR`,
      { token: t.adminToken },
    );
    expect(byCountry.status, JSON.stringify(byCountry.body)).toBe(200);
    const report = complianceReport.parse(byCountry.body);
    expect(report.country).toBe('FR');
    expect(report.region).toBeUndefined();
    expect(report.rules.map((r) => r.id)).toEqual([FRANCE_RULE.id]);
    expect(report.stores.map((s) => [s.storeId, s.country, s.isCompliant])).toEqual([
      ['S-FR', 'FR', true],
      ['S-FR2', 'FR', false],
    ]);
    const byRegion = complianceReport.parse(
      (
        await t.call('GET', `/v1/audit/compliance-report?releaseId=${RELEASE}&region=Europe`, {
          token: t.adminToken,
        })
      ).body,
    );
    // Köln and the store without a country are bound by no rule; the French stores by theirs.
    expect(byRegion.stores.map((s) => [s.storeId, s.checks.length])).toEqual([
      ['S-DE', 0],
      ['S-FR', 1],
      ['S-FR2', 1],
      ['S-X', 0],
    ]);
    const csv = await t.call(
      'GET',
      `/v1/audit/compliance-report.csv?releaseId=${RELEASE}&country=FR`,
      {
        token: t.adminToken,
      },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('compliance-1.0.0-FR.csv');
    expect(csv.body as string).toContain('Store,Store id,Country,Rule,Check');
    // A desk reads a country whose stores all lie in its region, and no other.
    for (const [region, status] of [
      ['Europe', 200],
      ['North', 403],
    ] as const) {
      const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
        token: t.adminToken,
        body: { scope: `region:${region}`, role: 'auditor' },
      });
      const enrolled = await t.call('POST', '/v1/desk/enroll', {
        body: {
          code: code.body.code,
          deskId: `desk-${region}`,
          publicKey: createSimDevice('x').publicKey,
        },
      });
      const res = await t.call(
        'GET',
        `/v1/desk/compliance-report?releaseId=${RELEASE}&country=FR`,
        {
          token: enrolled.body.deskToken as string,
        },
      );
      expect(res.status, region).toBe(status);
      if (status === 403) expect(res.body.code).toBe('scope_denied');
    }
    for (const query of ['region=Europe&country=FR', '', 'country=UK']) {
      const bad = await t.call('GET', `/v1/audit/compliance-report?releaseId=${RELEASE}&${query}`, {
        token: t.adminToken,
      });
      expect(bad.status, query).toBe(400);
    }
  });
});

describe('compliance re-derived from the log, on PostgreSQL', () => {
  let pg: TestPostgres;
  let t: TestServer;
  beforeAll(async () => {
    pg = await startTestPostgres();
    t = await startTestServer({ databaseUrl: await pg.createDatabase() });
    await setUp(t);
  });
  afterAll(async () => {
    await t.close();
    pg.stop();
  });

  rederivationCases(() => t);
});

describe('compliance re-derived from the log itself when a server keeps no read models', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ readModels: false });
    await setUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts a passing run from an earlier push and refuses a forged claim', async () => {
    const s1 = await device(t, 'S-1');
    expect(await push(t, s1, [go('d-nrm-forged')])).toEqual([
      { seq: 1, reason: 'compliance_missing' },
    ]);
    expect(
      await push(t, s1, [
        runStarted('run-nrm', 'tpl-fiscal', 'T-1'),
        answered('run-nrm', 'T-1', 'pass'),
      ]),
    ).toEqual([]);
    expect(await push(t, s1, [go('d-nrm')])).toEqual([]);
  });
});
