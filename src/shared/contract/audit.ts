/**
 * Audit channels on the console: re-verifying the local journal, what the
 * console knows of the central log, pages of the journal, and the journal's
 * verifiable export.
 */
import { z } from 'zod';
import type { JournalVerification } from '../audit/journalVerification.ts';
import { call } from './define.ts';
import { empty } from './schemas.ts';

export type AuditStatus = {
  journal: {
    count: number;
    headSeq: number | null;
    headHash: string | null;
    lastAt: string | null;
  };
  isEnrolled: boolean;
  /** The highest seq the central log acknowledged. */
  ackedSeq: number;
  /** The newest tree head this console checked (signature and consistency), or null. */
  treeHead: { size: number; root: string; signedAt: string; verifiedAt: string } | null;
  /** The newest inclusion proof verified for this console's own events, or null. */
  inclusion: {
    index: number;
    hash: string;
    treeSize: number;
    root: string;
    verifiedAt: string;
  } | null;
};

export const journalEventsQuery = z
  .object({
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(500),
    type: z
      .string()
      .max(80)
      .regex(/^[a-z_.]+$/, 'an event type such as checklist.run.started')
      .optional(),
  })
  .strict();
export type JournalEventsQuery = z.infer<typeof journalEventsQuery>;

export type JournalEventRow = {
  seq: number;
  at: string;
  type: string;
  storeId: string;
  userId: string;
  hash: string;
  isSynced: boolean;
};
export type JournalEventsPage = { total: number; types: string[]; rows: JournalEventRow[] };

export const auditContract = {
  /** Re-verifies the local journal's hash chain. */
  'audit:verifyJournal': call<JournalVerification>()({ input: empty, access: 'signedIn' }),
  'audit:status': call<AuditStatus>()({ input: empty, access: 'signedIn' }),
  /** Newest first, optionally of one event type. */
  'audit:journalEvents': call<JournalEventsPage>()({
    input: journalEventsQuery,
    access: 'signedIn',
  }),
  /** The plain journal export (JSON Lines) that `npm run audit:verify` checks, for the screen to save. */
  'audit:journalExport': call<{ fileName: string; content: string }>()({
    input: empty,
    access: 'signedIn',
  }),
} as const;
