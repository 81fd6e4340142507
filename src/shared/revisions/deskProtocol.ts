/**
 * The release desk's side of revisions: every runbook and checklist
 * template with its newest revision, one document's history with diffs, and
 * a committee member's approval of a revision's content hash (a desk action
 * of the central log naming the approver).
 */
import { z } from 'zod';
import { REVISION_KINDS, approveRevisionInput, revisionView } from './revisions.ts';

export const REVISION_DESK_ROUTES = {
  deskRevisionDocuments: { method: 'GET', url: '/v1/desk/revision-documents', auth: 'desk' },
  deskRevisions: { method: 'GET', url: '/v1/desk/revisions', auth: 'desk' },
  deskApproveRevision: { method: 'POST', url: '/v1/desk/revisions/approve', auth: 'desk' },
} as const;

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');

/** POST /v1/desk/revisions/approve: the acting catalog user signs the content hash. */
export const deskApproveRevisionRequest = approveRevisionInput.extend({ actedBy: idText }).strict();

/** One runbook or checklist template, by its newest revision. */
export const revisionDocument = z
  .object({
    kind: z.enum(REVISION_KINDS),
    docId: z.string(),
    /** The template's name, or the runbook's release version. */
    title: z.string(),
    latestNumber: z.number().int(),
    /** The newest approved revision: what consoles run. Null while none is. */
    approvedNumber: z.number().int().nullable(),
    /** Revisions still waiting for approvals. */
    waitingCount: z.number().int(),
  })
  .strict();
export type RevisionDocument = z.infer<typeof revisionDocument>;

export const deskRevisionDocuments = z.object({ documents: z.array(revisionDocument) }).strict();
export type DeskRevisionDocuments = z.infer<typeof deskRevisionDocuments>;

/** A document's revisions, newest first, and who may approve them (the committee that applies). */
export const deskRevisions = z
  .object({
    revisions: z.array(revisionView),
    /** User ids of the committee whose members approve this document; empty: no committee set. */
    approvers: z.array(z.string()),
  })
  .strict();
export type DeskRevisions = z.infer<typeof deskRevisions>;
