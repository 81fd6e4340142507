/**
 * What the catalog tells consoles about each published version of a runbook
 * or checklist template (its revision: number, date, author, content hash,
 * diff, approvals), and the console's own check before a run starts on one:
 * the content it holds must be a published revision's content (same hash),
 * signed by enough approvers other than its author. The server already holds
 * unapproved versions back; a console checks again so that a catalog from an
 * older server, or one whose approvals were raised after publishing, cannot
 * start a run on content nobody approved.
 */
import { z } from 'zod';
import type { Sha256Hex } from '../audit/event.ts';
import { assertNever } from '../errors.ts';
import { REVISION_KINDS, revisionContentText, type RevisionKind } from './revisions.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a content hash is 64 lowercase hex digits');
const userId = z.string().min(1).max(64);

/** One published version as the catalog carries it (entity `documentRevision`). */
export const catalogDocumentRevision = z
  .object({
    kind: z.enum(REVISION_KINDS),
    docId: z.string().min(1).max(64),
    number: z.number().int().min(1),
    contentHash: hex64,
    authorId: userId,
    publishedAt: z.string().min(1).max(40),
    requiredApprovals: z.number().int().min(0).max(50),
    approvals: z
      .array(z.object({ approverId: userId, approvedAt: z.string().min(1).max(40) }).strict())
      .max(100),
    /** The line diff against the previous version, as the server computed it (revisionDiff). */
    diff: z
      .array(z.object({ op: z.enum([' ', '+', '-']), text: z.string().max(20_000) }).strict())
      .max(20_000),
  })
  .strict();
export type CatalogDocumentRevision = z.infer<typeof catalogDocumentRevision>;

/**
 * The server's approval rule (REVISION_APPROVALS) as the catalog carries it
 * (entity `revisionPolicy`): with approvals required, a console refuses a
 * document the catalog records no approved revision of, so content published
 * outside the revision history cannot start a run. Absent means none required.
 */
export const catalogRevisionPolicy = z
  .object({ requiredApprovals: z.number().int().min(0).max(50) })
  .strict();
export type CatalogRevisionPolicy = z.infer<typeof catalogRevisionPolicy>;
/** The policy's catalog id: there is one. */
export const REVISION_POLICY_ID = 'revision-policy';

/** A revision's catalog id: `<kind>/<docId>/<number>`. */
export function documentRevisionId(r: {
  kind: RevisionKind;
  docId: string;
  number: number;
}): string {
  return `${r.kind}/${r.docId}/${r.number}`;
}

/** Distinct approvers other than the author: the author's own signature never counts. */
export function countedApprovers(revision: CatalogDocumentRevision): string[] {
  return [
    ...new Set(
      revision.approvals.map((a) => a.approverId).filter((id) => id !== revision.authorId),
    ),
  ];
}

export type RevisionGate =
  /** A published revision with enough approvals: runs may start. */
  | { status: 'approved'; isUsable: true; number: number; have: number; need: number }
  /** The content is a published revision, but approvals are missing. */
  | { status: 'waiting'; isUsable: false; number: number; have: number; need: number }
  /** The catalog records revisions of this document, and none has this content. */
  | { status: 'unknown_content'; isUsable: false; contentHash: string }
  /** No revision recorded at all (a server from before revisions, which required none). */
  | { status: 'unrecorded'; isUsable: true }
  /** No revision recorded, and the server requires approvals: nobody approved this content. */
  | { status: 'unrecorded_required'; isUsable: false; need: number };

/** The check a console makes before a run starts on a runbook or checklist template. */
export function revisionGate(
  doc: { kind: RevisionKind; docId: string; content: unknown },
  revisions: readonly CatalogDocumentRevision[],
  sha256Hex: Sha256Hex,
  policy: CatalogRevisionPolicy = { requiredApprovals: 0 },
): RevisionGate {
  const own = revisions.filter((r) => r.kind === doc.kind && r.docId === doc.docId);
  if (own.length === 0)
    return policy.requiredApprovals > 0
      ? { status: 'unrecorded_required', isUsable: false, need: policy.requiredApprovals }
      : { status: 'unrecorded', isUsable: true };
  const contentHash = sha256Hex(revisionContentText(doc.content));
  // The newest revision with this content: a document can return to earlier content.
  const match = own
    .filter((r) => r.contentHash === contentHash)
    .sort((a, b) => b.number - a.number)[0];
  if (!match) return { status: 'unknown_content', isUsable: false, contentHash };
  const have = countedApprovers(match).length;
  // A revision published under a lower rule needs the server's current count too.
  const need = Math.max(match.requiredApprovals, policy.requiredApprovals);
  return have >= need
    ? { status: 'approved', isUsable: true, number: match.number, have, need }
    : { status: 'waiting', isUsable: false, number: match.number, have, need };
}

/** The refusal in the console's words, for logs and the IPC error (the UI translates from the gate). */
export function revisionGateMessage(kind: RevisionKind, gate: RevisionGate): string {
  const what = kind === 'runbook' ? 'Runbook' : 'Checklist template';
  switch (gate.status) {
    case 'approved':
    case 'unrecorded':
      return `${what} is approved.`;
    case 'waiting': {
      const more = gate.need - gate.have;
      return `${what} v${gate.number} is waiting for ${more} more approval${more === 1 ? '' : 's'} (${gate.have} of ${gate.need}). Nothing was started.`;
    }
    case 'unknown_content':
      return `${what} content matches no published revision (hash ${gate.contentHash.slice(0, 12)}): sync again, or ask the release desk. Nothing was started.`;
    case 'unrecorded_required':
      return `${what} has no approved revision, and the central server requires ${gate.need} approval${gate.need === 1 ? '' : 's'}: sync again, or ask the release desk to publish and approve it. Nothing was started.`;
    default:
      return assertNever(gate, 'revision gate');
  }
}
