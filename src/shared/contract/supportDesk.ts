/**
 * Support desk channels (console side): a console enrolled as a support desk
 * reads the inbox of bug reports in its scope and the feature requests from
 * the central read models, page by page, and triages them as the signed-in
 * user: each action is a desk action on the central server (an audited
 * server entry naming that user), sent to the report's store through its feed.
 */
import { z } from 'zod';
import {
  inboxQuery,
  requestsQuery,
  triageAction,
  type DeskFeedbackActionResult,
  type InboxPage,
  type ReportAttachmentFile,
  type ReportDetail,
  type RequestsPage,
} from '../feedback/deskProtocol.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id } from './schemas.ts';

/** A saved view: a name and the inbox filters it restores (kept per console). */
export type SupportDeskView = { name: string; filters: Record<string, string>; savedAt: string };

/** The inbox filters a saved view may hold (the same words as the query). */
const savedViewFilters = z
  .object({
    status: z.string().max(40).optional(),
    severity: z.string().max(4).optional(),
    storeId: id.optional(),
    region: z.string().max(60).optional(),
    ring: z.string().max(60).optional(),
    releaseId: id.optional(),
    assignee: id.optional(),
    olderThanDays: z
      .string()
      .regex(/^\d{1,4}$/)
      .optional(),
    q: z.string().max(200).optional(),
    sort: z.string().max(20).optional(),
  })
  .strict();

export const supportDeskContract = {
  /** A page of the inbox: filtered, searched and sorted by the central server. */
  'supportDesk:reports': call<InboxPage>()({
    input: inboxQuery,
    access: CHANNEL_ACCESS['supportDesk:reports'],
  }),
  /** One report with its attachments, context, comments and duplicates. */
  'supportDesk:report': call<ReportDetail>()({
    input: z.object({ id }).strict(),
    access: CHANNEL_ACCESS['supportDesk:report'],
  }),
  /** One attachment of a report with its bytes: the screenshot the detail shows, a file to download. */
  'supportDesk:attachment': call<ReportAttachmentFile>()({
    input: z
      .object({ reportId: id, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256') })
      .strict(),
    access: CHANNEL_ACCESS['supportDesk:attachment'],
  }),
  /** Feature requests with their votes (one per store). */
  'supportDesk:requests': call<RequestsPage>()({
    input: requestsQuery,
    access: CHANNEL_ACCESS['supportDesk:requests'],
  }),
  /** A triage action as the signed-in user (the central server checks role, user and scope). */
  'supportDesk:act': call<DeskFeedbackActionResult>()({
    input: z.object({ action: triageAction }).strict(),
    access: CHANNEL_ACCESS['supportDesk:act'],
  }),
  'supportDesk:views': call<SupportDeskView[]>()({
    input: z.object({}).strict(),
    access: CHANNEL_ACCESS['supportDesk:views'],
  }),
  'supportDesk:saveView': call<SupportDeskView[]>()({
    input: z.object({ name: z.string().trim().min(1).max(60), filters: savedViewFilters }).strict(),
    access: CHANNEL_ACCESS['supportDesk:saveView'],
  }),
  'supportDesk:deleteView': call<SupportDeskView[]>()({
    input: z.object({ name: z.string().trim().min(1).max(60) }).strict(),
    access: CHANNEL_ACCESS['supportDesk:deleteView'],
  }),
} as const;
