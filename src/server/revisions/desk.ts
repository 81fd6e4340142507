/**
 * Revisions at the release desk: the documents and their histories (any
 * desk reads them: they hold no store data), and a committee member's
 * approval of a revision's content hash. The approval is a desk action of
 * the central log (`revision.approved`, naming the approver and the desk);
 * every check runs before anything is written, so a refusal leaves the log,
 * the tree head and the catalog as they were.
 */
import type { Kysely, Transaction } from 'kysely';
import type {
  DeskRevisionDocuments,
  DeskRevisions,
  RevisionDocument,
} from '../../shared/revisions/deskProtocol.ts';
import { deskApproveRevisionRequest } from '../../shared/revisions/deskProtocol.ts';
import {
  revisionsQuery,
  type RevisionKind,
  type RevisionView,
} from '../../shared/revisions/revisions.ts';
import { parseFields } from '../catalog/deployments.ts';
import type { ServerSchema } from '../db/schema.ts';
import { appendDeskAction, checkDeskAction } from '../desk/actions.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead, readLogHead } from '../log/merkleLog.ts';
import { DEFAULT_COMMITTEE_ID, committeeFor } from '../releaseDesk/evidence.ts';
import { listRevisions, revisionToApprove, signRevision } from './service.ts';

type Db = Kysely<ServerSchema>;
type Trx = Transaction<ServerSchema>;

/**
 * The committee whose members approve a document: a runbook's release
 * committee (or the default one), the default committee for a template,
 * which serves every release.
 */
async function approversOf(db: Db, kind: RevisionKind, content: string): Promise<string[]> {
  const releaseId =
    kind === 'runbook'
      ? (JSON.parse(content) as { releaseId: string }).releaseId
      : DEFAULT_COMMITTEE_ID;
  return (await committeeFor(db, releaseId))?.committee.approvers ?? [];
}

/** Every runbook and checklist template with revisions, by its newest one. */
export async function deskRevisionDocuments(db: Db): Promise<DeskRevisionDocuments> {
  const rows = await db
    .selectFrom('document_revisions')
    .select(['kind', 'doc_id', 'number', 'content', 'approved_at'])
    .orderBy('kind')
    .orderBy('doc_id')
    .orderBy('number', 'desc')
    .execute();
  const versions = new Map(
    (await db.selectFrom('releases').select(['id', 'data']).execute()).map((r) => [
      r.id,
      (JSON.parse(r.data) as { version: string }).version,
    ]),
  );
  const documents = new Map<string, RevisionDocument>();
  for (const row of rows) {
    const key = `${row.kind}/${row.doc_id}`;
    const seen = documents.get(key);
    if (seen) {
      if (row.approved_at === null) seen.waitingCount++;
      else seen.approvedNumber ??= Number(row.number);
      continue;
    }
    const kind = row.kind as RevisionKind;
    const content = JSON.parse(row.content) as { name?: string; releaseId?: string };
    documents.set(key, {
      kind,
      docId: row.doc_id,
      title:
        kind === 'runbook'
          ? (versions.get(content.releaseId ?? '') ?? content.releaseId ?? row.doc_id)
          : (content.name ?? row.doc_id),
      latestNumber: Number(row.number),
      approvedNumber: row.approved_at === null ? null : Number(row.number),
      waitingCount: row.approved_at === null ? 1 : 0,
    });
  }
  return { documents: [...documents.values()] };
}

/** One document's revisions, newest first, with the committee that approves them. */
export async function deskRevisions(db: Db, query: unknown): Promise<DeskRevisions> {
  const q = parseFields(revisionsQuery, query, 'The revisions query');
  const revisions = await listRevisions(db, q);
  const newest = await db
    .selectFrom('document_revisions')
    .select('content')
    .where('kind', '=', q.kind)
    .where('doc_id', '=', q.docId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    revisions,
    approvers: newest ? await approversOf(db, q.kind, newest.content) : [],
  };
}

/**
 * A committee member signs a revision's content hash at the release desk.
 * Refused, with nothing stored: a desk that is not a release desk or whose
 * scope is not 'all' (403), an acting user who is unknown, revoked, not an
 * administrator or not on the committee (403 actor_denied), an unknown
 * revision (404), a hash that is not the revision's (422), the author's own
 * approval (403), a second approval by the same person (409).
 */
export async function deskApproveRevision(
  ctx: { db: Db; key: LogKey; now: Date },
  desk: DeskPrincipal,
  input: unknown,
): Promise<RevisionView> {
  const req = parseFields(deskApproveRevisionRequest, input, 'The approval');
  const approval = {
    kind: req.kind,
    docId: req.docId,
    number: req.number,
    contentHash: req.contentHash,
  };
  await ctx.db.transaction().execute(async (trx: Trx) => {
    await lockLogHead(trx);
    const action = {
      desk,
      allowedDeskRoles: ['release'] as const,
      actedBy: req.actedBy,
      allowedUserRoles: ['admin'] as const,
      storeId: null,
    };
    await checkDeskAction(trx, action);
    if (desk.scope.kind !== 'all')
      throw new ServerError(
        'scope_denied',
        "A runbook or checklist template serves every store: approving one needs a release desk whose scope is 'all'.",
      );
    const revision = await revisionToApprove(trx, approval);
    const approvers = await approversOf(trx, req.kind, revision.content);
    if (!approvers.includes(req.actedBy))
      throw new ServerError(
        'actor_denied',
        approvers.length === 0
          ? 'No release committee is set, so nobody may approve revisions at the desk yet.'
          : `User ${req.actedBy} is not on the release committee that approves this ${req.kind === 'runbook' ? 'runbook' : 'checklist template'}.`,
      );
    // The log lock is held: the approval's entry gets the current size as its index.
    const { size } = await readLogHead(trx);
    await signRevision(trx, approval, req.actedBy, ctx.now, size);
    await appendDeskAction(trx, ctx.key, {
      ...action,
      type: 'revision.approved',
      payload: approval,
      at: ctx.now,
    });
  });
  const [view] = await listRevisions(ctx.db, { kind: req.kind, docId: req.docId }, req.number);
  return view!;
}
