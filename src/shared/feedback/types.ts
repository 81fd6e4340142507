/**
 * Bug reports (drafted from a failed checklist item, or filed from the
 * report form anywhere in the console), feature requests and the comments
 * the support desk and the store exchange about them.
 */
import { z } from 'zod';
import type { Person, EvidenceRef } from '../checklists/types.ts';

/** The severities of a draft raised from a checklist item (its event schema is released). */
export const BUG_SEVERITIES = ['blocker', 'major', 'minor'] as const;
export type BugSeverity = (typeof BUG_SEVERITIES)[number];

/** The support desk's scale; S1 and S2 are blockers. The report form suggests one. */
export const REPORT_SEVERITIES = ['S1', 'S2', 'S3', 'S4'] as const;
export type ReportSeverity = (typeof REPORT_SEVERITIES)[number];

/** What a bug_reports row may hold in `severity`: the old draft words or the desk's scale. */
export type StoredSeverity = BugSeverity | ReportSeverity;

/** Severities that hold a go / no-go (`no_open_blocker`). */
export const BLOCKER_SEVERITIES = ['blocker', 'S1', 'S2'] as const satisfies StoredSeverity[];

/**
 * A draft is sent (→ new) or discarded by its author; the desk moves a sent
 * report through the rest. Closed states free the go / no-go rule.
 */
export const BUG_REPORT_STATUSES = [
  'draft',
  'new',
  'triaged',
  'in_progress',
  'needs_info',
  'fixed',
  'wont_fix',
  'duplicate',
  'discarded',
] as const;
export type BugReportStatus = (typeof BUG_REPORT_STATUSES)[number];
export const CLOSED_REPORT_STATUSES = [
  'fixed',
  'wont_fix',
  'duplicate',
  'discarded',
] as const satisfies BugReportStatus[];

export const bugSeverity = z.enum(BUG_SEVERITIES);
export const reportSeverity = z.enum(REPORT_SEVERITIES);

export const ATTACHMENT_KINDS = ['screenshot', 'photo', 'file', 'crash_dump'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const FEATURE_REQUEST_CATEGORIES = [
  'checkout',
  'payments',
  'inventory',
  'reporting',
  'hardware',
  'console',
  'other',
] as const;

export const FEATURE_REQUEST_STATUSES = [
  'open',
  'under_review',
  'planned',
  'shipped',
  'declined',
  'merged',
] as const;
export type FeatureRequestStatus = (typeof FEATURE_REQUEST_STATUSES)[number];

/** Who sees a desk comment: the report's store too, or the desk only. */
export const COMMENT_VISIBILITIES = ['store', 'internal'] as const;

export type BugReport = {
  id: string;
  status: BugReportStatus;
  severity: StoredSeverity;
  title: string;
  description: string;
  releaseId: string | null;
  releaseVersion: string;
  storeId: string;
  storeName: string;
  terminalId: string | null;
  terminalName: string;
  runId: string | null;
  templateName: string;
  itemId: string | null;
  itemTitle: string;
  /** The answer given, in words, and the evidence it came with. */
  answerText: string;
  evidence: EvidenceRef[];
  reportedBy: Person;
  reportedAt: string;
  eventId: string;
};

/** What the report form sends: the words, the link to what it is about, the staged attachments. */
export type FiledBugReport = {
  id: string;
  status: BugReportStatus;
  storeId: string;
  releaseId: string | null;
  attachments: Array<{
    sha256: string;
    name: string;
    mime: string;
    size: number;
    kind: AttachmentKind;
  }>;
  eventId: string;
};

/** A comment of the desk (store-visible) or a reply of the store, on a report or a request. */
export type FeedbackComment = {
  id: string;
  author: string;
  /** Whether the store wrote it (a reply) or the support desk. */
  isFromStore: boolean;
  text: string;
  at: string;
};

/** One line of "Our reports": a bug report of this store, as the desk last left it. */
export type OurBugReport = {
  id: string;
  title: string;
  status: BugReportStatus;
  /** As triaged by the desk, else as suggested by the store. */
  severity: StoredSeverity;
  isSeverityTriaged: boolean;
  storeId: string;
  terminalName: string | null;
  fixedIn: string | null;
  duplicateOf: string | null;
  reportedAt: string;
  updatedAt: string;
  comments: FeedbackComment[];
  /** Attachments the central server refused for good: the desk has the report without them. */
  attachmentProblems?: Array<{ name: string; code: string; message: string }>;
};

export type OurFeatureRequest = {
  id: string;
  title: string;
  category: string;
  status: FeatureRequestStatus;
  plannedFor: string | null;
  votes: number;
  /** When the store filed it, or first voted for another store's request. */
  filedAt: string;
  /** Filed by this store; false: another store's request this store voted for. */
  isFiledByUs: boolean;
  comments: FeedbackComment[];
};

/** A request that matches what the person is typing. */
export type RequestSuggestion = {
  id: string;
  title: string;
  status: FeatureRequestStatus;
  votes: number;
  hasOurVote: boolean;
};
