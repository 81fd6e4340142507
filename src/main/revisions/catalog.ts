/**
 * The revisions part of the catalog on the console: every published version
 * of each runbook and checklist template with its approvals and diff.
 * Replaced with the rest of the catalog (demo load or a pull), in the same
 * transaction; read by the start checks (gate.ts) and the history screen.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import { documentRevisionId, type CatalogDocumentRevision } from '../../shared/revisions/gate.ts';
import type { RevisionKind } from '../../shared/revisions/revisions.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/open.ts';

export const REVISION_CATALOG_TABLES = ['document_revisions'] as const;

/** A catalog change of a revision (upsert with the value, delete by id). */
export type RevisionCatalogChange =
  | Extract<CatalogChange, { op: 'upsert'; entity: 'documentRevision' }>
  | { entity: 'documentRevision'; op: 'delete'; id: string };

/** Runs inside the catalog loader's transaction. */
export function replaceRevisionCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM document_revisions;');
  const insert = db.sqlite.prepare(
    'INSERT INTO document_revisions (kind, doc_id, number, data) VALUES (?, ?, ?, ?)',
  );
  for (const r of catalog.documentRevisions ?? [])
    insert.run(r.kind, r.docId, r.number, JSON.stringify(r));
}

export function readRevisionCatalogParts(db: Db): Pick<Catalog, 'documentRevisions'> {
  const documentRevisions = (
    db.sqlite
      .prepare('SELECT data FROM document_revisions ORDER BY kind, doc_id, number')
      .pluck()
      .all() as string[]
  ).map((text) => JSON.parse(text) as CatalogDocumentRevision);
  return documentRevisions.length > 0 ? { documentRevisions } : {};
}

/** Folds revision changes into a catalog (pure); the rest of the merge is sync/catalogChanges.ts. */
export function mergeRevisionCatalogChanges(
  base: Pick<Catalog, 'documentRevisions'>,
  changes: readonly RevisionCatalogChange[],
): Pick<Catalog, 'documentRevisions'> {
  const revisions = new Map((base.documentRevisions ?? []).map((r) => [documentRevisionId(r), r]));
  for (const change of changes) {
    if (change.op === 'delete') revisions.delete(change.id);
    else revisions.set(documentRevisionId(change.value), change.value);
  }
  return revisions.size > 0 ? { documentRevisions: [...revisions.values()] } : {};
}

/** One document's revisions as this console holds them, newest first. */
export function readDocumentRevisions(
  db: Db,
  kind: RevisionKind,
  docId: string,
): CatalogDocumentRevision[] {
  return (
    db.sqlite
      .prepare(
        'SELECT data FROM document_revisions WHERE kind = ? AND doc_id = ? ORDER BY number DESC',
      )
      .pluck()
      .all(kind, docId) as string[]
  ).map((text) => JSON.parse(text) as CatalogDocumentRevision);
}
