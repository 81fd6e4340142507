/**
 * The revisions part of the catalog on the console: every published version
 * of each runbook and checklist template with its approvals and diff.
 * Replaced with the rest of the catalog (demo load or a pull), in the same
 * transaction; read by the start checks (gate.ts) and the history screen.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import {
  catalogRevisionPolicy,
  documentRevisionId,
  type CatalogDocumentRevision,
  type CatalogRevisionPolicy,
} from '../../shared/revisions/gate.ts';
import type { RevisionKind } from '../../shared/revisions/revisions.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/open.ts';

export const REVISION_CATALOG_TABLES = ['document_revisions'] as const;

/** A catalog change of a revision or of the approval rule (upsert with the value, delete by id). */
export type RevisionCatalogChange =
  | Extract<CatalogChange, { op: 'upsert'; entity: 'documentRevision' | 'revisionPolicy' }>
  | { entity: 'documentRevision' | 'revisionPolicy'; op: 'delete'; id: string };

type RevisionParts = Pick<Catalog, 'documentRevisions' | 'revisionPolicy'>;

/** The server's approval rule lives in catalog_meta, which the catalog loader empties first. */
const REVISION_POLICY_META_KEY = 'revision_policy';

/** Runs inside the catalog loader's transaction, after catalog_meta was emptied. */
export function replaceRevisionCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM document_revisions;');
  const insert = db.sqlite.prepare(
    'INSERT INTO document_revisions (kind, doc_id, number, data) VALUES (?, ?, ?, ?)',
  );
  for (const r of catalog.documentRevisions ?? [])
    insert.run(r.kind, r.docId, r.number, JSON.stringify(r));
  if (catalog.revisionPolicy)
    db.sqlite
      .prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?)')
      .run(REVISION_POLICY_META_KEY, JSON.stringify(catalog.revisionPolicy));
}

/** The approval rule the loaded catalog declared, or null when it declared none. */
function readStoredPolicy(db: Db): CatalogRevisionPolicy | null {
  const row = db.sqlite
    .prepare('SELECT value FROM catalog_meta WHERE key = ?')
    .pluck()
    .get(REVISION_POLICY_META_KEY) as string | undefined;
  if (row === undefined) return null;
  const parsed = catalogRevisionPolicy.safeParse(JSON.parse(row));
  // A stored rule this version cannot read must not open the gate: one approval, the least rule that refuses.
  return parsed.success ? parsed.data : { requiredApprovals: 1 };
}

/** The approval rule the start checks apply: the catalog's, else none required (an older server). */
export function readRevisionPolicy(db: Db): CatalogRevisionPolicy {
  return readStoredPolicy(db) ?? { requiredApprovals: 0 };
}

export function readRevisionCatalogParts(db: Db): RevisionParts {
  const documentRevisions = (
    db.sqlite
      .prepare('SELECT data FROM document_revisions ORDER BY kind, doc_id, number')
      .pluck()
      .all() as string[]
  ).map((text) => JSON.parse(text) as CatalogDocumentRevision);
  const revisionPolicy = readStoredPolicy(db);
  return {
    ...(documentRevisions.length > 0 ? { documentRevisions } : {}),
    ...(revisionPolicy ? { revisionPolicy } : {}),
  };
}

/** Folds revision changes into a catalog (pure); the rest of the merge is sync/catalogChanges.ts. */
export function mergeRevisionCatalogChanges(
  base: RevisionParts,
  changes: readonly RevisionCatalogChange[],
): RevisionParts {
  const revisions = new Map((base.documentRevisions ?? []).map((r) => [documentRevisionId(r), r]));
  let policy = base.revisionPolicy;
  for (const change of changes) {
    if (change.entity === 'revisionPolicy')
      policy = change.op === 'delete' ? undefined : change.value;
    else if (change.op === 'delete') revisions.delete(change.id);
    else revisions.set(documentRevisionId(change.value), change.value);
  }
  return {
    ...(revisions.size > 0 ? { documentRevisions: [...revisions.values()] } : {}),
    ...(policy ? { revisionPolicy: policy } : {}),
  };
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
