/**
 * Draft bug reports filed from a failed checklist item, with their context
 * filled in. The feedback feature (triage, support) builds on these records later.
 */
import { z } from 'zod';
import type { Person, EvidenceRef } from '../checklists/types.ts';

export const BUG_SEVERITIES = ['blocker', 'major', 'minor'] as const;
export type BugSeverity = (typeof BUG_SEVERITIES)[number];

/** Open reports count against a go; only the feedback feature will close them. */
export const BUG_REPORT_STATUSES = ['draft', 'open', 'closed'] as const;
export type BugReportStatus = (typeof BUG_REPORT_STATUSES)[number];

export const bugSeverity = z.enum(BUG_SEVERITIES);

export type BugReport = {
  id: string;
  status: BugReportStatus;
  severity: BugSeverity;
  title: string;
  description: string;
  releaseId: string;
  releaseVersion: string;
  storeId: string;
  storeName: string;
  terminalId: string;
  terminalName: string;
  runId: string;
  templateName: string;
  itemId: string;
  itemTitle: string;
  /** The answer given, in words, and the evidence it came with. */
  answerText: string;
  evidence: EvidenceRef[];
  reportedBy: Person;
  reportedAt: string;
  eventId: string;
};
