import { afterEach, describe, expect, it } from 'vitest';
import type { ChecklistRunView } from '../../shared/checklists/types.ts';
import type { VerdictView } from '../../shared/decisions/types.ts';
import type { BugReport } from '../../shared/feedback/types.ts';
import {
  expectOk,
  journalCount,
  MANAGER,
  startTestApp,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { rebuildChecklistProjection } from '../checklists/projection.ts';
import { answerTerminal } from '../checklists/testing.ts';

const RELEASE = 'rel-4.2.1';
const STORE = 'st-lyo-01';
const T2 = 'st-lyo-01-t2';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function signIn(a: TestApp, who: { userId: string; pin: string }) {
  expectOk(await a.dispatch('session:signIn', who));
}

async function blockerDraft(a: TestApp): Promise<BugReport> {
  const run = expectOk(
    await a.dispatch('checklists:startRun', {
      templateId: 'tpl-smoke-pos',
      releaseId: RELEASE,
      terminalIds: [T2],
    }),
  ) as ChecklistRunView;
  await answerTerminal(a, run, T2, { eod: { answer: { type: 'passFail', value: 'fail' } } });
  return expectOk(
    await a.dispatch('feedback:draftBugReport', {
      runId: run.run.id,
      terminalId: T2,
      itemId: 'eod',
      severity: 'blocker',
    }),
  ) as BugReport;
}

async function openBlockerCriterion(a: TestApp) {
  const verdict = expectOk(
    await a.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: STORE }),
  ) as VerdictView;
  return verdict.criteria.find((c) => c.id === 'no_open_blocker')!;
}

function bugRows(a: TestApp): string {
  return JSON.stringify(a.db.sqlite.prepare('SELECT * FROM bug_reports ORDER BY id').all());
}

describe('a draft bug report is sent or discarded by its author', () => {
  it('a discarded blocker draft frees no_open_blocker; only its author may discard it, and only once', async () => {
    app = await startTestApp({ signInAs: TECH });
    const draft = await blockerDraft(app);

    await signIn(app, MANAGER);
    expect(await openBlockerCriterion(app)).toMatchObject({ isMet: false });

    // Someone else's draft: refused, nothing recorded.
    const before = journalCount(app);
    const refused = await app.dispatch('feedback:discardDraft', { reportId: draft.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(journalCount(app)).toBe(before);
    expect(await openBlockerCriterion(app)).toMatchObject({ isMet: false });

    await signIn(app, TECH);
    const discarded = expectOk(
      await app.dispatch('feedback:discardDraft', { reportId: draft.id }),
    ) as BugReport;
    expect(discarded.status).toBe('discarded');
    expect(
      app.db.sqlite
        .prepare("SELECT count(*) FROM journal WHERE type = 'feedback.bug_report.discarded'")
        .pluck()
        .get(),
    ).toBe(1);

    await signIn(app, MANAGER);
    expect(await openBlockerCriterion(app)).toMatchObject({ isMet: true });

    // A discarded draft is not a draft any more: it cannot be sent.
    await signIn(app, TECH);
    const count = journalCount(app);
    expect(await app.dispatch('feedback:sendDraft', { reportId: draft.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(journalCount(app)).toBe(count);

    // The journal alone gives the same rows (the discard is replayed, not lost).
    const rows = bugRows(app);
    rebuildChecklistProjection(app.db);
    expect(bugRows(app)).toBe(rows);
  });

  it('a sent blocker goes to the desk as new and still holds the go / no-go', async () => {
    app = await startTestApp({ signInAs: TECH });
    const draft = await blockerDraft(app);
    const sent = expectOk(
      await app.dispatch('feedback:sendDraft', { reportId: draft.id }),
    ) as BugReport;
    expect(sent.status).toBe('new');
    expect(await app.dispatch('feedback:discardDraft', { reportId: draft.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await signIn(app, MANAGER);
    expect(await openBlockerCriterion(app)).toMatchObject({ isMet: false });
  });

  it('refuses an unknown report with not_found', async () => {
    app = await startTestApp({ signInAs: TECH });
    expect(await app.dispatch('feedback:sendDraft', { reportId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
