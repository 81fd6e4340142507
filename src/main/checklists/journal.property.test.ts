import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../shared/checklists/answers.ts';
import { templateItems, type ChecklistTemplate } from '../../shared/checklists/template.ts';
import type { ChecklistRunView } from '../../shared/checklists/types.ts';
import {
  expectOk,
  journalCount,
  MANAGER,
  startTestApp,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { CHECKLIST_PROJECTION_TABLES, rebuildChecklistProjection } from './projection.ts';

/**
 * Random sequences of checklist changes through the real dispatcher: a
 * rebuild of every checklist table from the journal equals the live state,
 * and every refused change (wrong answer type, hidden item, out of range,
 * paused run, technician waiving) writes nothing.
 */
let app: TestApp;
let template: ChecklistTemplate;
let runIds: string[] = [];
const TERMINALS = ['st-lyo-01-t1', 'st-lyo-01-t2'];

beforeAll(async () => {
  app = await startTestApp({ signInAs: TECH });
  const run = expectOk(
    await app.dispatch('checklists:startRun', {
      templateId: 'tpl-smoke-pos',
      releaseId: 'rel-4.2.1',
      terminalIds: TERMINALS,
    }),
  ) as ChecklistRunView;
  template = run.template;
  runIds = [run.run.id];
});
afterAll(async () => {
  await app.dispose();
});

function state(): string {
  return CHECKLIST_PROJECTION_TABLES.map(
    (t) =>
      `${t}:${JSON.stringify(app.db.sqlite.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw().all())}`,
  ).join('\n');
}

const ANSWERS: Answer[] = [
  { type: 'passFail', value: 'pass' },
  { type: 'passFail', value: 'fail' },
  { type: 'passFail', value: 'na' },
  { type: 'number', value: 1500 },
  { type: 'number', value: 4000 },
  { type: 'number', value: 999_999 },
  { type: 'choice', optionId: 'opens' },
  { type: 'choice', optionId: 'sticks' },
  { type: 'choice', optionId: 'closed' },
  { type: 'text', value: 'Drawer needs a push' },
  { type: 'blocked', reason: 'No printer paper' },
  { type: 'photo' },
];

type Op =
  | { kind: 'answer'; run: number; terminal: number; item: number; answer: number }
  | { kind: 'waive'; run: number; terminal: number; item: number; asManager: boolean }
  | { kind: 'pause'; run: number; isPaused: boolean }
  | { kind: 'bug'; run: number; terminal: number; item: number }
  | { kind: 'newRun' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      run: fc.nat(5),
      terminal: fc.nat(1),
      item: fc.nat(30),
      answer: fc.nat(ANSWERS.length - 1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('waive' as const),
      run: fc.nat(5),
      terminal: fc.nat(1),
      item: fc.nat(30),
      asManager: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pause' as const),
      run: fc.nat(5),
      isPaused: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bug' as const),
      run: fc.nat(5),
      terminal: fc.nat(1),
      item: fc.nat(30),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('newRun' as const) }) },
);

describe('checklist projection under random changes', () => {
  it('rebuilding from the journal gives the live state, and every refused change writes nothing', async () => {
    const items = templateItems(template);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        for (const o of ops) {
          const before = { journal: journalCount(app), state: state() };
          let result: { ok: boolean };
          switch (o.kind) {
            case 'answer': {
              const item = items[o.item % items.length]!;
              result = await app.dispatch('checklists:recordResult', {
                runId: runIds[o.run % runIds.length]!,
                terminalId: TERMINALS[o.terminal]!,
                itemId: item.id,
                answer: ANSWERS[o.answer]!,
              });
              break;
            }
            case 'waive': {
              if (o.asManager) expectOk(await app.dispatch('session:signIn', MANAGER));
              result = await app.dispatch('checklists:waiveItem', {
                runId: runIds[o.run % runIds.length]!,
                terminalId: TERMINALS[o.terminal]!,
                itemId: items[o.item % items.length]!.id,
                reason: 'Accepted by the store manager',
              });
              if (o.asManager) expectOk(await app.dispatch('session:signIn', TECH));
              else expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
              break;
            }
            case 'pause':
              result = await app.dispatch(
                o.isPaused ? 'checklists:pauseRun' : 'checklists:resumeRun',
                { runId: runIds[o.run % runIds.length]! },
              );
              break;
            case 'bug':
              result = await app.dispatch('feedback:draftBugReport', {
                runId: runIds[o.run % runIds.length]!,
                terminalId: TERMINALS[o.terminal]!,
                itemId: items[o.item % items.length]!.id,
              });
              break;
            case 'newRun': {
              const r = await app.dispatch('checklists:startRun', {
                templateId: 'tpl-smoke-pos',
                releaseId: 'rel-4.2.1',
                terminalIds: TERMINALS,
              });
              if (r.ok) runIds.push((r.value as ChecklistRunView).run.id);
              result = r;
              break;
            }
          }
          if (!result.ok) {
            // Sign-ins journal themselves; a refused checklist change adds nothing else.
            const after = journalCount(app) - (o.kind === 'waive' && o.asManager ? 2 : 0);
            expect(after).toBe(before.journal);
            expect(state()).toBe(before.state);
          }
        }
        const live = state();
        rebuildChecklistProjection(app.db);
        expect(state()).toBe(live);
        expect(app.journal.verify().ok).toBe(true);
      }),
      { numRuns: 15, seed: 4 },
    );
    // The sequences did change things (not only refusals).
    const count = (sql: string) => app.db.sqlite.prepare(sql).pluck().get() as number;
    expect(count('SELECT count(*) FROM checklist_results')).toBeGreaterThan(20);
    expect(count("SELECT count(*) FROM checklist_results WHERE outcome = 'fail'")).toBeGreaterThan(
      0,
    );
    expect(count('SELECT count(*) FROM checklist_runs')).toBeGreaterThan(1);
  }, 120_000);
});
