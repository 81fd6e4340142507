/**
 * The release desk's extras as a store console sees them, against a real
 * central server on 127.0.0.1: a release's JUnit results reach the console
 * with the catalog pull and a go / no-go decision binds the summary it saw
 * (a later import makes it no longer matching); a checklist the desk assigns
 * reaches the store's console as due, and a finished run of it completes it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentView } from '../../shared/checklists/assignments.ts';
import type { DecisionView, DecisionReport } from '../../shared/decisions/types.ts';
import type { TestResultsSummary } from '../../shared/releases/testResults.ts';
import { expectOk, MANAGER, type TestApp } from '../app/testSupport.ts';
import { PNG_1X1_RED } from '../checklists/testing.ts';
import { startFleet, syncNow, type Fleet } from '../crossDevice/testing.ts';

const LYON = 'st-lyo-01';
const RELEASE = 'rel-5.0.0';
const REPORT = `<testsuites><testsuite name="checkout">
  <testcase name="card"/><testcase name="cash"><failure message="drawer stuck"/></testcase>
</testsuite></testsuites>`;

let fleet: Fleet;
let app: TestApp;
beforeAll(async () => {
  fleet = await startFleet();
  app = await fleet.console('lyon', LYON);
  expectOk(await app.dispatch('session:signIn', MANAGER));
}, 60_000);
afterAll(() => fleet.close());

/** A fresh Ed25519 public key as the enrollment expects it: base64 of the raw 32 bytes. */
function rawPublicKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
}

async function admin(path: string, body: unknown, token = fleet.server.adminToken) {
  const res = await fetch(`${fleet.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('release extras on a store console', () => {
  it('test results arrive with the catalog and a decision binds the summary it saw', async () => {
    expect(expectOk(await app.dispatch('releases:testResults', { releaseId: RELEASE }))).toBeNull();
    const imported = await admin(`/v1/admin/releases/${RELEASE}/test-results`, { xml: REPORT });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    await syncNow(app);
    const summary = expectOk(
      await app.dispatch('releases:testResults', { releaseId: RELEASE }),
    ) as TestResultsSummary;
    expect(summary).toMatchObject({ total: 2, failed: 1, skipped: 0 });

    const decision = expectOk(
      await app.dispatch('decisions:record', {
        releaseId: RELEASE,
        storeId: LYON,
        decision: 'no-go',
        reason: 'Cash drawer test fails in CI',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    ) as DecisionView;
    const bound = {
      sha256: summary.sha256,
      total: 2,
      failed: 1,
      skipped: 0,
      importedAt: summary.importedAt,
    };
    expect(decision.testResults).toEqual(bound);
    expect(decision.binding.matches).toBe(true);
    const report = expectOk(
      await app.dispatch('reports:decisionReport', { decisionId: decision.id }),
    ) as DecisionReport;
    expect(report.decision.testResults).toEqual(bound);
    // The decision event with its bound test results is accepted by the central server.
    const status = await syncNow(app);
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null });
    expect(status.quarantinedEvents ?? 0).toBe(0);

    // A new report imported after signing: the decision did not see it.
    await admin(`/v1/admin/releases/${RELEASE}/test-results`, {
      xml: '<testsuite name="checkout"><testcase name="card"/></testsuite>',
    });
    await syncNow(app);
    const later = expectOk(
      await app.dispatch('decisions:get', { decisionId: decision.id }),
    ) as DecisionView;
    expect(later.binding.matches).toBe(false);
    expect(later.binding.changes.map((c) => c.kind)).toEqual(['test_results_changed']);
    expect(later.testResults).toEqual(bound);
  });

  it('a checklist assigned by the release desk is listed as due, then overdue after its date', async () => {
    const code = await admin('/v1/admin/desk-enrollment-codes', { scope: 'all', role: 'release' });
    expect(code.status, JSON.stringify(code.body)).toBe(200);
    const enrolled = await fetch(`${fleet.server.url}/v1/desk/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: code.body['code'],
        deskId: 'desk-release',
        publicKey: rawPublicKey(),
      }),
    });
    const desk = (await enrolled.json()) as { deskToken: string };
    expect(enrolled.status, JSON.stringify(desk)).toBe(200);
    const deskToken = desk.deskToken;
    const user = await admin('/v1/admin/users', {
      id: 'u-rita',
      name: 'Rita Release',
      role: 'admin',
      pin: '24682468',
      storeIds: [LYON],
    });
    expect(user.status, JSON.stringify(user.body)).toBe(200);
    const dueAt = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, '.000Z');
    const assigned = await admin(
      '/v1/desk/checklist-assignments',
      { templateId: 'tpl-uat-pos', releaseId: RELEASE, storeIds: [LYON], dueAt, actedBy: 'u-rita' },
      deskToken,
    );
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    await syncNow(app);
    app.clock.set(new Date().toISOString());
    let list = expectOk(await app.dispatch('checklists:assignments', {})) as AssignmentView[];
    expect(list).toEqual([
      expect.objectContaining({
        storeId: LYON,
        templateId: 'tpl-uat-pos',
        templateName: expect.any(String),
        dueAt,
        status: 'due',
        assignedBy: { userId: 'u-rita', deskId: 'desk-release' },
      }),
    ]);
    app.clock.set(new Date(Date.parse(dueAt) + 60_000).toISOString());
    list = expectOk(await app.dispatch('checklists:assignments', {})) as AssignmentView[];
    expect(list.map((a) => a.status)).toEqual(['overdue']);
  });
});
