/**
 * A store's checklist evidence as the central log holds it: a fold over the
 * store's accepted checklist events (runs started, answers recorded, items
 * waived), in log order. The server re-derives the compliance criterion of
 * each go decision from it instead of trusting the criteria the console
 * signed, so a console that writes `isMet: true` without the required
 * checklist having passed cannot validate a release (src/server/compliance/pushCheck.ts).
 *
 * It judges exactly as the console's go / no-go does: the current run per
 * (template, terminal) (verdict.ts currentRunTerminals), each terminal
 * evaluated against the template the run carries (checklists/status.ts), and
 * the checks missing by verdict.ts missingComplianceChecks.
 */
import type { Answer, Outcome } from '../checklists/answers.ts';
import { evaluateTerminal, type ItemAnswer } from '../checklists/status.ts';
import { templateItems, type ChecklistTemplate } from '../checklists/template.ts';
import {
  currentRunTerminals,
  missingComplianceChecks,
  type VerdictRun,
} from '../decisions/verdict.ts';
import type { ComplianceRequirement } from './rules.ts';

/** The event types the fold reads; every other type leaves it unchanged. */
export const EVIDENCE_EVENT_TYPES = [
  'checklist.run.started',
  'checklist.result.recorded',
  'checklist.item.waived',
] as const;

export type EvidenceRun = {
  runId: string;
  releaseId: string;
  template: Pick<ChecklistTemplate, 'id' | 'name' | 'sections'>;
  terminalIds: readonly string[];
  /** The run.started event's time: the latest start is the current run (ties by run id). */
  startedAt: string;
};

export type ChecklistEvidence = {
  runs: Map<string, EvidenceRun>;
  /** The latest answer per (run, terminal, item), in log order. */
  answers: Map<string, ItemAnswer>;
  /** (run, terminal, item) keys a manager waived since their latest answer. */
  waivers: Set<string>;
};

/** One accepted event of the store, as logged (the payload as the event carries it). */
export type EvidenceEvent = { type: string; at: string; payload: Record<string, unknown> };

export function emptyEvidence(): ChecklistEvidence {
  return { runs: new Map(), answers: new Map(), waivers: new Set() };
}

export function itemKey(runId: string, terminalId: string, itemId: string): string {
  return `${runId}\u0000${terminalId}\u0000${itemId}`;
}

/** Applies one event to the evidence, in place (a push folds a whole batch, one event at a time). */
export function foldEvidence(evidence: ChecklistEvidence, event: EvidenceEvent): void {
  const p = event.payload;
  switch (event.type) {
    case 'checklist.run.started': {
      const template = p['template'] as EvidenceRun['template'];
      evidence.runs.set(String(p['runId']), {
        runId: String(p['runId']),
        releaseId: String(p['releaseId']),
        template,
        terminalIds: (p['terminalIds'] as unknown[]).map(String),
        startedAt: event.at,
      });
      return;
    }
    case 'checklist.result.recorded': {
      const key = itemKey(String(p['runId']), String(p['terminalId']), String(p['itemId']));
      evidence.answers.set(key, {
        answer: p['answer'] as Answer,
        outcome: p['outcome'] as Outcome,
      });
      // A new answer replaces a waiver: the manager waived the old one, not this one.
      evidence.waivers.delete(key);
      return;
    }
    case 'checklist.item.waived':
      evidence.waivers.add(
        itemKey(String(p['runId']), String(p['terminalId']), String(p['itemId'])),
      );
      return;
    default:
      return;
  }
}

/** The release's runs at the store, each terminal judged from its answers and waivers (terminal names are their ids). */
export function evidenceRuns(evidence: ChecklistEvidence, releaseId: string): VerdictRun[] {
  const runs: VerdictRun[] = [];
  for (const run of evidence.runs.values()) {
    if (run.releaseId !== releaseId) continue;
    runs.push({
      runId: run.runId,
      templateId: run.template.id,
      templateName: run.template.name,
      startedAt: run.startedAt,
      terminals: run.terminalIds.map((terminalId) => {
        const answers = new Map<string, ItemAnswer>();
        const waived = new Set<string>();
        for (const item of templateItems(run.template)) {
          const key = itemKey(run.runId, terminalId, item.id);
          const given = evidence.answers.get(key);
          if (given) answers.set(item.id, given);
          if (evidence.waivers.has(key)) waived.add(item.id);
        }
        return {
          terminalId,
          terminalName: terminalId,
          status: evaluateTerminal(run.template, answers, waived).status,
          failedMandatory: [],
        };
      }),
    });
  }
  return runs;
}

/** The checks of `requirement` the evidence does not back for `releaseId`: empty when the rule is met. */
export function checksMissingFromEvidence(
  requirement: Pick<ComplianceRequirement, 'checks'>,
  evidence: ChecklistEvidence,
  releaseId: string,
): ComplianceRequirement['checks'] {
  return missingComplianceChecks(
    requirement,
    currentRunTerminals(evidenceRuns(evidence, releaseId)),
  );
}
