/**
 * Revisions of runbooks and checklist templates. Publishing records a new
 * revision (number, date, author, content hash, diff against the previous
 * one). With approvals required (server option `revisionApprovals`), the
 * revision is held out of the catalog until that many administrators other
 * than its author have signed its content hash: consoles never receive an
 * unapproved version, so no run can start on one. Each approval is a
 * central action of the log naming the approver; an approval whose hash is
 * not the revision's is refused (422 `revision_hash_mismatch`) and stores
 * nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import {
  revisionContentText,
  revisionDiff,
  approveRevisionInput,
  type DiffLine,
  type RevisionKind,
  type RevisionView,
} from '../../shared/revisions/revisions.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { lockLogHead, readLogHead } from '../log/merkleLog.ts';
import { sha256Hex } from '../log/keys.ts';
import { recordChanges, type ChangeRow } from '../catalog/service.ts';
import { documentRevisionId, type CatalogDocumentRevision } from '../../shared/revisions/gate.ts';
import { appendAdminAction, type AdminActedBy } from '../admins/actions.ts';

type Db = Kysely<ServerSchema>;
type Trx = Transaction<ServerSchema>;
type ApproveRevisionInput = z.infer<typeof approveRevisionInput>;

type RecordedRevision = { number: number; contentHash: string; isApproved: boolean };

/**
 * Records a published document as its next revision, inside the publish's
 * transaction. The same content as the latest revision is no new version.
 */
