/**
 * Revisions channels (console side): the history of each runbook and
 * checklist template (every published version with its number, date,
 * author, content hash, approvals and diff) and whether a run may start on
 * the content this console holds. A store console reads what its catalog
 * carries; a release desk reads the central server, where a committee
 * member signed in at the desk approves a revision's content hash.
 */
import { z } from 'zod';
import type { RevisionGate } from '../revisions/gate.ts';
import type { DeskRevisionDocuments, DeskRevisions } from '../revisions/deskProtocol.ts';
import { REVISION_KINDS, type DiffLine, type RevisionKind } from '../revisions/revisions.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';

export type { DeskRevisionDocuments, DeskRevisions };

/** A runbook or checklist template this console holds, with the verdict of its start check. */
export type RevisionDocumentView = {
  kind: RevisionKind;
  docId: string;
  /** The template's name, or the runbook's release version. */
  title: string;
  /** The release a runbook belongs to; null for a template. */
  releaseId: string | null;
  gate: RevisionGate;
};

/** One version as the history screen shows it (from the catalog or from the central server). */
export type RevisionRow = {
  number: number;
  publishedAt: string;
  authorId: string;
  contentHash: string;
  requiredApprovals: number;
  approvals: Array<{ approverId: string; approvedAt: string }>;
  /** Approvers other than the author, each once: what counts towards the requirement. */
  approvalCount: number;
  diff: DiffLine[];
};

export type RevisionHistory = {
  kind: RevisionKind;
  docId: string;
  title: string;
  /** Newest first. */
  revisions: RevisionRow[];
  /** The revision whose content this console holds (null: none, or not this console's to say). */
  heldNumber: number | null;
};

const docInput = z
  .object({ kind: z.enum(REVISION_KINDS), docId: z.string().min(1).max(64) })
  .strict();

export const revisionsContract = {
  /** Every runbook and checklist template in this console's catalog, with its start check. */
  'revisions:documents': call<RevisionDocumentView[]>()({
    input: z.object({}).strict(),
    access: 'signedIn',
  }),
  /** One document's versions as this console's catalog carries them, newest first. */
  'revisions:history': call<RevisionHistory>()({ input: docInput, access: 'signedIn' }),
  /** Every runbook and checklist template with revisions, from the central server (release desk). */
  'revisions:deskDocuments': call<DeskRevisionDocuments>()({
    input: z.object({}).strict(),
    access: CHANNEL_ACCESS['revisions:deskDocuments'],
  }),
  /** One document's versions from the central server, and the committee that approves them. */
  'revisions:deskHistory': call<DeskRevisions>()({
    input: docInput,
    access: CHANNEL_ACCESS['revisions:deskHistory'],
  }),
  /** The person signed in at this desk signs a revision's content hash (the server checks the committee). */
  'revisions:approve': call<DeskRevisions>()({
    input: docInput
      .extend({
        number: z.number().int().min(1),
        contentHash: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'a content hash is 64 lowercase hex digits'),
      })
      .strict(),
    access: CHANNEL_ACCESS['revisions:approve'],
  }),
} as const;
