/**
 * Reads a checklist run as the deployment's smoke step judges it
 * (src/shared/deployments/smoke.ts): its template, store and release, and per
 * terminal the run status and how many visible items still have no answer and
 * no waiver. Evaluated with the checklists' own rules, so the deployment and
 * the checklist screen agree on "finished" and "passed".
 */
import { evaluateTerminal, type ItemAnswer } from '../../shared/checklists/status.ts';
import type { SmokeRun } from '../../shared/deployments/smoke.ts';
import type { Db } from '../db/open.ts';
import { currentResults, getRunRow, terminalNames, waiversOf } from '../checklists/repository.ts';

export function readSmokeRun(db: Db, runId: string): SmokeRun | null {
  const row = getRunRow(db, runId);
  if (row === null) return null;
  const answers = new Map<string, Map<string, ItemAnswer>>(
    row.terminalIds.map((t) => [t, new Map()]),
  );
  const waived = new Map<string, Set<string>>(row.terminalIds.map((t) => [t, new Set()]));
  for (const r of currentResults(db, runId))
    answers.get(r.terminalId)?.set(r.itemId, { answer: r.answer, outcome: r.outcome });
  for (const w of waiversOf(db, runId)) waived.get(w.terminalId)?.add(w.itemId);
  const names = terminalNames(db, row.terminalIds);
  return {
    runId: row.id,
    templateId: row.template.id,
    templateName: row.template.name,
    storeId: row.storeId,
    releaseId: row.releaseId,
    startedAt: Date.parse(row.startedAt),
    terminals: row.terminalIds.map((terminalId) => {
      const evaluation = evaluateTerminal(
        row.template,
        answers.get(terminalId)!,
        waived.get(terminalId)!,
      );
      return {
        terminalId,
        name: names.get(terminalId)?.name ?? terminalId,
        status: evaluation.status,
        unanswered: evaluation.counts.not_started,
      };
    }),
  };
}
