/**
 * A deployment's smoke-test step is decided by a real checklist run, never by
 * a button: the console reads the run and this function judges whether it may
 * decide the step, and how. Pure, so the console and the tests agree.
 *
 * The run must be the step's checklist (template), done in the deployment's
 * store for the deployment's release, cover every terminal the step works on,
 * and be finished (every visible item answered or waived), and have begun
 * after the versions were recorded (a run from before tested the old release).
 * It passes when its
 * verdict passes (no failed or blocked mandatory item unless waived), and
 * fails the step otherwise.
 */
import { combineRunStatus, isPassingStatus, type RunStatus } from '../checklists/status.ts';
import type { RunbookStep } from './runbook.ts';
import { terminalsInScope, type DeploymentState } from './stateMachine.ts';

/** Why a run cannot decide the smoke step: stable codes the UI and tests rely on. */
export const SMOKE_RUN_REFUSALS = [
  'smoke_run_unknown',
  'smoke_run_wrong_template',
  'smoke_run_wrong_store',
  'smoke_run_wrong_release',
  'smoke_run_missing_terminals',
  'smoke_run_unfinished',
  'smoke_run_stale',
] as const;
export type SmokeRunRefusal = (typeof SMOKE_RUN_REFUSALS)[number];

/** What the judgement reads of a checklist run: where and what it is, and each terminal's status and unanswered items. */
export type SmokeRun = {
  runId: string;
  templateId: string;
  templateName: string;
  storeId: string;
  releaseId: string;
  /** When the run was started (epoch ms): a run older than the step cannot have tested what the step installed. */
  startedAt: number;
  terminals: Array<{ terminalId: string; name: string; status: RunStatus; unanswered: number }>;
};

export type SmokeJudgement =
  | { ok: true; isPassed: boolean }
  | { ok: false; refusal: { code: SmokeRunRefusal; message: string } };

function refuse(code: SmokeRunRefusal, message: string): SmokeJudgement {
  return { ok: false, refusal: { code, message } };
}

/**
 * When the last version was recorded in the current phase and wave (the
 * deployment's start when none was): a smoke run must begin after it to have
 * tested what was installed (or rolled back).
 */
function lastVersionCaptureAt(state: DeploymentState): number {
  const captures = state.history.filter(
    (h) => h.action === 'record_version' && h.phase === state.phase && h.wave === state.wave,
  );
  return captures.at(-1)?.at ?? state.startedAt ?? 0;
}

/**
 * Judges `run` (null: no such run on this console) for the checklist step
 * `step` the deployment is at.
 */
export function judgeSmokeRun(
  state: DeploymentState,
  step: Extract<RunbookStep, { kind: 'checklist' }>,
  run: SmokeRun | null,
): SmokeJudgement {
  if (run === null)
    return refuse(
      'smoke_run_unknown',
      'This checklist run does not exist on this console. Start the smoke test from the step, then record its result.',
    );
  if (run.templateId !== step.templateId) {
    return refuse(
      'smoke_run_wrong_template',
      `"${run.templateName}" is not the checklist this step asks for: run the step's own checklist.`,
    );
  }
  if (run.storeId !== state.plan.storeId)
    return refuse(
      'smoke_run_wrong_store',
      'This checklist run was done in another store: it says nothing about this deployment.',
    );
  if (run.releaseId !== state.plan.releaseId) {
    return refuse(
      'smoke_run_wrong_release',
      `This checklist run was for another release, not ${state.plan.targetVersion}: start one for this release.`,
    );
  }
  const capturedAt = lastVersionCaptureAt(state);
  if (run.startedAt < capturedAt) {
    return refuse(
      'smoke_run_stale',
      'This run was started before the versions were recorded in this part of the runbook, so it tested the terminals before the change: start a new run from the step.',
    );
  }
  const covered = new Set(run.terminals.map((t) => t.terminalId));
  const missing = terminalsInScope(state).filter((t) => !covered.has(t.terminalId));
  if (missing.length > 0) {
    return refuse(
      'smoke_run_missing_terminals',
      `The run does not cover ${missing.map((t) => t.name).join(', ')}: this step tests every terminal it works on.`,
    );
  }
  const unfinished = run.terminals.filter((t) => t.unanswered > 0);
  if (unfinished.length > 0) {
    const list = unfinished
      .map((t) => `${t.name} (${t.unanswered} item${t.unanswered === 1 ? '' : 's'})`)
      .join(', ');
    return refuse(
      'smoke_run_unfinished',
      `The run is not finished: answer or waive every item first on ${list}.`,
    );
  }
  return {
    ok: true,
    isPassed: isPassingStatus(combineRunStatus(run.terminals.map((t) => t.status))),
  };
}
