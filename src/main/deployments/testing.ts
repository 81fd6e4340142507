/**
 * Test helpers for deployments: a real smoke-test checklist run, started and
 * answered through the contract the way a technician does it, so the
 * deployment's smoke step is decided by a run that exists.
 */
import type { Answer } from '../../shared/checklists/answers.ts';
import type { ChecklistRunView, RecordResultOutcome } from '../../shared/checklists/types.ts';
import type { App } from '../app/createApp.ts';
import { expectOk } from '../app/testSupport.ts';
import { passingAnswer, PNG_1X1 } from '../checklists/testing.ts';

const DEMO_SMOKE_TEMPLATE_ID = 'tpl-smoke-pos';

export type SmokeRunOptions = {
  terminalIds: string[];
  releaseId?: string;
  templateId?: string;
  /** Items answered "fail" (on every terminal). */
  failing?: readonly string[];
  /** Stop after this many answers per terminal: the run is left unfinished. */
  answersPerTerminal?: number;
};

const FAIL: Answer = { type: 'passFail', value: 'fail' };

/** Starts a run and answers every visible item (optional ones too) on each terminal; returns the run id. */
export async function smokeRun(
  app: Pick<App, 'dispatch'>,
  options: SmokeRunOptions,
): Promise<string> {
  const run = expectOk(
    await app.dispatch('checklists:startRun', {
      templateId: options.templateId ?? DEMO_SMOKE_TEMPLATE_ID,
      releaseId: options.releaseId ?? 'rel-4.4.0',
      terminalIds: options.terminalIds,
    }),
  ) as ChecklistRunView;
  const failing = new Set(options.failing ?? []);
  let evidence: string | null = null;
  for (const terminal of run.terminals) {
    let items = terminal.items;
    let answered = 0;
    for (;;) {
      if (options.answersPerTerminal !== undefined && answered >= options.answersPerTerminal) break;
      const next = items.find((i) => i.isVisible && i.status === 'not_started');
      if (next === undefined) break;
      const item = run.template.sections.flatMap((s) => s.items).find((i) => i.id === next.itemId)!;
      const answer = failing.has(item.id) ? FAIL : passingAnswer(item);
      if ((answer.type === 'photo' || answer.type === 'signature') && evidence === null) {
        const ref = expectOk(
          await app.dispatch('checklists:attachEvidence', {
            runId: run.run.id,
            fileName: 'evidence.png',
            mimeType: 'image/png',
            dataBase64: PNG_1X1,
          }),
        );
        evidence = (ref as { sha256: string }).sha256;
      }
      const withEvidence =
        answer.type === 'photo' || answer.type === 'signature' ? { evidence: [evidence!] } : {};
      const outcome = expectOk(
        await app.dispatch('checklists:recordResult', {
          runId: run.run.id,
          terminalId: terminal.terminalId,
          itemId: item.id,
          answer,
          ...withEvidence,
        }),
      ) as RecordResultOutcome;
      items = outcome.terminal.items;
      answered += 1;
    }
  }
  return run.run.id;
}
