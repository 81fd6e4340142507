/** What the decision and report calls return (src/shared/contract/decisions.ts, reports.ts). */
import type { ChecklistRunView, EvidenceFile, EvidenceRef, Person } from '../checklists/types.ts';
import type { BindingChange, BoundTestResults } from './binding.ts';
import type { Decision, SigningProblem } from './signing.ts';
import type { Criterion, CriterionKind, Verdict } from './verdict.ts';
import type { CatalogReleaseRisk, DecisionRisks } from '../releases/risks.ts';

export type VerdictView = {
  releaseId: string;
  releaseVersion: string;
  storeId: string;
  storeName: string;
  verdict: Verdict;
  criteria: Criterion[];
  /** The release's open risks, worst first: the signer acknowledges each one. */
  openRisks: CatalogReleaseRisk[];
  /** The ones acknowledged in this call's input (and still open). */
  acknowledgedRiskIds: string[];
  /**
   * Which decisions the signed-in user may choose (go with conditions judged
   * as if its conditions were listed), and why the others are not open
   * (role, store, deployed it, verdict).
   */
  signing: { allowed: Record<Decision, boolean>; problems: SigningProblem[] };
  computedAt: string;
};

export type BindingStatus = {
  matches: boolean;
  /** What changed since signing, each in words ("Receipt print on Till 2 was answered again"). */
  changes: Array<BindingChange & { message: string }>;
};

export type DecisionView = {
  id: string;
  eventId: string;
  eventHash: string;
  releaseId: string;
  releaseVersion: string;
  storeId: string;
  storeName: string;
  decision: Decision;
  reason: string;
  conditions: string[];
  /** The verdict and criteria as they stood when signed. */
  verdictAtSigning: Verdict;
  criteriaAtSigning: Array<{ id: string; kind: CriterionKind; isMet: boolean; reason: string }>;
  signedBy: Person;
  signedAt: string;
  signature: EvidenceRef;
  /** SHA-256 of the canonical evidence basis carried in the event. */
  digest: string;
  resultCount: number;
  evidenceCount: number;
  /** The release's automated test results the decision saw; null: none were imported at signing. */
  testResults: BoundTestResults | null;
  /** The open risks the decision reviewed, all acknowledged; null: none were open at signing. */
  risks: DecisionRisks | null;
  binding: BindingStatus;
};

export type JournalEntryRef = {
  seq: number;
  eventId: string;
  type: string;
  at: string;
  hash: string;
  actor: string;
};

export type RunReport = {
  run: ChecklistRunView;
  /** Every evidence file the run's current results cite, with a data URL for the thumbnail. */
  evidence: EvidenceFile[];
  /** The journal events of this run, in order, with their hashes. */
  journal: JournalEntryRef[];
  generatedAt: string;
};

export type DecisionReport = {
  decision: DecisionView;
  /** The runs whose results the decision rests on. */
  runs: ChecklistRunView[];
  failedItems: Array<{
    runId: string;
    templateName: string;
    terminalName: string;
    itemTitle: string;
    answerText: string;
    isWaived: boolean;
    waiverReason: string | null;
  }>;
  evidence: EvidenceFile[];
  signature: EvidenceFile;
  /** The decision event and every result and waiver event it binds, with hashes. */
  journal: JournalEntryRef[];
  generatedAt: string;
};
