/**
 * The support desk's HTTP calls (desk token): the inbox of bug reports in the
 * desk's scope (filtered, searched, sorted, paged), one report's detail, the
 * feature requests with their votes per store, and the triage actions, each
 * a desk action (a server entry naming the acting user).
 */
import { z } from 'zod';
import type { RouteAuth } from '../sync/protocol.ts';
import { COMMENT_VISIBILITIES } from './types.ts';
import {
  REQUEST_STATUSES,
  TRIAGE_ACTIONS,
  TRIAGE_REPORT_STATUSES,
  TRIAGE_SEVERITIES,
} from './triage.ts';

export const FEEDBACK_DESK_ROUTES = {
  deskFeedbackReports: { method: 'GET', url: '/v1/desk/feedback/reports', auth: 'desk' },
  deskFeedbackReport: { method: 'GET', url: '/v1/desk/feedback/reports/:id', auth: 'desk' },
  deskFeedbackRequests: { method: 'GET', url: '/v1/desk/feedback/requests', auth: 'desk' },
  deskFeedbackAction: { method: 'POST', url: '/v1/desk/feedback/actions', auth: 'desk' },
  deskFeedbackAttachment: {
    method: 'GET',
    // Base64 in JSON, for the detail pane to show; the raw download is the attachments feature's route.
    url: '/v1/desk/feedback/reports/:id/attachments/:sha256/inline',
    auth: 'desk',
  },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

/** Every status a report can have at the desk (a draft never reaches it). */
export const INBOX_STATUSES = [...TRIAGE_REPORT_STATUSES, 'discarded'] as const;
export const INBOX_SORTS = ['updated', 'reported', 'severity'] as const;
const MAX_INBOX_PAGE = 500;

export const inboxQuery = z
  .object({
    status: z.enum(INBOX_STATUSES).optional(),
    /** The effective severity: the desk's, else the store's suggestion. */
    severity: z.enum(TRIAGE_SEVERITIES).optional(),
    storeId: idText.optional(),
    region: z.string().min(1).max(60).optional(),
    ring: z.string().min(1).max(60).optional(),
    releaseId: idText.optional(),
    /** A user id, or `none` for reports nobody is assigned to. */
    assignee: idText.optional(),
    /** Reports filed at least this many days ago. */
    olderThanDays: z.coerce.number().int().min(0).max(3650).optional(),
    /** Full-text search over title, what happened and what was expected. */
    q: z.string().trim().min(1).max(200).optional(),
    sort: z.enum(INBOX_SORTS).default('updated'),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_INBOX_PAGE).default(100),
  })
  .strict();
export type InboxQuery = z.input<typeof inboxQuery>;

const inboxRow = z
  .object({
    id: z.string(),
    storeId: z.string(),
    storeName: z.string(),
    region: z.string(),
    ring: z.string(),
    title: z.string(),
    status: z.string(),
    /** The desk's severity, else the store's suggestion. */
    severity: z.string(),
    severitySuggested: z.string(),
    kind: z.string().nullable(),
    assignee: z.string().nullable(),
    dueDate: z.string().nullable(),
    releaseId: z.string().nullable(),
    fixedIn: z.string().nullable(),
    duplicateOf: z.string().nullable(),
    reportedBy: z.string(),
    reportedAt: z.string(),
    updatedAt: z.string(),
    attachments: z.number().int(),
  })
  .strict();
export type InboxRow = z.infer<typeof inboxRow>;

export const inboxPage = z
  .object({ rows: z.array(inboxRow), total: z.number().int(), asOf: z.string() })
  .strict();
export type InboxPage = z.infer<typeof inboxPage>;

export const reportParams = z.object({ id: idText }).strict();

const comment = z
  .object({
    id: z.string(),
    author: z.string(),
    authorRole: z.string(),
    visibility: z.enum(COMMENT_VISIBILITIES),
    text: z.string(),
    at: z.string(),
  })
  .strict();

const attachment = z
  .object({
    sha256: z.string(),
    name: z.string(),
    mime: z.string(),
    size: z.number().int(),
    kind: z.string(),
  })
  .strict();

export const reportDetail = z
  .object({
    report: inboxRow.extend({
      description: z.string(),
      expected: z.string().nullable(),
      screen: z.string().nullable(),
      terminalId: z.string().nullable(),
      runId: z.string().nullable(),
      itemId: z.string().nullable(),
      answerText: z.string(),
    }),
    attachments: z.array(attachment),
    /** What the console knew when the report was filed (breadcrumbs, log tail, terminals…). */
    context: z.record(z.string(), z.unknown()).nullable(),
    comments: z.array(comment),
    /** The other reports merged into this one (duplicates of it). */
    duplicates: z.array(z.string()),
  })
  .strict();
export type ReportDetail = z.infer<typeof reportDetail>;

export const attachmentParams = z
  .object({
    id: idText,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase SHA-256'),
  })
  .strict();

/** One attachment of a report with its bytes (base64): the screenshot shown in the detail, a file to download. */
export const reportAttachmentFile = attachment.extend({ dataBase64: z.string() }).strict();
export type ReportAttachmentFile = z.infer<typeof reportAttachmentFile>;

export const requestsQuery = z
  .object({
    status: z.enum([...REQUEST_STATUSES, 'open', 'merged']).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_INBOX_PAGE).default(100),
  })
  .strict();
export type RequestsQuery = z.input<typeof requestsQuery>;

export const requestRow = z
  .object({
    id: z.string(),
    storeId: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    status: z.string(),
    plannedFor: z.string().nullable(),
    mergedInto: z.string().nullable(),
    filedAt: z.string(),
    updatedAt: z.string(),
    /** Stores, not clicks: one vote per store. */
    votes: z.number().int(),
    voters: z.array(z.string()),
  })
  .strict();
export type RequestRow = z.infer<typeof requestRow>;

export const requestsPage = z
  .object({ rows: z.array(requestRow), total: z.number().int(), asOf: z.string() })
  .strict();
export type RequestsPage = z.infer<typeof requestsPage>;

/** The request merge's carried votes are read by the server, never sent by the desk. */
const actionPayloads = {
  ...TRIAGE_ACTIONS,
  'feedback.request.merged': TRIAGE_ACTIONS['feedback.request.merged'].omit({ carriedVotes: true }),
};

/** One triage action: what is done to which report or request. */
export const triageAction = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('feedback.report.triaged'),
      payload: actionPayloads['feedback.report.triaged'],
    })
    .strict(),
  z
    .object({
      type: z.literal('feedback.report.status_set'),
      payload: actionPayloads['feedback.report.status_set'],
    })
    .strict(),
  z
    .object({
      type: z.literal('feedback.comment.added'),
      payload: actionPayloads['feedback.comment.added'],
    })
    .strict(),
  z
    .object({
      type: z.literal('feedback.request.status_set'),
      payload: actionPayloads['feedback.request.status_set'],
    })
    .strict(),
  z
    .object({
      type: z.literal('feedback.request.merged'),
      payload: actionPayloads['feedback.request.merged'],
    })
    .strict(),
  z
    .object({
      type: z.literal('feedback.report.merged'),
      payload: actionPayloads['feedback.report.merged'],
    })
    .strict(),
]);
export type TriageAction = z.infer<typeof triageAction>;

/** The HTTP body: who acts (a catalog user signed in at the desk) and the action. */
export const deskFeedbackAction = z.object({ actedBy: idText, action: triageAction }).strict();

export const deskFeedbackActionResult = z
  .object({ index: z.number().int(), hash: z.string(), at: z.string() })
  .strict();
export type DeskFeedbackActionResult = z.infer<typeof deskFeedbackActionResult>;
