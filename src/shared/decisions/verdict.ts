/**
 * The go / no-go verdict for a release at a store, as a pure function of what
 * the console knows. Criteria, each reported met or unmet with a
 * plain reason:
 * 1. every checklist the release requires passed on the required number of the
 *    store's terminals (one criterion per required template);
 * 2. no failed mandatory item is left unwaived;
 * 3. no open blocker bug report for this release at this store;
 * 4. every compliance rule binding the store's region (one criterion per rule,
 *    src/shared/compliance/rules.ts) has each of its required checks passed;
 * 5. every open risk of the release's risk register acknowledged by the signer
 *    (only when the release has open risks).
 *
 * Only the CURRENT run of a template on a terminal counts: the most recently
 * started run that covers that terminal. A failed first run followed by a
 * passing re-run therefore counts as passed; its failure stays in the journal
 * and in the report.
 */
import { isPassingStatus, type RunStatus } from '../checklists/status.ts';
import { complianceCriterionId, type ComplianceRequirement } from '../compliance/rules.ts';

export const VERDICTS = ['go', 'no-go'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const CRITERION_KINDS = [
  'checklist_passed',
  'no_failed_mandatory',
  'no_open_blocker',
  'compliance_checks',
  'risks_acknowledged',
] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/** Which sentence the reason is, so the console can say it in its own language. */
export const CRITERION_REASONS = [
  'checklist_passed',
  'checklist_not_run',
  'no_failed_mandatory',
  'failed_mandatory',
  'no_open_blocker',
  'open_blockers',
  'compliance_met',
  'compliance_missing',
  'risks_acknowledged',
  'risks_not_acknowledged',
] as const;
export type CriterionReasonCode = (typeof CRITERION_REASONS)[number];

export type Criterion = {
  /** Stable: `checklist_passed:<templateId>`, `no_failed_mandatory`, `no_open_blocker`. */
  id: string;
  kind: CriterionKind;
  isMet: boolean;
  /** One sentence a store manager understands. */
  reason: string;
  /** The same sentence as a code and the values it names (`count` is the number its plural follows). */
  reasonWords: { code: CriterionReasonCode; params: Record<string, string | number> };
  /** The terminals, items or reports behind an unmet criterion. */
  details: string[];
};

export type VerdictResult = { verdict: Verdict; criteria: Criterion[] };

export type VerdictRequirement = {
  templateId: string;
  templateName: string;
  terminalCount: number;
};

export type VerdictRunTerminal = {
  terminalId: string;
  terminalName: string;
  status: RunStatus;
  /** Visible mandatory items whose latest answer failed and that carry no waiver. */
  failedMandatory: Array<{ itemId: string; itemTitle: string }>;
};

export type VerdictRun = {
  runId: string;
  templateId: string;
  templateName: string;
  startedAt: string;
  terminals: VerdictRunTerminal[];
};

export type VerdictBlocker = { id: string; title: string; terminalName: string };

/** An open risk of the release's register, as go / no-go shows it. */
export type VerdictRisk = { id: string; title: string };

export type VerdictInput = {
  requirements: readonly VerdictRequirement[];
  /** Every run of this release at this store (the function picks the current ones). */
  runs: readonly VerdictRun[];
  /** Open bug reports of severity blocker for this release at this store. */
  openBlockers: readonly VerdictBlocker[];
  /** The compliance rules binding this release at this store's region; absent or empty: none. */
  compliance?: readonly ComplianceRequirement[];
  /** The release's open risks and the ones the signer acknowledged; absent: no register. */
  risks?: { open: readonly VerdictRisk[]; acknowledgedIds: readonly string[] };
};

export type CurrentRunTerminal = VerdictRunTerminal & {
  runId: string;
  templateId: string;
  templateName: string;
};

/** The current run per (template, terminal): latest start wins, ties broken by run id (UUIDv7 is time-ordered). */
export function currentRunTerminals(runs: readonly VerdictRun[]): CurrentRunTerminal[] {
  const byKey = new Map<string, { run: VerdictRun; terminal: VerdictRunTerminal }>();
  for (const run of runs) {
    for (const terminal of run.terminals) {
      const key = `${run.templateId}\u0000${terminal.terminalId}`;
      const seen = byKey.get(key);
      if (!seen || isLater(run, seen.run)) byKey.set(key, { run, terminal });
    }
  }
  return [...byKey.values()]
    .map(({ run, terminal }) => ({
      ...terminal,
      runId: run.runId,
      templateId: run.templateId,
      templateName: run.templateName,
    }))
    .sort(
      (a, b) =>
        a.templateId.localeCompare(b.templateId) || a.terminalName.localeCompare(b.terminalName),
    );
}

function isLater(a: VerdictRun, b: VerdictRun): boolean {
  return a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.runId > b.runId);
}

