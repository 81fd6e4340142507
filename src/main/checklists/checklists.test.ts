import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { combineScores } from '../../shared/checklists/score.ts';
import type {
  ChecklistRunView,
  EvidenceRef,
  RecordResultOutcome,
} from '../../shared/checklists/types.ts';
import type { BugReport } from '../../shared/feedback/types.ts';
import type {
  DecisionReport,
  DecisionView,
  RunReport,
  VerdictView,
} from '../../shared/decisions/types.ts';
import {
  expectOk,
  journalCount,
  MANAGER,
  startTestApp,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { createEvidenceStore } from './evidenceStore.ts';
import { CHECKLIST_PROJECTION_TABLES, rebuildChecklistProjection } from './projection.ts';
import { answerTerminal, JPEG_SMALL, PNG_1X1, PNG_1X1_RED } from './testing.ts';

const RELEASE = 'rel-4.2.1'; // hotfix: requires the smoke test on 2 terminals
const STORE = 'st-lyo-01';
const T1 = 'st-lyo-01-t1';
const T2 = 'st-lyo-01-t2';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function signIn(a: TestApp, who: { userId: string; pin: string }) {
  expectOk(await a.dispatch('session:signIn', who));
}

async function startSmoke(a: TestApp, terminalIds = [T1, T2]): Promise<ChecklistRunView> {
  return expectOk(
    await a.dispatch('checklists:startRun', {
      templateId: 'tpl-smoke-pos',
      releaseId: RELEASE,
      terminalIds,
    }),
  ) as ChecklistRunView;
}

function tableSnapshot(a: TestApp): string {
  return CHECKLIST_PROJECTION_TABLES.map(
    (t) =>
      `${t}:${JSON.stringify(a.db.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw().all())}`,
  ).join('\n');
}

describe('checklists, verdict and signed decision through the dispatcher', () => {
  it('runs the smoke test on two terminals: a failed item with a photo gives a bug report draft and a no-go; after a passing re-run the manager signs go, bound to the evidence', async () => {
    app = await startTestApp({ signInAs: TECH });
    const templates = expectOk(
      await app.dispatch('checklists:templates', { releaseId: RELEASE }),
    ) as { requirements: Array<{ templateId: string; terminalCount: number }> };
    expect(templates.requirements).toEqual([
      expect.objectContaining({ templateId: 'tpl-smoke-pos', terminalCount: 2 }),
    ]);

    const run = await startSmoke(app);
    expect(run.run.status).toBe('not_started');
    expect(run.run.completion).toBe(0);
    // The conditional drawer note is hidden until the drawer sticks.
    expect(run.terminals[0]!.items.find((i) => i.itemId === 'drawer-note')!.isVisible).toBe(false);

    const photo = expectOk(
      await app.dispatch('checklists:attachEvidence', {
        runId: run.run.id,
        fileName: 'receipt.jpg',
        mimeType: 'image/jpeg',
        dataBase64: JPEG_SMALL,
      }),
    ) as EvidenceRef;
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
    await answerTerminal(app, run, T1);
    const failed = await answerTerminal(app, run, T2, {
      'receipt-print': { answer: { type: 'number', value: 3400 }, evidence: [photo.sha256] },
    });
    expect(failed!.terminal.status).toBe('failed');
    expect(failed!.run.status).toBe('failed');
    expect(
      failed!.terminal.items.find((i) => i.itemId === 'receipt-print')!.result!.answerText,
    ).toBe('3400 ms (limit ≤ 2000 ms)');

    const bug = expectOk(
      await app.dispatch('feedback:draftBugReport', {
        runId: run.run.id,
        terminalId: T2,
        itemId: 'receipt-print',
      }),
    ) as BugReport;
    expect(bug).toMatchObject({
      status: 'draft',
      severity: 'major',
      releaseVersion: '4.2.1',
      storeName: 'Lyon Part-Dieu',
      terminalName: 'Lane 2',
      itemTitle: 'Receipt printed in time',
    });
    expect(bug.evidence.map((e) => e.sha256)).toEqual([photo.sha256]);
    expect(bug.answerText).toContain('3400 ms');

    await signIn(app, MANAGER);
    let verdict = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: STORE }),
    ) as VerdictView;
    expect(verdict.verdict).toBe('no-go');
    expect(verdict.criteria.map((c) => [c.id, c.isMet])).toEqual([
      ['checklist_passed:tpl-smoke-pos', false],
      ['no_failed_mandatory', false],
      ['no_open_blocker', true],
    ]);
    expect(verdict.criteria[0]!.reason).toBe(
      'POS smoke test passed on 1 of the 2 required terminals.',
    );
    expect(verdict.criteria[1]!.details).toEqual([
      'POS smoke test, Lane 2: Receipt printed in time',
    ]);
    // At a no-go verdict the manager may still choose go with conditions (or no-go).
    expect(verdict.signing.allowed).toEqual({
      go: false,
      'go-with-conditions': true,
      'no-go': true,
    });
    const refused = await app.dispatch('decisions:record', {
      releaseId: RELEASE,
      storeId: STORE,
      decision: 'go',
      reason: 'Looks fine',
      pin: MANAGER.pin,
      signaturePngBase64: PNG_1X1,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // A second run on the failed terminal passes: it is now the current run there.
    const rerun = await startSmoke(app, [T2]);
    await answerTerminal(app, rerun, T2);
    verdict = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: STORE }),
    ) as VerdictView;
    expect(verdict.verdict).toBe('go');
    expect(verdict.signing).toEqual({
      allowed: { go: true, 'go-with-conditions': true, 'no-go': true },
      problems: [],
    });

    const decision = expectOk(
      await app.dispatch('decisions:record', {
        releaseId: RELEASE,
        storeId: STORE,
        decision: 'go',
        reason: 'Smoke test passed on both lanes',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    ) as DecisionView;
    expect(decision).toMatchObject({
      decision: 'go',
      verdictAtSigning: 'go',
      signedBy: { userId: 'u-maya', role: 'manager' },
      binding: { matches: true, changes: [] },
    });
    expect(decision.resultCount).toBeGreaterThan(30);
    expect(expectOk(await app.dispatch('decisions:list', { releaseId: RELEASE }))).toHaveLength(1);

    const report = expectOk(
      await app.dispatch('reports:decisionReport', { decisionId: decision.id }),
    ) as DecisionReport;
    expect(report.signature.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(
      report.journal.some((e) => e.eventId === decision.eventId && e.hash === decision.eventHash),
    ).toBe(true);
    const runReport = expectOk(
      await app.dispatch('reports:runReport', { runId: run.run.id }),
    ) as RunReport;
    expect(runReport.evidence.map((e) => e.sha256)).toContain(photo.sha256);
    expect(runReport.evidence.find((e) => e.sha256 === photo.sha256)!.dataUrl).toMatch(
      /^data:image\/jpeg;base64,/,
    );
    expect(runReport.journal.map((e) => e.type)).toContain('feedback.bug_report.drafted');

    // A later re-answer unbinds the decision, and says what changed.
    await signIn(app, TECH);
    expectOk(
      await app.dispatch('checklists:recordResult', {
        runId: rerun.run.id,
        terminalId: T2,
        itemId: 'loyalty',
        answer: { type: 'passFail', value: 'pass' },
      }),
    );
    const after = expectOk(
      await app.dispatch('decisions:get', { decisionId: decision.id }),
    ) as DecisionView;
    expect(after.binding.matches).toBe(false);
    expect(after.binding.changes).toEqual([
      expect.objectContaining({
        kind: 'result_replaced',
        itemId: 'loyalty',
        message: '"Loyalty lookup" on Lane 2 (POS smoke test) was answered again after signing.',
      }),
    ]);
  });

  it('detects an evidence file changed on disk after signing', async () => {
    app = await startTestApp({ signInAs: TECH });
    const run = await startSmoke(app);
    const photo = expectOk(
      await app.dispatch('checklists:attachEvidence', {
        runId: run.run.id,
        fileName: 'r.png',
        mimeType: 'image/png',
        dataBase64: PNG_1X1,
      }),
    ) as EvidenceRef;
    await answerTerminal(app, run, T1, {
      'receipt-readable': { answer: { type: 'passFail', value: 'pass' }, evidence: [photo.sha256] },
    });
    await answerTerminal(app, run, T2);
    await signIn(app, MANAGER);
    const decision = expectOk(
      await app.dispatch('decisions:record', {
        releaseId: RELEASE,
        storeId: STORE,
        decision: 'go',
        reason: 'All passed',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    ) as DecisionView;
    expect(decision.binding.matches).toBe(true);
    expect(decision.evidenceCount).toBe(1);

    writeFileSync(
      createEvidenceStore(app.dir).pathOf(photo.sha256),
      Buffer.from('not the photo any more'),
    );
    const after = expectOk(
      await app.dispatch('decisions:get', { decisionId: decision.id }),
    ) as DecisionView;
    expect(after.binding.matches).toBe(false);
    expect(after.binding.changes).toEqual([
      expect.objectContaining({ kind: 'evidence_altered', sha256: photo.sha256 }),
    ]);

    // A decision row edited in the database no longer matches the digest in its event.
    const stored = JSON.parse(
      app.db.sqlite
        .prepare('SELECT basis FROM decisions WHERE id = ?')
        .pluck()
        .get(decision.id) as string,
    ) as { results: unknown[] };
    stored.results.pop();
    app.db.sqlite
      .prepare('UPDATE decisions SET basis = ? WHERE id = ?')
      .run(JSON.stringify(stored), decision.id);
    const tampered = expectOk(
      await app.dispatch('decisions:get', { decisionId: decision.id }),
    ) as DecisionView;
    expect(tampered.binding.changes.map((c) => c.message)).toContain(
      'The stored decision no longer matches the digest it was signed with: this console’s database was altered.',
    );
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    app = await startTestApp({ signInAs: TECH });
    const run = await startSmoke(app);
    const before = journalCount(app);
    const files = () =>
      readdirSync(app!.dir).includes('evidence')
        ? readdirSync(join(app!.dir, 'evidence'), { recursive: true }).length
        : 0;
    const filesBefore = files();
    const record = (itemId: string, answer: unknown, extra: Record<string, unknown> = {}) =>
      app!.dispatch('checklists:recordResult', {
        runId: run.run.id,
        terminalId: T1,
        itemId,
        answer,
        ...extra,
      });
    const cases: Array<[Promise<unknown>, string, RegExp]> = [
      [
        record('boot', { type: 'number', value: 5 }),
        'invalid_input',
        /expects pass, fail or not applicable/,
      ],
      [
        record('receipt-print', { type: 'number', value: 90_000 }),
        'invalid_input',
        /outside the plausible range/,
      ],
      [record('receipt-print', { type: 'number', value: 12.5 }), 'invalid_input', /whole number/],
      [
        record('cash-drawer', { type: 'choice', optionId: 'exploded' }),
        'invalid_input',
        /not one of the choices/,
      ],
      [record('drawer-note', { type: 'text', value: 'sticky' }), 'invalid_input', /does not apply/],
      [record('receipt-photo', { type: 'photo' }), 'invalid_input', /needs a photo/],
      [
        record('boot', { type: 'passFail', value: 'pass' }, { evidence: ['a'.repeat(64)] }),
        'invalid_input',
        /not on this console/,
      ],
      [
        record('no-such-item', { type: 'passFail', value: 'pass' }),
        'invalid_input',
        /not in the run/,
      ],
      [
        app.dispatch('checklists:recordResult', {
          runId: run.run.id,
          terminalId: 'st-par-01-t1',
          itemId: 'boot',
          answer: { type: 'passFail', value: 'pass' },
        }),
        'invalid_input',
        /not part of the run/,
      ],
      [
        app.dispatch('checklists:attachEvidence', {
          runId: run.run.id,
          fileName: 'x.png',
          mimeType: 'image/png',
          dataBase64: Buffer.from('%PDF-1.7 not an image').toString('base64'),
        }),
        'invalid_input',
        /not a JPEG, PNG or WebP/,
      ],
      [
        app.dispatch('checklists:attachEvidence', {
          runId: run.run.id,
          fileName: 'x.jpg',
          mimeType: 'image/jpeg',
          dataBase64: PNG_1X1,
        }),
        'invalid_input',
        /really image\/png/,
      ],
      [
        app.dispatch('checklists:attachEvidence', {
          runId: run.run.id,
          fileName: 'x.gif',
          mimeType: 'image/gif',
          dataBase64: PNG_1X1,
        }),
        'invalid_input',
        /JPEG, PNG or WebP/,
      ],
      [
        app.dispatch('checklists:attachEvidence', {
          runId: run.run.id,
          fileName: 'big.jpg',
          mimeType: 'image/jpeg',
          dataBase64: Buffer.alloc(800 * 1024, 0xff).toString('base64'),
        }),
        'invalid_input',
        /larger than 700 KiB/,
      ],
      [
        app.dispatch('checklists:startRun', {
          templateId: 'tpl-smoke-pos',
          releaseId: RELEASE,
          terminalIds: [T1, 'st-par-01-t1'],
        }),
        'invalid_input',
        /one store/,
      ],
      [
        app.dispatch('checklists:startRun', {
          templateId: 'tpl-nope',
          releaseId: RELEASE,
          terminalIds: [T1],
        }),
        'not_found',
        /template/,
      ],
      [
        app.dispatch('checklists:waiveItem', {
          runId: run.run.id,
          terminalId: T1,
          itemId: 'boot',
          reason: 'printer missing',
        }),
        'forbidden',
        /technician/,
      ],
      [
        app.dispatch('decisions:record', {
          releaseId: RELEASE,
          storeId: STORE,
          decision: 'no-go',
          reason: 'not ready',
          pin: TECH.pin,
          signaturePngBase64: PNG_1X1,
        }),
        'forbidden',
        /technician/,
      ],
      [
        app.dispatch('feedback:draftBugReport', {
          runId: run.run.id,
          terminalId: T1,
          itemId: 'boot',
        }),
        'conflict',
        /has not failed/,
      ],
    ];
    for (const [promise, code, message] of cases) {
      const result = (await promise) as { ok: boolean; error?: { code: string; message: string } };
      expect(result.ok).toBe(false);
      expect(result.error!.code).toBe(code);
      expect(result.error!.message).toMatch(message);
    }
    expect(journalCount(app)).toBe(before);
    expect(files()).toBe(filesBefore);

    // A paused run refuses answers until resumed.
    expectOk(await app.dispatch('checklists:pauseRun', { runId: run.run.id }));
    const paused = (await record('boot', { type: 'passFail', value: 'pass' })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(paused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('"Opens but sticks" fails the cash drawer and asks what is wrong with it', async () => {
    app = await startTestApp({ signInAs: TECH });
    const run = await startSmoke(app, [T1]);
    const outcome = expectOk(
      await app.dispatch('checklists:recordResult', {
        runId: run.run.id,
        terminalId: T1,
        itemId: 'cash-drawer',
        answer: { type: 'choice', optionId: 'sticks' },
      }),
    ) as RecordResultOutcome;
    const items = new Map(outcome.terminal.items.map((i) => [i.itemId, i]));
    expect(items.get('cash-drawer')).toMatchObject({
      status: 'failed',
      result: { outcome: 'fail' },
    });
    expect(items.get('drawer-note')!.isVisible).toBe(true);
  });

  it('applies the role rules: only a manager waives and signs; whoever recorded the installs cannot sign go; a wrong PIN signs nothing', async () => {
    app = await startTestApp({ signInAs: TECH });
    const run = await startSmoke(app);
    await answerTerminal(app, run, T1);
    await answerTerminal(app, run, T2, {
      'cash-drawer': { answer: { type: 'choice', optionId: 'closed' } },
    });
    await signIn(app, MANAGER);
    const waived = expectOk(
      await app.dispatch('checklists:waiveItem', {
        runId: run.run.id,
        terminalId: T2,
        itemId: 'cash-drawer',
        reason: 'Drawer replaced tomorrow; cash sales on Lane 1',
      }),
    ) as ChecklistRunView;
    // The drawer note (shown because the drawer failed) was answered, so the waiver completes the terminal.
    expect(waived.terminals[1]!.status).toBe('waived');
    // One score rule everywhere (score.ts): the waived drawer counts as not passed on Lane 2,
    // and the run's score is both lanes' counts added up, so it lies between them.
    const [lane1, lane2] = waived.terminals;
    expect(lane1!.score.percent).toBe(100);
    expect(lane2!.score.passed).toBe(lane2!.score.counted - 1);
    expect(lane2!.score.percent).toBeLessThan(100);
    expect(waived.run.score).toEqual(combineScores([lane1!.score, lane2!.score]));
    expect(
      waived.terminals[1]!.items.find((i) => i.itemId === 'cash-drawer')!.waiver,
    ).toMatchObject({
      reason: 'Drawer replaced tomorrow; cash sales on Lane 1',
      waivedBy: { userId: 'u-maya' },
    });
    const verdict = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: STORE }),
    ) as VerdictView;
    expect(verdict.verdict).toBe('go');
    expect(verdict.criteria[0]!.details).toContain('Lane 2: passed with waivers');

    const before = journalCount(app);
    const wrongPin = await app.dispatch('decisions:record', {
      releaseId: RELEASE,
      storeId: STORE,
      decision: 'go',
      reason: 'All good',
      pin: '9999',
      signaturePngBase64: PNG_1X1,
    });
    expect(wrongPin).toMatchObject({ ok: false, error: { code: 'wrong_pin' } });
    // The manager records the installed version on a terminal: now they deployed it here.
    expectOk(
      await app.dispatch('fleet:recordVersion', {
        terminalId: T1,
        version: '4.2.1',
        source: 'typed',
      }),
    );
    const afterInstall = journalCount(app);
    expect(afterInstall).toBe(before + 1);
    const deployerGo = await app.dispatch('decisions:record', {
      releaseId: RELEASE,
      storeId: STORE,
      decision: 'go',
      reason: 'All good',
      pin: MANAGER.pin,
      signaturePngBase64: PNG_1X1,
    });
    expect(deployerGo).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/deployed this release/) },
    });
    expect(journalCount(app)).toBe(afterInstall);
    const noGo = expectOk(
      await app.dispatch('decisions:record', {
        releaseId: RELEASE,
        storeId: STORE,
        decision: 'no-go',
        reason: 'Second opinion needed',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1,
      }),
    ) as DecisionView;
    expect(noGo.decision).toBe('no-go');
    expect(noGo.binding.matches).toBe(true);
  });

  it('whoever ran a deployment of the release at the store cannot sign go for it', async () => {
    app = await startTestApp({ signInAs: MANAGER });
    const LILLE = 'st-lil-01';
    const planned = expectOk(
      await app.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: LILLE }),
    ) as { state: { plan: { deploymentId: string } } };
    expectOk(
      await app.dispatch('deployments:act', {
        deploymentId: planned.state.plan.deploymentId,
        action: {
          type: 'start',
          strategy: 'canary_first',
          canaryTerminalId: `${LILLE}-t3`,
          overrideReason: null,
        },
      }),
    );
    const verdict = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: 'rel-4.4.0', storeId: LILLE }),
    ) as VerdictView;
    expect(verdict.signing.allowed).toEqual({
      go: false,
      'go-with-conditions': false,
      'no-go': true,
    });
    expect(verdict.signing.problems.map((p) => p.message).join(' ')).toMatch(
      /You deployed this release at this store/,
    );
    // At another store the same manager may sign.
    const elsewhere = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: 'rel-4.4.0', storeId: STORE }),
    ) as VerdictView;
    expect(elsewhere.signing.problems.map((p) => p.message).join(' ')).not.toMatch(/deployed/);
  });

  it('keeps a paused run across a restart, and rebuilds every checklist table from the journal', async () => {
    app = await startTestApp({ signInAs: TECH });
    const run = await startSmoke(app);
    await answerTerminal(app, run, T1);
    const photo = expectOk(
      await app.dispatch('checklists:attachEvidence', {
        runId: run.run.id,
        fileName: 'p.png',
        mimeType: 'image/png',
        dataBase64: PNG_1X1,
      }),
    ) as EvidenceRef;
    await answerTerminal(app, run, T2, {
      eod: { answer: { type: 'passFail', value: 'fail' }, evidence: [photo.sha256] },
    });
    expectOk(
      await app.dispatch('feedback:draftBugReport', {
        runId: run.run.id,
        terminalId: T2,
        itemId: 'eod',
        severity: 'blocker',
      }),
    );
    expectOk(await app.dispatch('checklists:pauseRun', { runId: run.run.id }));
    const dir = app.dir;
    const snapshot = tableSnapshot(app);
    await app.close();

    app = await startTestApp({ dir, withDemo: false, signInAs: TECH });
    expect(tableSnapshot(app)).toBe(snapshot);
    const reopened = expectOk(
      await app.dispatch('checklists:getRun', { runId: run.run.id }),
    ) as ChecklistRunView;
    expect(reopened.run).toMatchObject({ isPaused: true, status: 'failed' });
    expectOk(await app.dispatch('checklists:resumeRun', { runId: run.run.id }));
    await signIn(app, MANAGER);
    const verdict = expectOk(
      await app.dispatch('decisions:verdict', { releaseId: RELEASE, storeId: STORE }),
    ) as VerdictView;
    expect(verdict.criteria.find((c) => c.id === 'no_open_blocker')).toMatchObject({
      isMet: false,
      details: ['End-of-day report failed on Lane 2 (4.2.1) (Lane 2)'],
    });
    expectOk(
      await app.dispatch('decisions:record', {
        releaseId: RELEASE,
        storeId: STORE,
        decision: 'no-go',
        reason: 'Blocker open',
        pin: MANAGER.pin,
        signaturePngBase64: PNG_1X1_RED,
      }),
    );

    const live = tableSnapshot(app);
    rebuildChecklistProjection(app.db);
    expect(tableSnapshot(app)).toBe(live);
  });
});
