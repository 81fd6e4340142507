/**
 * Compliance rules and the compliance report against a real server on
 * 127.0.0.1 (SQLite; the push's re-check on both dialects is in
 * logEvidence.test.ts): a rule naming an unknown template or
 * release is refused and stores nothing; a published rule reaches store
 * consoles in the catalog; a go without the region's checks is quarantined
 * `compliance_missing` in that region only; the report lists each store's
 * checks (a missing one as missing), and each proof verifies against the
 * report's signed tree head with the shared verifier.
 */
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { treeHeadText } from '../../shared/audit/event.ts';
import { verifyInclusionHex } from '../../shared/audit/merkle.ts';
import { complianceReport } from '../../shared/compliance/protocol.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import {
  createTestUsers,
  enrollSim,
  pullAllChanges,
  startTestServer,
  TEST_FLEET,
  TEST_USERS,
  type TestServer,
} from '../testing/harness.ts';
import { TEST_ADMIN } from '../testing/admin.ts';
import { checklistTemplateBody } from '../testing/publishBodies.ts';
import { noGoPayload } from '../webhooks/testing.ts';

const RELEASE = 'rel-1.0.0';
const MANAGER = { userId: 'u-mgr', role: 'manager' } as const;
const TECH = { userId: 'tech-1', role: 'technician' } as const;
const EVIDENCE = 'e'.repeat(64);

const FISCAL_RULE = {
  id: 'rule-north-fiscal',
  name: 'Fiscal printer certification',
  region: 'North',
  releaseIds: [RELEASE],
  checks: [{ kind: 'checklist', templateId: 'tpl-fiscal', terminalCount: 1 }],
};

function fiscalTemplate() {
  const template = checklistTemplateBody('tpl-fiscal');
  return { ...template, name: 'Fiscal printer certification checklist' };
}

/** A go decision as a console signs it: with the compliance criterion met or not (or absent: an older console). */
function goPayload(decisionId: string, criterion: 'met' | 'unmet' | 'absent') {
  const base = noGoPayload(decisionId, RELEASE);
  const criteria =
    criterion === 'absent'
      ? []
      : [
          {
            id: 'compliance:rule-north-fiscal',
            kind: 'compliance_checks',
            isMet: criterion === 'met',
            reason: 'Fiscal printer certification',
          },
        ];
  return { ...base, decision: 'go', verdict: 'go', criteria };
}

async function publishBasics(t: TestServer): Promise<void> {
  await t.call('POST', '/v1/admin/fleet', {
    token: t.adminToken,
    body: {
      ...TEST_FLEET,
      stores: [
        ...TEST_FLEET.stores,
        {
          id: 'S-3',
          name: 'Store Three',
          region: 'North',
          ring: 'pilot',
          timezone: 'Europe/Paris',
        },
      ],
    },
  });
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
  const template = await t.call('POST', '/v1/admin/checklist-templates', {
    token: t.adminToken,
    body: fiscalTemplate(),
  });
  expect(template.status, JSON.stringify(template.body)).toBe(200);
}