export function computeVerdict(input: VerdictInput): VerdictResult {
  const current = currentRunTerminals(input.runs);
  const criteria: Criterion[] = [];

  for (const requirement of input.requirements) {
    const ofTemplate = current.filter((t) => t.templateId === requirement.templateId);
    const passed = ofTemplate.filter((t) => isPassingStatus(t.status));
    const needed = requirement.terminalCount;
    const isMet = passed.length >= needed;
    const terminalsWord = needed === 1 ? 'terminal' : 'terminals';
    const isNotRun = !isMet && ofTemplate.length === 0;
    const reason = isNotRun
      ? `${requirement.templateName} has not been run yet: it must pass on ${needed} ${terminalsWord}.`
      : `${requirement.templateName} passed on ${passed.length} of the ${needed} required ${terminalsWord}.`;
    const reasonWords: Criterion['reasonWords'] = isNotRun
      ? { code: 'checklist_not_run', params: { template: requirement.templateName, count: needed } }
      : {
          code: 'checklist_passed',
          params: { template: requirement.templateName, passed: passed.length, count: needed },
        };
    const details = isMet
      ? passed.map(
          (t) => `${t.terminalName}: ${t.status === 'waived' ? 'passed with waivers' : 'passed'}`,
        )
      : ofTemplate
          .filter((t) => !isPassingStatus(t.status))
          .map((t) => `${t.terminalName}: ${STATUS_WORDS[t.status]}`);
    criteria.push({
      id: `checklist_passed:${requirement.templateId}`,
      kind: 'checklist_passed',
      isMet,
      reason,
      reasonWords,
      details,
    });
  }

  const failures = current.flatMap((t) =>
    t.failedMandatory.map((item) => `${t.templateName}, ${t.terminalName}: ${item.itemTitle}`),
  );
  criteria.push({
    id: 'no_failed_mandatory',
    kind: 'no_failed_mandatory',
    isMet: failures.length === 0,
    reason:
      failures.length === 0
        ? 'No mandatory item is failed without a waiver.'
        : `${failures.length} mandatory ${failures.length === 1 ? 'item has' : 'items have'} failed and ${failures.length === 1 ? 'is' : 'are'} not waived.`,
    reasonWords:
      failures.length === 0
        ? { code: 'no_failed_mandatory', params: {} }
        : { code: 'failed_mandatory', params: { count: failures.length } },
    details: failures,
  });

  criteria.push({
    id: 'no_open_blocker',
    kind: 'no_open_blocker',
    isMet: input.openBlockers.length === 0,
    reason:
      input.openBlockers.length === 0
        ? 'No blocker bug report is open for this release at this store.'
        : `${input.openBlockers.length} blocker bug ${input.openBlockers.length === 1 ? 'report is' : 'reports are'} open for this release at this store.`,
    reasonWords:
      input.openBlockers.length === 0
        ? { code: 'no_open_blocker', params: {} }
        : { code: 'open_blockers', params: { count: input.openBlockers.length } },
    details: input.openBlockers.map((b) => `${b.title} (${b.terminalName})`),
  });

  for (const rule of input.compliance ?? []) criteria.push(complianceCriterion(rule, current));
  const risksCriterion = risksAcknowledged(input.risks);
  if (risksCriterion) criteria.push(risksCriterion);

  return { verdict: criteria.every((c) => c.isMet) ? 'go' : 'no-go', criteria };
}

/** One rule: met when each required check's template passed on its terminal count; lists the missing checks by name. */
function complianceCriterion(
  rule: ComplianceRequirement,
  current: readonly CurrentRunTerminal[],
): Criterion {
  const missing = missingComplianceChecks(rule, current);
  const names = missing.map((c) => c.templateName).join(', ');
  return {
    id: complianceCriterionId(rule.ruleId),
    kind: 'compliance_checks',
    isMet: missing.length === 0,
    reason:
      missing.length === 0
        ? `${rule.ruleName}: every required check passed.`
        : `${rule.ruleName}: ${missing.length} required ${missing.length === 1 ? 'check is' : 'checks are'} missing: ${names}.`,
    reasonWords:
      missing.length === 0
        ? { code: 'compliance_met', params: { rule: rule.ruleName } }
        : {
            code: 'compliance_missing',
            params: { rule: rule.ruleName, missing: names, count: missing.length },
          },
    details: missing.map((c) =>
      c.kind === 'sign-off'
        ? `${c.templateName}: not signed off`
        : `${c.templateName}: must pass on ${c.terminalCount} ${c.terminalCount === 1 ? 'terminal' : 'terminals'}`,
    ),
  };
}

/**
 * The rule's checks not passed yet: a check passes when the current run of its
 * template passed (waivers included) on its terminal count. The console's
 * criterion and the server's re-check from the central log
 * (src/shared/compliance/evidence.ts) both judge by this one function.
 */
export function missingComplianceChecks(
  rule: Pick<ComplianceRequirement, 'checks'>,
  current: readonly CurrentRunTerminal[],
): ComplianceRequirement['checks'] {
  return rule.checks.filter((check) => {
    const passed = current.filter(
      (t) => t.templateId === check.templateId && isPassingStatus(t.status),
    );
    return passed.length < check.terminalCount;
  });
}

/** Open risks are reviewed at go / no-go: each must be acknowledged by the signer. */
function risksAcknowledged(risks: VerdictInput['risks']): Criterion | null {
  if (!risks || risks.open.length === 0) return null;
  const acknowledged = new Set(risks.acknowledgedIds);
  const missing = risks.open.filter((r) => !acknowledged.has(r.id));
  const count = risks.open.length;
  return {
    id: 'risks_acknowledged',
    kind: 'risks_acknowledged',
    isMet: missing.length === 0,
    reason:
      missing.length === 0
        ? `Every open risk of this release is acknowledged (${count}).`
        : `Open risks not acknowledged yet: ${missing.length} of ${count}.`,
    reasonWords:
      missing.length === 0
        ? { code: 'risks_acknowledged', params: { count } }
        : { code: 'risks_not_acknowledged', params: { missing: missing.length, count } },
    details: missing.map((r) => r.title),
  };
}

const STATUS_WORDS: Record<RunStatus, string> = {
  not_started: 'not started',
  in_progress: 'in progress',
  passed: 'passed',
  failed: 'failed',
  blocked: 'blocked',
  waived: 'passed with waivers',
};
