/**
 * The release communication catalog parts on the console: each release's
 * risk register and its notes for store staff. Replaced with the rest of the
 * catalog (demo load or a pull), in the same transaction.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import type { CatalogReleaseRisk } from '../../shared/releases/risks.ts';
import { openRisksOf } from '../../shared/releases/risks.ts';
import type { CatalogStoreNotes } from '../../shared/releases/storeNotes.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/open.ts';

/** A catalog change of a risk or of store notes (upsert with the value, delete by id). */
export type RiskCatalogChange =
  | Extract<CatalogChange, { op: 'upsert'; entity: 'releaseRisk' | 'storeNotes' }>
  | { entity: 'releaseRisk' | 'storeNotes'; op: 'delete'; id: string };

export const RISK_CATALOG_TABLES = ['release_risks', 'release_store_notes'] as const;

/** Runs inside the catalog loader's transaction. */
export function replaceRiskCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM release_risks; DELETE FROM release_store_notes;');
  const insertRisk = db.sqlite.prepare(
    'INSERT INTO release_risks (id, release_id, data) VALUES (?, ?, ?)',
  );
  for (const r of catalog.releaseRisks ?? []) insertRisk.run(r.id, r.releaseId, JSON.stringify(r));
  const insertNotes = db.sqlite.prepare(
    'INSERT INTO release_store_notes (release_id, markdown) VALUES (?, ?)',
  );
  for (const n of catalog.storeNotes ?? []) insertNotes.run(n.releaseId, n.markdown);
}

export function readRiskCatalogParts(db: Db): Pick<Catalog, 'releaseRisks' | 'storeNotes'> {
  const releaseRisks = (
    db.sqlite.prepare('SELECT data FROM release_risks ORDER BY id').pluck().all() as string[]
  ).map((text) => JSON.parse(text) as CatalogReleaseRisk);
  const storeNotes = (
    db.sqlite
      .prepare('SELECT release_id AS releaseId, markdown FROM release_store_notes ORDER BY 1')
      .all() as CatalogStoreNotes[]
  ).map((n) => ({ releaseId: n.releaseId, markdown: n.markdown }));
  return {
    ...(releaseRisks.length > 0 ? { releaseRisks } : {}),
    ...(storeNotes.length > 0 ? { storeNotes } : {}),
  };
}

/**
 * Folds this module's catalog changes into a catalog (pure): the rest of the
 * merge is src/main/sync/catalogChanges.ts, which hands these entities here.
 */
export function mergeRiskCatalogChanges(
  base: Pick<Catalog, 'releaseRisks' | 'storeNotes'>,
  changes: readonly RiskCatalogChange[],
): Pick<Catalog, 'releaseRisks' | 'storeNotes'> {
  const risks = new Map((base.releaseRisks ?? []).map((r) => [r.id, r]));
  const notes = new Map((base.storeNotes ?? []).map((n) => [n.releaseId, n]));
  for (const change of changes) {
    const map = change.entity === 'releaseRisk' ? risks : notes;
    if (change.op === 'delete') map.delete(change.id);
    else if (change.entity === 'releaseRisk') risks.set(change.value.id, change.value);
    else notes.set(change.value.releaseId, change.value);
  }
  return {
    ...(risks.size > 0 ? { releaseRisks: [...risks.values()] } : {}),
    ...(notes.size > 0 ? { storeNotes: [...notes.values()] } : {}),
  };
}

/** The release's whole register as this console holds it. */
export function readReleaseRisks(db: Db, releaseId: string): CatalogReleaseRisk[] {
  return (
    db.sqlite
      .prepare('SELECT data FROM release_risks WHERE release_id = ? ORDER BY id')
      .pluck()
      .all(releaseId) as string[]
  ).map((text) => JSON.parse(text) as CatalogReleaseRisk);
}

/** The release's open risks, worst first: what go / no-go reviews. */
export function readOpenRisks(db: Db, releaseId: string): CatalogReleaseRisk[] {
  return openRisksOf(readReleaseRisks(db, releaseId), releaseId);
}
