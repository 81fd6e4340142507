/**
 * What consoles need to check revisions themselves, made sure of at start-up:
 * every stored revision as a `documentRevision` catalog change (revisions
 * recorded before they were announced would otherwise never reach a console,
 * which then treats the document as unrecorded and lets it run), and the
 * server's approval rule as the `revisionPolicy` catalog change, so that with
 * approvals required a console refuses a document that has no approved
 * revision at all. Idempotent: a revision already announced and an unchanged
 * rule write nothing, so every start may run it.
 */
import type { Kysely } from 'kysely';
import {
  REVISION_POLICY_ID,
  catalogRevisionPolicy,
  documentRevisionId,
  type CatalogRevisionPolicy,
} from '../../shared/revisions/gate.ts';
import type { RevisionKind } from '../../shared/revisions/revisions.ts';
import { recordChanges, type ChangeRow } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import { revisionChange } from './service.ts';

type Db = Kysely<ServerSchema>;

/** Announces unannounced revisions and a changed approval rule, in one transaction; returns the changes written. */
export async function announceRevisionRecords(
  db: Db,
  requiredApprovals: number,
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const announced = new Set(
      (
        await trx
          .selectFrom('catalog_changes')
          .select('entity_id')
          .where('entity', '=', 'documentRevision')
          .execute()
      ).map((r) => r.entity_id),
    );
    const stored = await trx
      .selectFrom('document_revisions')
      .select(['kind', 'doc_id', 'number'])
      .orderBy('kind')
      .orderBy('doc_id')
      .orderBy('number')
      .execute();
    const changes: ChangeRow[] = [];
    for (const row of stored) {
      const revision = {
        kind: row.kind as RevisionKind,
        docId: row.doc_id,
        number: Number(row.number),
      };
      if (!announced.has(documentRevisionId(revision)))
        changes.push(await revisionChange(trx, revision.kind, revision.docId, revision.number));
    }
    const last = await trx
      .selectFrom('catalog_changes')
      .select('value')
      .where('entity', '=', 'revisionPolicy')
      .orderBy('cursor', 'desc')
      .limit(1)
      .executeTakeFirst();
    const previous = last?.value
      ? catalogRevisionPolicy.safeParse(JSON.parse(last.value)).data
      : undefined;
    // Without approvals and never announced, consoles already assume none: nothing to say.
    if ((previous?.requiredApprovals ?? 0) !== requiredApprovals) {
      const policy: CatalogRevisionPolicy = { requiredApprovals };
      changes.push({
        entity: 'revisionPolicy',
        entity_id: REVISION_POLICY_ID,
        op: 'upsert',
        store_id: null,
        value: JSON.stringify(policy),
      });
    }
    await recordChanges(trx, changes, now);
    return changes.length;
  });
}
