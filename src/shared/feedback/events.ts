/**
 * Journal events of the store side of the support desk: bug reports filed
 * from the report form (or sent / discarded as drafts), feature requests,
 * votes and the store's replies. Spread into the registry of
 * src/shared/audit/eventTypes.ts; the desk's own entries are in ./triage.ts.
 */
import { z } from 'zod';
import type { EventTypeSpec } from '../audit/eventTypeSpec.ts';
import { sha256Text } from '../checklists/answers.ts';
import { ATTACHMENT_KINDS, FEATURE_REQUEST_CATEGORIES, REPORT_SEVERITIES } from './types.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
/** Anyone working in a store may report; support staff file on a store's behalf. */
const REPORTERS = ['technician', 'manager', 'support'] as const;

/** The largest attachment of a report (a full-window screenshot on a 4K screen, a crash dump). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

export const reportAttachment = z
  .object({
    sha256: sha256Text,
    name: z.string().min(1).max(200),
    mime: z
      .string()
      .min(3)
      .max(100)
      .regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/),
    size: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES),
    kind: z.enum(ATTACHMENT_KINDS),
  })
  .strict();
export type ReportAttachment = z.infer<typeof reportAttachment>;

/**
 * What the console knew when the report was filed. Never a PIN, token or key:
 * the report service builds it from named fields only (see src/main/feedback/context.ts).
 */
export const reportContext = z
  .object({
    appVersion: z.string().max(64),
    terminals: z
      .array(
        z
          .object({
            terminalId: idText,
            name: z.string().max(200),
            version: z.string().max(64).nullable(),
            releaseId: idText.nullable(),
            ring: z.string().max(64).nullable(),
          })
          .strict(),
      )
      .max(200),
    featureFlags: z.array(z.string().max(200)).max(200),
    selection: z
      .object({
        terminalId: idText.optional(),
        runId: idText.optional(),
        itemId: idText.optional(),
        deploymentId: idText.optional(),
      })
      .strict(),
    breadcrumbs: z
      .array(
        z
          .object({
            seq: z.number().int().min(1),
            at: z.string().max(40),
            type: z.string().max(100),
          })
          .strict(),
      )
      .max(50),
    logTail: z.array(z.string().max(2000)).max(200),
  })
  .strict();
export type ReportContext = z.infer<typeof reportContext>;

export const FEEDBACK_EVENT_TYPES = {
  /** A draft raised from a checklist item goes to the support desk (status new). Only its author. */
  'feedback.bug_report.sent': {
    payload: z.object({ reportId: idText }).strict(),
    roles: REPORTERS,
  },
  /** A draft withdrawn by its author: it no longer holds the go / no-go. */
  'feedback.bug_report.discarded': {
    payload: z.object({ reportId: idText }).strict(),
    roles: REPORTERS,
  },
  /** A report filed from the form: it is sent at once (status new). */
  'feedback.bug_report.filed': {
    payload: z
      .object({
        reportId: idText,
        title: z.string().min(3).max(200),
        happened: z.string().min(1).max(4000),
        expected: z.string().max(4000),
        severitySuggestion: z.enum(REPORT_SEVERITIES),
        terminalId: idText.optional(),
        /** The release the report is about (the terminal's or the run's), so the go / no-go can count it. */
        releaseId: idText.optional(),
        runId: idText.optional(),
        itemId: idText.optional(),
        screen: z.string().max(200),
        context: reportContext,
        attachments: z.array(reportAttachment).max(MAX_ATTACHMENTS),
      })
      .strict(),
    roles: REPORTERS,
  },
  'feedback.feature_request.filed': {
    payload: z
      .object({
        requestId: idText,
        title: z.string().min(3).max(200),
        description: z.string().max(4000),
        category: z.enum(FEATURE_REQUEST_CATEGORIES),
      })
      .strict(),
    roles: REPORTERS,
  },
  /** One vote per store: a second vote from the same store changes nothing. */
  'feedback.feature_request.voted': {
    payload: z.object({ requestId: idText }).strict(),
    roles: REPORTERS,
  },
  /** The store answers the desk (typically when a report needs information). */
  'feedback.reply.added': {
    payload: z.union([
      z.object({ reportId: idText, text: z.string().min(1).max(4000) }).strict(),
      z.object({ requestId: idText, text: z.string().min(1).max(4000) }).strict(),
    ]),
    roles: REPORTERS,
  },
} as const satisfies Record<string, EventTypeSpec>;
