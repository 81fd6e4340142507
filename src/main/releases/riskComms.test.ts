/**
 * Release communication on a store console against a real central server
 * (the demo catalog: release 4.2.0 carries two open risks, one closed, and
 * notes for stores). At go / no-go the manager must acknowledge every open
 * risk, and the signed decision (and its report) names them; what's new is
 * shown once per person after a terminal moves to the release, its read is
 * an audit event the server counts per store, and the read state replays
 * from the journal.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionReport, DecisionView, VerdictView } from '../../shared/decisions/types.ts';
import type { WhatsNewItem } from '../../shared/releases/storeNotes.ts';
import { expectOk, journalCount, MANAGER, TECH, type TestApp } from '../app/testSupport.ts';
import { PNG_1X1_RED } from '../checklists/testing.ts';
import { startFleet, syncNow, type Fleet } from '../crossDevice/testing.ts';
import { rebuildReadMarks } from './whatsNew.ts';

const MADRID = 'st-mad-01';
const RELEASE = 'rel-4.2.0';
const OPEN = ['risk-4.2.0-eod', 'risk-4.2.0-printer'];

let fleet: Fleet;
let app: TestApp;
beforeAll(async () => {
  fleet = await startFleet();
  app = await fleet.console('madrid', MADRID);
}, 60_000);
afterAll(() => fleet?.close());

async function signInAs(user: { userId: string; pin: string }): Promise<void> {
  await app.dispatch('session:signOut', {});
  expectOk(await app.dispatch('session:signIn', user));
}

const noGo = (acknowledgedRiskIds?: string[]) =>
  app.dispatch('decisions:record', {
    releaseId: RELEASE,
    storeId: MADRID,
    decision: 'no-go',
    reason: 'The end-of-day close has not been tried here yet',
    ...(acknowledgedRiskIds ? { acknowledgedRiskIds } : {}),
    pin: MANAGER.pin,
    signaturePngBase64: PNG_1X1_RED,
  });

describe('the risk register at go / no-go', () => {
  it('lists the open risks worst first and judges the risk criterion with the ones ticked', async () => {
    await signInAs(MANAGER);
    const view = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: MADRID }),
    ) as VerdictView;
    expect(view.openRisks.map((r) => r.id)).toEqual(OPEN);
    expect(view.criteria.find((c) => c.id === 'risks_acknowledged')).toMatchObject({
      isMet: false,
      reasonWords: { code: 'risks_not_acknowledged', params: { missing: 2, count: 2 } },
    });
    expect(view.signing.problems.map((p) => p.code)).toContain('risks_not_acknowledged');
    const ticked = expectOk(
      await app.dispatch('decisions:verdict', {
        releaseId: RELEASE,
        storeId: MADRID,
        // A closed risk's id counts for nothing.
        acknowledgedRiskIds: [...OPEN, 'risk-4.2.0-tax'],
      }),
    ) as VerdictView;
    expect(ticked.acknowledgedRiskIds).toEqual(OPEN);
    expect(ticked.criteria.find((c) => c.id === 'risks_acknowledged')?.isMet).toBe(true);
    expect(ticked.signing.problems.map((p) => p.code)).not.toContain('risks_not_acknowledged');
  });

  it('refuses a decision that does not acknowledge every open risk, and records nothing', async () => {
    await signInAs(MANAGER);
    const before = journalCount(app);
    for (const acknowledged of [undefined, [OPEN[0]!]]) {
      const refused = await noGo(acknowledged);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('conflict');
        expect(refused.error.details).toEqual({ problems: ['risks_not_acknowledged'] });
      }
    }
    expect(journalCount(app)).toBe(before);
  });

  it('a signed decision names the open risks it acknowledged, in its record, and the server accepts it', async () => {
    await signInAs(MANAGER);
    const decision = expectOk(await noGo(OPEN)) as DecisionView;
    expect(decision.risks).toEqual({
      open: [
        expect.objectContaining({ id: OPEN[0], likelihood: 'medium', impact: 'high' }),
        expect.objectContaining({ id: OPEN[1], owner: 'Store hardware desk' }),
      ],
      acknowledged: OPEN,
    });
    expect(decision.binding.matches).toBe(true);
    const report = expectOk(
      await app.dispatch('reports:decisionReport', { decisionId: decision.id }),
    ) as DecisionReport;
    expect(report.decision.risks?.acknowledged).toEqual(OPEN);
    const status = await syncNow(app);
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null });
    expect(status.quarantinedEvents ?? 0).toBe(0);
  });
});

describe("what's new for store staff", () => {
  const whatsNew = async () =>
    expectOk(await app.dispatch('releases:whatsNew', {})) as WhatsNewItem[];

  it('is shown once per person after a terminal moves to the release, and replays from the journal', async () => {
    await signInAs(TECH);
    // The catalog's baseline is no move: terminals already on 4.2.0 show nothing.
    expect(await whatsNew()).toEqual([]);
    expectOk(
      await app.dispatch('fleet:recordVersion', {
        terminalId: `${MADRID}-t1`,
        version: '4.2.0',
        source: 'typed',
      }),
    );
    const items = await whatsNew();
    expect(items).toEqual([
      expect.objectContaining({ releaseId: RELEASE, version: '4.2.0', storeId: MADRID }),
    ]);
    expect(items[0]!.markdown).toContain('Closing the day is faster');

    const before = journalCount(app);
    expect(
      expectOk(await app.dispatch('releases:markStoreNotesRead', { releaseId: RELEASE })),
    ).toEqual([]);
    // Reading again records nothing more.
    expectOk(await app.dispatch('releases:markStoreNotesRead', { releaseId: RELEASE }));
    expect(journalCount(app)).toBe(before + 1);
    expect(await whatsNew()).toEqual([]);
    const unknown = await app.dispatch('releases:markStoreNotesRead', { releaseId: 'rel-4.4.0' });
    expect(unknown.ok ? null : unknown.error.code).toBe('not_found');

    // Another person still sees it.
    await signInAs(MANAGER);
    expect((await whatsNew()).map((i) => i.releaseId)).toEqual([RELEASE]);

    // The read state is a projection of the journal: emptied and replayed, it comes back.
    app.db.sqlite.exec('DELETE FROM store_notes_reads');
    expect(rebuildReadMarks(app.db).replayed).toBeGreaterThanOrEqual(1);
    await signInAs(TECH);
    expect(await whatsNew()).toEqual([]);
  });

  it('the read reaches the central server, whose desk counts it for the store', async () => {
    const status = await syncNow(app);
    expect(status).toMatchObject({ pendingEvents: 0, lastError: null });
    expect(status.quarantinedEvents ?? 0).toBe(0);
    const code = await fetch(`${fleet.server.url}/v1/admin/desk-enrollment-codes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fleet.server.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ scope: 'all', role: 'release' }),
    }).then((r) => r.json() as Promise<{ code: string }>);
    const { publicKey } = generateKeyPairSync('ed25519');
    const enrolled = await fetch(`${fleet.server.url}/v1/desk/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: code.code,
        deskId: 'desk-comms',
        publicKey: publicKey
          .export({ format: 'der', type: 'spki' })
          .subarray(-32)
          .toString('base64'),
      }),
    }).then((r) => r.json() as Promise<{ deskToken: string }>);
    const reads = await fetch(`${fleet.server.url}/v1/desk/releases/${RELEASE}/store-notes-reads`, {
      headers: { authorization: `Bearer ${enrolled.deskToken}` },
    }).then((r) => r.json() as Promise<{ stores: unknown[] }>);
    expect(reads.stores).toEqual([{ storeId: MADRID, readers: 1 }]);
  });
});
