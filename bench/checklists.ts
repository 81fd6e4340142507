/**
 * checklists.answer300: answering a 300-item checklist on one of two
 * terminals through the real dispatcher (validation, judging, one journal
 * transaction, the maintained projection, the updated terminal view returned),
 * median milliseconds per answer. Baseline, same run: the same answers with
 * the checklist state derived from the journal before each one (every
 * checklist event replayed), as a console without a maintained projection
 * would do. The screen must stay responsive on a 300-item template.
 *
 * Run alone: npx node bench/checklists.ts
 */
import { expectOk, startTestApp, TECH, type TestApp } from '../src/main/app/testSupport.ts';
import { rebuildChecklistProjection } from '../src/main/checklists/projection.ts';
import { median, percentile, round, type Benchmark, type BenchResult } from './types.ts';

const ITEMS = 300;
const BASELINE_SAMPLE = 60;
const TARGET_MS = 50;
const TARGET_RATIO = 2;
const TERMINALS = ['st-lyo-01-t1', 'st-lyo-01-t2'];

async function bigRun(app: TestApp): Promise<string> {
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    instructions: '',
    isMandatory: i % 5 !== 0,
    answer: { type: 'passFail' },
  }));
  const template = {
    id: 'bench-300',
    name: '300 items',
    kind: 'uat',
    version: 1,
    description: '',
    sections: Array.from({ length: 10 }, (_, s) => ({
      id: `s${s}`,
      title: `Section ${s}`,
      items: items.slice(s * 30, s * 30 + 30),
    })),
  };
  app.db.sqlite
    .prepare(
      'INSERT INTO checklist_templates (id, name, kind, version, data) VALUES (?, ?, ?, ?, ?)',
    )
    .run(template.id, template.name, template.kind, 1, JSON.stringify(template));
  const view = expectOk(
    await app.dispatch('checklists:startRun', {
      templateId: template.id,
      releaseId: 'rel-4.2.1',
      terminalIds: TERMINALS,
    }),
  ) as { run: { id: string } };
  return view.run.id;
}

async function answer(app: TestApp, runId: string, terminal: number, i: number): Promise<void> {
  expectOk(
    await app.dispatch('checklists:recordResult', {
      runId,
      terminalId: TERMINALS[terminal]!,
      itemId: `i${i}`,
      answer: { type: 'passFail', value: i % 7 === 0 ? 'fail' : 'pass' },
    }),
  );
}

async function runChecklistsAnswer(): Promise<BenchResult> {
  const app = await startTestApp({ signInAs: TECH });
  try {
    const runId = await bigRun(app);
    // The other terminal is answered first, so every view carries a full second terminal.
    for (let i = 0; i < ITEMS; i++) await answer(app, runId, 1, i);
    const samples: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < ITEMS; i++) {
      const start = performance.now();
      await answer(app, runId, 0, i);
      samples.push(performance.now() - start);
    }
    const used = process.cpuUsage(cpu);
    const baselineSamples: number[] = [];
    for (let i = 0; i < BASELINE_SAMPLE; i++) {
      const start = performance.now();
      rebuildChecklistProjection(app.db);
      await answer(app, runId, 0, i);
      baselineSamples.push(performance.now() - start);
    }
    const value = round(median(samples));
    const baseline = round(median(baselineSamples));
    const ratio = round(baseline / value);
    return {
      name: 'checklists.answer300',
      value,
      unit: 'ms',
      baseline,
      ratio,
      target: `≤ ${TARGET_MS} ms and ≥ ${TARGET_RATIO}×`,
      isTargetMet: value <= TARGET_MS && ratio >= TARGET_RATIO,
      notes: `median of ${ITEMS} answers (p95 ${round(percentile(samples, 95))} ms wall; ${round((used.user + used.system) / 1000 / ITEMS, 2)} ms CPU each); baseline: median of ${BASELINE_SAMPLE} answers each after replaying the run's ${ITEMS * 2}+ journal events`,
    };
  } finally {
    await app.dispose();
  }
}

export const checklistsAnswer: Benchmark = {
  name: 'checklists.answer300',
  description:
    'one answer on a 300-item, 2-terminal run through the dispatcher vs deriving the run from the journal first',
  run: runChecklistsAnswer,
};

if (import.meta.main) {
  const r = await runChecklistsAnswer();
  process.stdout.write(
    `${r.name}: ${r.value} ${r.unit} · baseline ${r.baseline} ${r.unit} · ${r.ratio}× · ${r.notes}\n`,
  );
}
