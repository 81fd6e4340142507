/** Feedback channels: bug reports drafted from a failed checklist item, and their list. */
import { z } from 'zod';
import { reportAttachment, reportContext, type ReportContext } from '../feedback/events.ts';
import {
  ATTACHMENT_KINDS,
  FEATURE_REQUEST_CATEGORIES,
  bugSeverity,
  reportSeverity,
  type BugReport,
  type FiledBugReport,
  type OurBugReport,
  type OurFeatureRequest,
  type RequestSuggestion,
} from '../feedback/types.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { rule } from './rules.ts';
import { id } from './schemas.ts';

const subject = {
  storeId: id.optional(),
  terminalId: id.optional(),
  runId: id.optional(),
  selection: reportContext.shape.selection,
  includeBreadcrumbs: z.boolean(),
  includeLog: z.boolean(),
};

/** A feature request's title: the rules' words, so the form shows what the back end would answer. */
const requestTitle = z
  .string()
  .trim()
  .refine(
    (text) => text.length >= 3,
    rule('title_too_short', 'Give a title of at least 3 characters.', { minimum: 3 }),
  )
  .refine(
    (text) => text.length <= 200,
    rule('text_too_long', 'Keep it under 200 characters.', { maximum: 200 }),
  );

/** What `feedback:fileFeatureRequest` accepts; the feature request form validates with it before sending. */
export const featureRequestInput = z
  .object({
    title: requestTitle,
    description: z
      .string()
      .trim()
      .refine(
        (text) => text.length <= 4000,
        rule('text_too_long', 'Keep it under 4,000 characters.', { maximum: 4000 }),
      ),
    category: z
      .string()
      .refine(
        (value) => (FEATURE_REQUEST_CATEGORIES as readonly string[]).includes(value),
        rule('category_required', 'Choose a category.'),
      )
      .pipe(z.enum(FEATURE_REQUEST_CATEGORIES)),
    storeId: id.optional(),
  })
  .strict();

/** One piece of an attachment: at most 512 KB of bytes, so a call stays under the transport's 1 MB. */
export const ATTACHMENT_PIECE_BYTES = 512 * 1024;

export const feedbackContract = {
  /** Files a draft bug report from a failed (or blocked) item, context filled in from the run. */
  'feedback:draftBugReport': call<BugReport>()({
    input: z
      .object({
        runId: id,
        terminalId: id,
        itemId: id,
        severity: bugSeverity.optional(),
        title: z.string().trim().min(3).max(200).optional(),
        description: z.string().trim().max(4000).optional(),
      })
      .strict(),
    access: CHANNEL_ACCESS['feedback:draftBugReport'],
  }),
  /** Sends a draft to the support desk (status new); only the person who drafted it. */
  'feedback:sendDraft': call<BugReport>()({
    input: z.object({ reportId: id }).strict(),
    access: CHANNEL_ACCESS['feedback:sendDraft'],
  }),
  /** Withdraws a draft (it no longer holds the go / no-go); only the person who drafted it. */
  'feedback:discardDraft': call<BugReport>()({
    input: z.object({ reportId: id }).strict(),
    access: CHANNEL_ACCESS['feedback:discardDraft'],
  }),
  /**
   * Appends one piece of an attachment being staged (uploadId chosen by the
   * form); the last piece stores the file content-addressed and returns its
   * SHA-256. A wrong offset answers `conflict` with the size held, to resume.
   */
  'feedback:putAttachmentPiece': call<
    { isComplete: false; received: number } | { isComplete: true; received: number; sha256: string }
  >()({
    input: z
      .object({
        uploadId: z.uuid(),
        offset: z.number().int().min(0),
        dataBase64: z
          .string()
          .max(Math.ceil((ATTACHMENT_PIECE_BYTES * 4) / 3) + 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
        isLast: z.boolean(),
      })
      .strict(),
    access: CHANNEL_ACCESS['feedback:putAttachmentPiece'],
  }),
  /** The context a report filed now would carry, shown in the form before sending. */
  'feedback:previewContext': call<ReportContext>()({
    input: z.object(subject).strict(),
    access: 'signedIn',
  }),
  /** Files a bug report from the form (sent at once: status new), with its attachments and context. */
  'feedback:fileBugReport': call<FiledBugReport>()({
    input: z
      .object({
        ...subject,
        itemId: id.optional(),
        title: z.string().trim().min(3).max(200),
        happened: z.string().trim().min(1).max(4000),
        expected: z.string().trim().max(4000),
        severitySuggestion: reportSeverity,
        screen: z.string().max(200),
        attachments: z
          .array(reportAttachment.omit({ size: true }).extend({ kind: z.enum(ATTACHMENT_KINDS) }))
          .max(10),
        crashDumps: z.array(z.string().min(1).max(300)).max(10),
      })
      .strict(),
    access: CHANNEL_ACCESS['feedback:fileBugReport'],
  }),
  /** "Our reports": the store's bug reports and feature requests, with the desk's comments (offline too). */
  'feedback:ourReports': call<{ reports: OurBugReport[]; requests: OurFeatureRequest[] }>()({
    input: z.object({}).strict(),
    access: 'signedIn',
  }),
  /** The store answers the desk on a report or a request (typically when it needs information). */
  'feedback:reply': call<{ reports: OurBugReport[]; requests: OurFeatureRequest[] }>()({
    input: z
      .object({
        reportId: id.optional(),
        requestId: id.optional(),
        text: z.string().trim().min(1).max(4000),
      })
      .strict(),
    access: CHANNEL_ACCESS['feedback:reply'],
  }),
  /** Requests this console knows that match the typed words (FTS5), to vote instead of filing a duplicate. */
  'feedback:suggestRequests': call<RequestSuggestion[]>()({
    input: z.object({ text: z.string().max(400) }).strict(),
    access: 'signedIn',
  }),
  /** Files a feature request for the store (filing is the store's vote too). */
  'feedback:fileFeatureRequest': call<{ id: string }>()({
    input: featureRequestInput,
    access: CHANNEL_ACCESS['feedback:fileFeatureRequest'],
  }),
  /** The store's vote for a request; a second vote from the same store changes nothing. */
  'feedback:voteFeatureRequest': call<{ id: string; isNewVote: boolean }>()({
    input: z.object({ requestId: id, storeId: id.optional() }).strict(),
    access: CHANNEL_ACCESS['feedback:voteFeatureRequest'],
  }),
  'feedback:listBugReports': call<BugReport[]>()({
    input: z
      .object({ releaseId: id.optional(), storeId: id.optional(), runId: id.optional() })
      .strict(),
    access: 'signedIn',
  }),
} as const;
