/** Feedback channels: bug reports drafted from a failed checklist item, and their list. */
import { z } from 'zod';
import { bugSeverity, type BugReport } from '../feedback/types.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id } from './schemas.ts';

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
  'feedback:listBugReports': call<BugReport[]>()({
    input: z
      .object({ releaseId: id.optional(), storeId: id.optional(), runId: id.optional() })
      .strict(),
    access: 'signedIn',
  }),
} as const;
