/**
 * The console's start check on runbooks and checklist templates: a run
 * starts only on content that is a published revision with its approvals
 * (shared/revisions/gate.ts), whatever the server sent. Read where a run
 * starts (checklists, deployments) and by the screens that show why a start
 * button is disabled.
 */
import { AppError } from '../../shared/errors.ts';
import {
  revisionGate,
  revisionGateMessage,
  type RevisionGate,
} from '../../shared/revisions/gate.ts';
import type { RevisionKind } from '../../shared/revisions/revisions.ts';
import { sha256Hex } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import { readDocumentRevisions, readRevisionPolicy } from './catalog.ts';

export type RevisionRefusal = {
  refusal: 'revision_not_approved';
  kind: RevisionKind;
  docId: string;
  gate: RevisionGate;
};

/** The gate of the content this console holds for a document. */
export function documentGate(
  db: Db,
  doc: { kind: RevisionKind; docId: string; content: unknown },
): RevisionGate {
  return revisionGate(
    doc,
    readDocumentRevisions(db, doc.kind, doc.docId),
    sha256Hex,
    readRevisionPolicy(db),
  );
}

/**
 * Refuses a start on content nobody approved: `conflict` with
 * `details.refusal = 'revision_not_approved'` and the gate, so the screen
 * can say in the reader's language what is missing. Nothing is written.
 */
export function requireApprovedRevision(
  db: Db,
  doc: { kind: RevisionKind; docId: string; content: unknown },
): void {
  const gate = documentGate(db, doc);
  if (gate.isUsable) return;
  const details: RevisionRefusal = {
    refusal: 'revision_not_approved',
    kind: doc.kind,
    docId: doc.docId,
    gate,
  };
  throw new AppError('conflict', revisionGateMessage(doc.kind, gate), details);
}
