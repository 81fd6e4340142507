/**
 * The support desk across consoles and the central log: a store console's
 * blocker holds its go / no-go; a second console enrolled as a support desk
 * triages it as the signed-in support user (asks for information, then marks
 * it fixed in a release); each action reaches the store console through its
 * feed, verified against the central tree head, and the closed blocker lets
 * the store's go / no-go pass. A lowered severity frees it the same way.
 *
 * Feature requests across stores: Lyon files one; Paris's console fetches
 * the chain's open requests after its sync (GET /v1/feedback/requests) and
 * keeps them, so while someone in Paris types, the form suggests Lyon's
 * request from the cache, with the server down too. Paris votes instead of
 * filing a duplicate (once: a second vote records nothing) and sees it in
 * Our reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChecklistRunView } from '../../shared/checklists/types.ts';
import type { VerdictView } from '../../shared/decisions/types.ts';
import type { InboxPage, ReportDetail } from '../../shared/feedback/deskProtocol.ts';
import type {
  BugReport,
  OurFeatureRequest,
  RequestSuggestion,
} from '../../shared/feedback/types.ts';
import {
  expectOk,
  MANAGER,
  startTestApp,
  SUPPORT,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { answerTerminal } from '../checklists/testing.ts';
import { startFleet, syncNow, type Fleet } from './testing.ts';

const STORE = 'st-lyo-01';
const RELEASE = 'rel-4.2.1';

let fleet: Fleet;
let store: TestApp;
let desk: TestApp;

async function signIn(app: TestApp, who: { userId: string; pin: string }) {
  await app.dispatch('session:signOut', {});
  expectOk(await app.dispatch('session:signIn', who));
}

async function blocker(itemTerminal: string): Promise<BugReport> {
  await signIn(store, TECH);
  const run = expectOk(
    await store.dispatch('checklists:startRun', {
      templateId: 'tpl-smoke-pos',
      releaseId: RELEASE,
      terminalIds: [itemTerminal],
    }),
  ) as ChecklistRunView;
  await answerTerminal(store, run, itemTerminal, {
    eod: { answer: { type: 'passFail', value: 'fail' } },
  });
  const draft = expectOk(
    await store.dispatch('feedback:draftBugReport', {
      runId: run.run.id,
      terminalId: itemTerminal,
      itemId: 'eod',
      severity: 'blocker',
    }),
  ) as BugReport;
  expectOk(await store.dispatch('feedback:sendDraft', { reportId: draft.id }));
  return draft;
}

async function openBlocker(): Promise<boolean> {
  await signIn(store, MANAGER);
  const verdict = expectOk(
    await store.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: STORE }),
  ) as VerdictView;
  return !verdict.criteria.find((c) => c.id === 'no_open_blocker')!.isMet;
}

function storeRow(id: string) {
  return store.db.sqlite
    .prepare('SELECT status, severity_set, fixed_in FROM bug_reports WHERE id = ?')
    .get(id) as { status: string; severity_set: string | null; fixed_in: string | null };
}

beforeAll(async () => {
  fleet = await startFleet();
  store = await fleet.console('lyo', STORE);
  const code = await fetch(`${fleet.server.url}/v1/admin/desk-enrollment-codes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fleet.server.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ scope: 'all', role: 'support' }),
  });
  expect(code.status).toBe(200);
  desk = await startTestApp({ signInAs: SUPPORT });
  expectOk(
    await desk.dispatch('desk:connect', {
      serverUrl: fleet.server.url,
      enrollmentCode: ((await code.json()) as { code: string }).code,
    }),
  );
}, 90_000);
afterAll(async () => {
  await desk.dispose();
  await fleet.close();
});

describe('a blocker triaged at the support desk', () => {
  it('asks the store for information, then a fix in a release lets the go / no-go pass', async () => {
    const report = await blocker('st-lyo-01-t2');
    await syncNow(store);
    expect(await openBlocker()).toBe(true);

    const inbox = expectOk(
      await desk.dispatch('supportDesk:reports', { storeId: STORE }),
    ) as InboxPage;
    expect(inbox.rows.map((r) => r.id)).toContain(report.id);

    expectOk(
      await desk.dispatch('supportDesk:act', {
        action: {
          type: 'feedback.report.status_set',
          payload: { reportId: report.id, status: 'needs_info' },
        },
      }),
    );
    expectOk(
      await desk.dispatch('supportDesk:act', {
        action: {
          type: 'feedback.comment.added',
          payload: { targetId: report.id, visibility: 'store', text: 'Which printer model?' },
        },
      }),
    );
    await syncNow(store);
    expect(storeRow(report.id).status).toBe('needs_info');
    const comment = store.db.sqlite
      .prepare('SELECT author, text FROM feedback_comments WHERE target_id = ?')
      .get(report.id);
    expect(comment).toEqual({ author: SUPPORT.userId, text: 'Which printer model?' });
    // Needing information is still open: the blocker holds.
    expect(await openBlocker()).toBe(true);

    expectOk(
      await desk.dispatch('supportDesk:act', {
        action: {
          type: 'feedback.report.status_set',
          payload: { reportId: report.id, status: 'fixed', fixedIn: 'rel-4.2.1' },
        },
      }),
    );
    // Until the store console syncs, its own tables still hold the blocker.
    expect(await openBlocker()).toBe(true);
    await syncNow(store);
    expect(storeRow(report.id)).toMatchObject({ status: 'fixed', fixed_in: 'rel-4.2.1' });
    expect(await openBlocker()).toBe(false);

    // The store console verified and applied the desk's entries from its feed.
    const applied = store.db.sqlite
      .prepare(
        "SELECT type, outcome, actor_user_id FROM foreign_events WHERE device_id = 'server' ORDER BY log_index",
      )
      .all();
    expect(applied).toEqual([
      { type: 'feedback.report.status_set', outcome: 'applied', actor_user_id: 'server' },
      { type: 'feedback.comment.added', outcome: 'applied', actor_user_id: 'server' },
      { type: 'feedback.report.status_set', outcome: 'applied', actor_user_id: 'server' },
    ]);
    const detail = expectOk(
      await desk.dispatch('supportDesk:report', { id: report.id }),
    ) as ReportDetail;
    expect(detail.report).toMatchObject({ status: 'fixed', fixedIn: 'rel-4.2.1' });
  });

  it('a blocker lowered to S3 frees the go / no-go; the desk console refuses a user without the role', async () => {
    const report = await blocker('st-lyo-01-t3');
    await syncNow(store);
    expect(await openBlocker()).toBe(true);

    // A technician signed in at the desk console: refused by the console's own role check.
    await signIn(desk, TECH);
    const refused = await desk.dispatch('supportDesk:act', {
      action: { type: 'feedback.report.triaged', payload: { reportId: report.id, severity: 'S3' } },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await signIn(desk, SUPPORT);

    expectOk(
      await desk.dispatch('supportDesk:act', {
        action: {
          type: 'feedback.report.triaged',
          payload: { reportId: report.id, severity: 'S3' },
        },
      }),
    );
    await syncNow(store);
    expect(storeRow(report.id)).toMatchObject({ status: 'triaged', severity_set: 'S3' });
    expect(await openBlocker()).toBe(false);
  });
});

const suggest = async (app: TestApp, text: string) =>
  expectOk(await app.dispatch('feedback:suggestRequests', { text })) as RequestSuggestion[];
const journalSize = (app: TestApp) =>
  app.db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get() as number;

describe("another store's feature request", () => {
  // Last in this file: it stops the central server to show the suggestions work offline.
  it('is suggested from the cache while typing, offline too, and the store votes instead of filing a duplicate', async () => {
    await signIn(store, TECH);
    const paris = await fleet.console('paris', 'st-par-01');
    expectOk(await paris.dispatch('session:signIn', TECH));
    const filed = expectOk(
      await store.dispatch('feedback:fileFeatureRequest', {
        title: 'Split payment between card and cash',
        description: 'Our customers in Lyon ask for it at the till.',
        category: 'payments',
      }),
    ) as { id: string };
    await syncNow(store);
    // Before Paris's sync it does not know the request.
    expect(await suggest(paris, 'split pay')).toEqual([]);
    await syncNow(paris);
    const cached = paris.db.sqlite.prepare('SELECT * FROM chain_feature_requests').all();
    expect(cached).toEqual([
      expect.objectContaining({ id: filed.id, votes: 1, has_our_vote: 0, status: 'open' }),
    ]);
    // Lyon's words stay with Lyon: only the title, status and votes travel.
    expect(JSON.stringify(cached)).not.toContain('customers in Lyon');

    // Suggestions read the cache only: they work with the central server gone.
    await fleet.server.kill();
    expect(await suggest(paris, 'cash splitting')).toEqual([
      {
        id: filed.id,
        title: 'Split payment between card and cash',
        status: 'open',
        votes: 1,
        hasOurVote: false,
      },
    ]);
    expect(
      expectOk(await paris.dispatch('feedback:voteFeatureRequest', { requestId: filed.id })),
    ).toEqual({ id: filed.id, isNewVote: true });
    const afterVote = journalSize(paris);
    expect(
      expectOk(await paris.dispatch('feedback:voteFeatureRequest', { requestId: filed.id })),
    ).toEqual({ id: filed.id, isNewVote: false });
    expect(await suggest(paris, 'split pay')).toEqual([
      expect.objectContaining({ id: filed.id, votes: 2, hasOurVote: true }),
    ]);
    const ours = expectOk(await paris.dispatch('feedback:ourReports', {})) as {
      requests: OurFeatureRequest[];
    };
    expect(ours.requests).toEqual([
      expect.objectContaining({
        id: filed.id,
        title: 'Split payment between card and cash',
        status: 'open',
        votes: 2,
        isFiledByUs: false,
      }),
    ]);
    // A request this console has never seen is refused, and nothing is recorded.
    expect(
      await paris.dispatch('feedback:voteFeatureRequest', { requestId: 'req-unknown' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(journalSize(paris)).toBe(afterVote);
  });
});