async function push(
  t: TestServer,
  d: { device: SimDevice; token: string },
  records: Array<{
    type: string;
    payload: Record<string, unknown>;
    actor: typeof MANAGER | typeof TECH;
  }>,
) {
  const from = d.device.events.length + 1;
  for (const r of records) d.device.record(r.type, r.payload, { actor: r.actor });
  const res = await t.call('POST', '/v1/events', {
    token: d.token,
    body: d.device.pushBody(from, d.device.events.length),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.quarantined as Array<{ seq: number; reason: string }>;
}

/** Everything a refused rule could have touched: the catalog and the central log. */
async function catalogChanges(t: TestServer): Promise<string> {
  const rows = await t.server.store.db
    .selectFrom('catalog_changes')
    .select(['cursor', 'entity', 'entity_id', 'value'])
    .orderBy('cursor')
    .execute();
  const head = await t.call('GET', '/v1/log/tree-head');
  return JSON.stringify([rows, head.body]);
}

describe('compliance on SQLite', () => {
  let t: TestServer;
  let s1: { device: SimDevice; token: string };
  let s2: { device: SimDevice; token: string };

  beforeAll(async () => {
    t = await startTestServer();
    await publishBasics(t);
    const d1 = createSimDevice('S-1');
    s1 = { device: d1, token: await enrollSim(t, d1, 'S-1') };
    const d2 = createSimDevice('S-2');
    s2 = { device: d2, token: await enrollSim(t, d2, 'S-2') };
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a rule naming an unknown template or release, or a sign-off on two terminals, storing nothing', async () => {
    const before = await catalogChanges(t);
    const unknownTemplate = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: {
        ...FISCAL_RULE,
        checks: [{ kind: 'checklist', templateId: 'tpl-nowhere', terminalCount: 1 }],
      },
    });
    expect(unknownTemplate.status).toBe(400);
    expect(unknownTemplate.body.code).toBe('invalid_input');
    expect(unknownTemplate.body.message).toContain('checks.0.templateId');
    expect(unknownTemplate.body.message).toContain('tpl-nowhere');
    const unknownRelease = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: { ...FISCAL_RULE, releaseIds: ['rel-9.9.9'] },
    });
    expect(unknownRelease.status).toBe(400);
    expect(unknownRelease.body.message).toContain('rel-9.9.9');
    const twoTerminalSignOff = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: {
        ...FISCAL_RULE,
        checks: [{ kind: 'sign-off', templateId: 'tpl-fiscal', terminalCount: 2 }],
      },
    });
    expect(twoTerminalSignOff.status).toBe(400);
    expect(twoTerminalSignOff.body.message).toContain('checks.0.terminalCount');
    expect(await catalogChanges(t)).toBe(before);
  });

  it('publishes a rule as a central action naming its administrator, which a store console pulls with the catalog', async () => {
    const res = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: FISCAL_RULE,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const last = await t.server.store.db
      .selectFrom('log_entries')
      .select(['type', 'body'])
      .orderBy('idx', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last.type).toBe('admin.complianceRule.set');
    expect((JSON.parse(last.body) as { payload: unknown }).payload).toMatchObject({
      ruleId: FISCAL_RULE.id,
      region: 'North',
      actedBy: { adminId: TEST_ADMIN.id, role: 'admin', via: 'token' },
    });
    const changes = await pullAllChanges(t, s1.token);
    expect(changes).toContainEqual({ entity: 'complianceRule', op: 'upsert', value: FISCAL_RULE });
  });

  it("quarantines a go lacking the rule's check in its region only, and accepts a no-go or a go that met it", async () => {
    // A console signed go with a catalog from before the rule: no compliance criterion.
    const stale = await push(t, s1, [
      { type: 'decision.recorded', payload: goPayload('d-stale', 'absent'), actor: MANAGER },
    ]);
    expect(stale).toEqual([{ seq: s1.device.events.length, reason: 'compliance_missing' }]);
    const unmet = await push(t, s1, [
      { type: 'decision.recorded', payload: goPayload('d-unmet', 'unmet'), actor: MANAGER },
    ]);
    expect(unmet).toEqual([{ seq: s1.device.events.length, reason: 'compliance_missing' }]);
    // South has no rule: the same go counts there.
    expect(
      await push(t, s2, [
        { type: 'decision.recorded', payload: goPayload('d-south', 'absent'), actor: MANAGER },
      ]),
    ).toEqual([]);
    // A no-go needs no compliance check.
    const noGo = await push(t, s1, [
      { type: 'decision.recorded', payload: noGoPayload('d-no-go', RELEASE), actor: MANAGER },
    ]);
    expect(noGo).toEqual([]);
    const quarantined = await t.server.store.db
      .selectFrom('log_entries')
      .select(['seq', 'quarantine_reason'])
      .where('quarantine_reason', 'is not', null)
      .execute();
    expect(quarantined.map((q) => q.quarantine_reason)).toEqual([
      'compliance_missing',
      'compliance_missing',
    ]);
    // Quarantined decisions are out of the read models.
    const decisions = await t.server.store.db
      .selectFrom('rm_decisions')
      .select('id')
      .orderBy('id')
      .execute();
    expect(decisions.map((d) => d.id)).toEqual(['d-no-go', 'd-south']);

    // The store's audit bundle carries the marks, and the public verifier accepts them as given.
    const bundle = await t.call('GET', '/v1/audit/bundle?storeId=S-1', { token: t.adminToken });
    expect(bundle.status).toBe(200);
    const result = verifyBundle((bundle.body as string).trimEnd().split('\n'));
    expect(result).toMatchObject({ ok: true, quarantined: 2 });
  });

  it('reports each North store and check, a missing one as missing, with proofs that verify against the signed tree head', async () => {
    const terminalIds = ['T-1'];
    const runId = 'run-fiscal-1';
    // The check passes at S-1 with evidence, and the go that met it counts, all in one push.
    const pushed = await push(t, s1, [
      {
        type: 'checklist.run.started',
        payload: { runId, releaseId: RELEASE, terminalIds, template: fiscalTemplate() },
        actor: TECH,
      },
      {
        type: 'checklist.result.recorded',
        payload: {
          runId,
          terminalId: 'T-1',
          itemId: 'boot',
          answer: { type: 'passFail', value: 'pass' },
          outcome: 'pass',
          note: null,
          evidence: [EVIDENCE],
        },
        actor: TECH,
      },
      { type: 'decision.recorded', payload: goPayload('d-go', 'met'), actor: MANAGER },
    ]);
    expect(pushed).toEqual([]);

    const res = await t.call(
      'GET',
      `/v1/audit/compliance-report?releaseId=${RELEASE}&region=North`,
      { token: t.adminToken },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = complianceReport.parse(res.body);
    expect(report.releaseVersion).toBe('1.0.0');
    expect(report.rules.map((r) => r.id)).toEqual(['rule-north-fiscal']);
    expect(report.stores.map((s) => s.storeId)).toEqual(['S-1', 'S-3']);
    const [one, three] = report.stores;
    expect(one!.isCompliant).toBe(true);
    expect(one!.checks[0]).toMatchObject({
      templateName: 'Fiscal printer certification checklist',
      result: 'passed',
      passedTerminals: 1,
      signer: { userId: 'tech-1', name: 'Test technician', role: 'technician' },
      evidence: [EVIDENCE],
    });
    expect(one!.decision).toMatchObject({ decision: 'go', signer: { name: 'Maya Manager' } });
    expect(three!.isCompliant).toBe(false);
    expect(three!.checks[0]).toMatchObject({
      result: 'missing',
      passedTerminals: 0,
      signer: null,
      proof: null,
    });

    // Each proof, and the tree head's signature, verify with the shared verifier and the log's key.
    const { treeHead, signature } = report.treeHead;
    const key = await t.call('GET', '/v1/log/key');
    const publicKey = createPublicKey({
      key: Buffer.concat([
        Buffer.from('302a300506032b6570032100', 'hex'),
        Buffer.from(key.body.publicKey as string, 'base64'),
      ]),
      format: 'der',
      type: 'spki',
    });
    expect(
      verify(
        null,
        Buffer.from(treeHeadText(treeHead)),
        publicKey,
        Buffer.from(signature, 'base64'),
      ),
    ).toBe(true);
    const proofs = [one!.checks[0]!.proof!, one!.decision!.proof];
    for (const p of proofs) {
      expect(p.proof.size).toBe(treeHead.size);
      expect(verifyInclusionHex(p.proof, treeHead.root)).toBe(true);
      // The leaf is the event's own hash, as the log hashed it.
      expect(verifyInclusionHex({ ...p.proof, leafHash: 'f'.repeat(64) }, treeHead.root)).toBe(
        false,
      );
    }
    const resultEvent = s1.device.events.find((e) => e.type === 'checklist.result.recorded')!;
    expect(one!.checks[0]!.proof!.eventHash).toBe(resultEvent.hash);
    expect(one!.checks[0]!.proof!.eventId).toBe(resultEvent.id);
  });

  it('serves the report as CSV with formula cells neutralised, and keeps a desk to its region', async () => {
    const renamed = await t.call('POST', '/v1/admin/compliance-rules', {
      token: t.adminToken,
      body: { ...FISCAL_RULE, name: '=HYPERLINK("http://x")' },
    });
    expect(renamed.status).toBe(200);
    const csv = await t.call(
      'GET',
      `/v1/audit/compliance-report.csv?releaseId=${RELEASE}&region=North`,
      { token: t.adminToken },
    );
    expect(csv.status).toBe(200);
    const text = csv.body as string;
    expect(text).toContain('Store,Store id,Country,Rule,Check');
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).toContain('Store Three,S-3');
    expect(text).toContain('missing');

    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:South', role: 'auditor' },
    });
    const enrolled = await t.call('POST', '/v1/desk/enroll', {
      body: {
        code: code.body.code,
        deskId: 'desk-south',
        publicKey: createSimDevice('x').publicKey,
      },
    });
    const deskToken = enrolled.body.deskToken as string;
    const denied = await t.call(
      'GET',
      `/v1/desk/compliance-report?releaseId=${RELEASE}&region=North`,
      { token: deskToken },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('scope_denied');
    const own = await t.call(
      'GET',
      `/v1/desk/compliance-report?releaseId=${RELEASE}&region=South`,
      { token: deskToken },
    );
    expect(own.status).toBe(200);
    expect(own.body.rules).toEqual([]);
  });
});
