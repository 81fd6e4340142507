/** What the checklist calls return (src/shared/contract/checklists.ts). */
import type { Role } from '../domain/roles.ts';
import type { Answer, Outcome } from './answers.ts';
import type { Score } from './score.ts';
import type { ItemStatus, Progress, RunStatus } from './status.ts';
import type { ChecklistTemplate, ReleaseChecklistRequirement } from './template.ts';

export type Person = { userId: string; name: string; role: Role };

export type ChecklistTemplatesView = {
  templates: ChecklistTemplate[];
  /** What each release requires (filtered to one release when asked). */
  requirements: Array<
    ReleaseChecklistRequirement & { templateName: string; releaseVersion: string }
  >;
};

export type EvidenceRef = {
  sha256: string;
  mimeType: string;
  byteLength: number;
  fileName: string;
};

export type EvidenceFile = EvidenceRef & { dataUrl: string };

export type ChecklistRunSummary = {
  id: string;
  templateId: string;
  templateName: string;
  templateKind: ChecklistTemplate['kind'];
  templateVersion: number;
  releaseId: string;
  releaseVersion: string;
  storeId: string;
  storeName: string;
  terminals: Array<{ id: string; name: string; status: RunStatus }>;
  status: RunStatus;
  isPaused: boolean;
  startedBy: Person;
  startedAt: string;
  updatedAt: string;
  /** Over the items of every terminal of the run together (score.ts). */
  score: Score;
  completion: number;
};

export type ResultView = {
  /** The `checklist.result.recorded` event's id and hash: what a decision binds to. */
  eventId: string;
  eventHash: string;
  answer: Answer;
  /** Human text of the answer ("1840 ms (limit ≤ 2000 ms)"). */
  answerText: string;
  outcome: Outcome;
  note: string | null;
  evidence: EvidenceRef[];
  recordedBy: Person;
  recordedAt: string;
};

export type WaiverView = {
  eventId: string;
  eventHash: string;
  reason: string;
  waivedBy: Person;
  waivedAt: string;
};

export type RunItemState = {
  itemId: string;
  sectionId: string;
  isVisible: boolean;
  status: ItemStatus;
  /** Latest answer (earlier answers stay in the journal). */
  result: ResultView | null;
  waiver: WaiverView | null;
  /** Draft bug reports filed from this item on this terminal. */
  bugReportIds: string[];
};

export type RunTerminalView = Progress & {
  terminalId: string;
  terminalName: string;
  status: RunStatus;
  items: RunItemState[];
};

export type ChecklistRunView = {
  run: ChecklistRunSummary;
  /** The template as it was when the run started. */
  template: ChecklistTemplate;
  terminals: RunTerminalView[];
};

export type RecordResultOutcome = {
  run: ChecklistRunSummary;
  terminal: RunTerminalView;
  eventId: string;
};