export async function recordRevision(
  db: Db,
  revision: {
    kind: RevisionKind;
    docId: string;
    content: unknown;
    authorId: string;
    at: Date;
    requiredApprovals: number;
  },
): Promise<RecordedRevision> {
  const contentHash = sha256Hex(revisionContentText(revision.content));
  const previous = await db
    .selectFrom('document_revisions')
    .select(['number', 'content_hash', 'content', 'approved_at'])
    .where('kind', '=', revision.kind)
    .where('doc_id', '=', revision.docId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (previous && previous.content_hash === contentHash)
    return {
      number: Number(previous.number),
      contentHash,
      isApproved: previous.approved_at !== null,
    };
  const number = previous ? Number(previous.number) + 1 : 1;
  const isApproved = revision.requiredApprovals === 0;
  await db
    .insertInto('document_revisions')
    .values({
      kind: revision.kind,
      doc_id: revision.docId,
      number,
      content_hash: contentHash,
      content: JSON.stringify(revision.content),
      diff: JSON.stringify(
        revisionDiff(previous ? (JSON.parse(previous.content) as unknown) : null, revision.content),
      ),
      author_id: revision.authorId,
      published_at: revision.at.toISOString(),
      required_approvals: revision.requiredApprovals,
      approved_at: isApproved ? revision.at.toISOString() : null,
    })
    .execute();
  await db
    .transaction()
    .execute(async (trx) =>
      recordChanges(
        trx,
        [await revisionChange(trx, revision.kind, revision.docId, number)],
        revision.at,
      ),
    );
  return { number, contentHash, isApproved };
}

/**
 * The catalog change that tells consoles about one revision (entity
 * `documentRevision`): written when it is published and again at each
 * approval, so a console can check the content it runs against the approvals.
 */
export async function revisionChange(
  trx: Db,
  kind: RevisionKind,
  docId: string,
  number: number,
): Promise<ChangeRow> {
  const [view] = await listRevisions(trx, { kind, docId }, number);
  const value: CatalogDocumentRevision = {
    kind,
    docId,
    number,
    contentHash: view!.contentHash,
    authorId: view!.authorId,
    publishedAt: view!.publishedAt,
    requiredApprovals: view!.requiredApprovals,
    approvals: view!.approvals.map((a) => ({ approverId: a.approverId, approvedAt: a.approvedAt })),
    diff: view!.diff,
  };
  return {
    entity: 'documentRevision',
    entity_id: documentRevisionId(value),
    op: 'upsert',
    store_id: null,
    value: JSON.stringify(value),
  };
}

/**
 * Publishes a runbook or checklist template through its publish service
 * (which checks it and, unless held, writes the catalog) and records the
 * revision, in the caller's transaction: held while approvals are required.
 */
export async function publishRevisioned<T extends { id: string }>(
  db: Db,
  kind: RevisionKind,
  publish: (db: Db, options: { isHeld: boolean }) => Promise<T>,
  meta: { authorId: string; at: Date; requiredApprovals: number },
): Promise<{ document: T; revision: RecordedRevision }> {
  const document = await publish(db, { isHeld: meta.requiredApprovals > 0 });
  const revision = await recordRevision(db, {
    kind,
    docId: document.id,
    content: document,
    ...meta,
  });
  return { document, revision };
}

/** The catalog change that makes an approved revision usable: what publishing writes without approvals. */
function enterCatalogChange(kind: RevisionKind, content: string): ChangeRow {
  const doc = JSON.parse(content) as { id: string; releaseId?: string };
  return kind === 'runbook'
    ? { entity: 'runbook', entity_id: doc.releaseId!, op: 'upsert', store_id: null, value: content }
    : {
        entity: 'checklistTemplate',
        entity_id: doc.id,
        op: 'upsert',
        store_id: null,
        value: content,
      };
}

/** The revision an approval names, as stored (404 when there is none): what the approver's role rules read before anything is written. */
export async function revisionToApprove(trx: Trx, req: ApproveRevisionInput) {
  const row = await trx
    .selectFrom('document_revisions')
    .selectAll()
    .where('kind', '=', req.kind)
    .where('doc_id', '=', req.docId)
    .where('number', '=', req.number)
    .executeTakeFirst();
  if (!row)
    throw new ServerError(
      'not_found',
      `There is no revision ${req.number} of ${req.kind} ${req.docId}.`,
    );
  return row;
}

/**
 * Records one approval inside the caller's transaction, which holds the log
 * lock and appends the approval's entry at `logIndex` after this returns.
 * Refused, with nothing stored: an unknown revision (404), a hash that is not
 * the revision's (422), the author approving their own (403), a second
 * approval by the same person (409). The approval that completes the count
 * puts the revision into the catalog, unless a later revision is already there.
 */
export async function signRevision(
  trx: Trx,
  req: ApproveRevisionInput,
  approverId: string,
  now: Date,
  logIndex: number,
): Promise<void> {
  const row = await revisionToApprove(trx, req);
  if (row.content_hash !== req.contentHash)
    throw new ServerError(
      'revision_hash_mismatch',
      `Revision ${req.number} of ${req.kind} ${req.docId} has content hash ${row.content_hash}, not ${req.contentHash}: the approval signs other content. Read the revision again; nothing was stored.`,
    );
  if (row.author_id === approverId)
    throw new ServerError(
      'forbidden',
      `${approverId} published revision ${req.number} and may not approve it: someone else must.`,
    );
  const already = await trx
    .selectFrom('revision_approvals')
    .select('approver_id')
    .where('kind', '=', req.kind)
    .where('doc_id', '=', req.docId)
    .where('number', '=', req.number)
    .where('approver_id', '=', approverId)
    .executeTakeFirst();
  if (already)
    throw new ServerError(
      'conflict',
      `${approverId} already approved revision ${req.number} of ${req.kind} ${req.docId}.`,
    );
  await trx
    .insertInto('revision_approvals')
    .values({
      kind: req.kind,
      doc_id: req.docId,
      number: req.number,
      approver_id: approverId,
      content_hash: req.contentHash,
      approved_at: now.toISOString(),
      log_index: logIndex,
    })
    .execute();
  const changes: ChangeRow[] = [];
  const { n } = await trx
    .selectFrom('revision_approvals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', req.kind)
    .where('doc_id', '=', req.docId)
    .where('number', '=', req.number)
    .executeTakeFirstOrThrow();
  if (row.approved_at === null && Number(n) >= Number(row.required_approvals)) {
    await trx
      .updateTable('document_revisions')
      .set({ approved_at: now.toISOString() })
      .where('kind', '=', req.kind)
      .where('doc_id', '=', req.docId)
      .where('number', '=', req.number)
      .execute();
    const later = await trx
      .selectFrom('document_revisions')
      .select('number')
      .where('kind', '=', req.kind)
      .where('doc_id', '=', req.docId)
      .where('number', '>', req.number)
      .where('approved_at', 'is not', null)
      .executeTakeFirst();
    if (!later) changes.push(enterCatalogChange(req.kind, row.content));
  }
  changes.push(await revisionChange(trx, req.kind, req.docId, req.number));
  await recordChanges(trx, changes, now);
}

/** An administrator signs a revision's content hash (admin API and CLI): see signRevision. */
export async function approveRevision(
  db: Db,
  key: LogKey,
  actedBy: AdminActedBy,
  input: unknown,
  now: Date,
): Promise<RevisionView> {
  const req = parseInput(approveRevisionInput, input, 'The approval');
  await db.transaction().execute(async (trx) => {
    await lockLogHead(trx);
    // The log lock is held: the approval's entry gets the current size as its index.
    const { size } = await readLogHead(trx);
    await signRevision(trx, req, actedBy.adminId, now, size);
    await appendAdminAction(trx, key, {
      actedBy,
      type: 'admin.revision.approved',
      at: now,
      payload: {
        kind: req.kind,
        docId: req.docId,
        number: req.number,
        contentHash: req.contentHash,
      },
    });
  });
  const [view] = await listRevisions(db, { kind: req.kind, docId: req.docId }, req.number);
  return view!;
}

/** A document's revisions, newest first (or the one numbered `only`), with their approvals. */
export async function listRevisions(
  db: Db,
  doc: { kind: RevisionKind; docId: string },
  only?: number,
): Promise<RevisionView[]> {
  let query = db
    .selectFrom('document_revisions')
    .selectAll()
    .where('kind', '=', doc.kind)
    .where('doc_id', '=', doc.docId);
  if (only !== undefined) query = query.where('number', '=', only);
  const rows = await query.orderBy('number', 'desc').limit(100).execute();
  const approvals = await db
    .selectFrom('revision_approvals')
    .select(['number', 'approver_id', 'approved_at', 'log_index'])
    .where('kind', '=', doc.kind)
    .where('doc_id', '=', doc.docId)
    .orderBy('approved_at')
    .execute();
  return rows.map((r) => ({
    kind: doc.kind,
    docId: doc.docId,
    number: Number(r.number),
    contentHash: r.content_hash,
    publishedAt: r.published_at,
    authorId: r.author_id,
    diff: JSON.parse(r.diff) as DiffLine[],
    requiredApprovals: Number(r.required_approvals),
    approvals: approvals
      .filter((a) => Number(a.number) === Number(r.number))
      .map((a) => ({
        approverId: a.approver_id,
        approvedAt: a.approved_at,
        logIndex: Number(a.log_index),
      })),
    approvedAt: r.approved_at,
  }));
}

/**
 * Approvals raised after publishing (REVISION_APPROVALS now higher than a
 * revision was published under): the version each console runs, and every
 * version still waiting, need the new count. Each is re-announced to the
 * consoles with it, so they refuse runs until enough approvals are in; the
 * catalog keeps the version consoles have, and the approval that completes
 * the count marks it approved again. Runs at start-up, in one transaction.
 */
export async function applyRaisedApprovals(db: Db, required: number, now: Date): Promise<number> {
  if (required === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('document_revisions')
      .select(['kind', 'doc_id', 'number', 'author_id', 'approved_at'])
      .where('required_approvals', '<', required)
      .orderBy('kind')
      .orderBy('doc_id')
      .orderBy('number', 'desc')
      .execute();
    const newestApproved = new Set<string>();
    const raised: Array<{ kind: RevisionKind; docId: string; number: number; isMet: boolean }> = [];
    for (const row of rows) {
      const doc = `${row.kind}/${row.doc_id}`;
      if (row.approved_at !== null) {
        // Only the version consoles run; older approved ones are history.
        if (newestApproved.has(doc)) continue;
        newestApproved.add(doc);
        const latest = await trx
          .selectFrom('document_revisions')
          .select('number')
          .where('kind', '=', row.kind)
          .where('doc_id', '=', row.doc_id)
          .where('approved_at', 'is not', null)
          .orderBy('number', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        if (Number(latest.number) !== Number(row.number)) continue;
      }
      const approvers = await trx
        .selectFrom('revision_approvals')
        .select('approver_id')
        .where('kind', '=', row.kind)
        .where('doc_id', '=', row.doc_id)
        .where('number', '=', row.number)
        .where('approver_id', '!=', row.author_id)
        .execute();
      raised.push({
        kind: row.kind as RevisionKind,
        docId: row.doc_id,
        number: Number(row.number),
        isMet: new Set(approvers.map((a) => a.approver_id)).size >= required,
      });
    }
    for (const r of raised)
      await trx
        .updateTable('document_revisions')
        .set(
          r.isMet
            ? { required_approvals: required }
            : { required_approvals: required, approved_at: null },
        )
        .where('kind', '=', r.kind)
        .where('doc_id', '=', r.docId)
        .where('number', '=', r.number)
        .execute();
    const changes: ChangeRow[] = [];
    for (const r of raised) changes.push(await revisionChange(trx, r.kind, r.docId, r.number));
    await recordChanges(trx, changes, now);
    return raised.length;
  });
}
