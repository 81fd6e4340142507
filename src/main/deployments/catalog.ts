/**
 * The deployment part of the catalog: runbooks, feature flags and store
 * windows. Replaced together with the rest of the catalog (demo load or a
 * pull from the central server), in the same transaction.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import {
  deploymentCatalogProblems,
  type CatalogFeatureFlag,
  type CatalogRunbook,
} from '../../shared/deployments/runbook.ts';
import type { StoreWindows } from '../../shared/deployments/windows.ts';
import type { Db } from '../db/open.ts';

export const DEPLOYMENT_CATALOG_TABLES = [
  'deployment_runbooks',
  'feature_flags',
  'store_windows',
] as const;

/** References zod cannot check (see deploymentCatalogProblems), plus windows naming known stores. */
export function deploymentCatalogProblemsOf(catalog: Catalog): string[] {
  const problems = deploymentCatalogProblems({
    ...catalog,
    checklistTemplateIds: catalog.checklistTemplates?.map((t) => t.id),
  });
  const storeIds = new Set(catalog.stores.map((s) => s.id));
  const seen = new Set<string>();
  for (const w of catalog.storeWindows ?? []) {
    if (!storeIds.has(w.storeId)) problems.push(`store windows name unknown store ${w.storeId}`);
    if (seen.has(w.storeId)) problems.push(`store ${w.storeId} has two sets of windows`);
    seen.add(w.storeId);
  }
  return problems;
}

/** Runs inside the catalog loader's transaction. */
export function replaceDeploymentCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec(
    'DELETE FROM deployment_runbooks; DELETE FROM feature_flags; DELETE FROM store_windows;',
  );
  const insertRunbook = db.sqlite.prepare(
    'INSERT INTO deployment_runbooks (release_id, id, data) VALUES (?, ?, ?)',
  );
  for (const r of catalog.runbooks ?? []) insertRunbook.run(r.releaseId, r.id, JSON.stringify(r));
  const insertFlag = db.sqlite.prepare(
    'INSERT INTO feature_flags (release_id, key, data) VALUES (?, ?, ?)',
  );
  for (const f of catalog.featureFlags ?? []) insertFlag.run(f.releaseId, f.key, JSON.stringify(f));
  const insertWindows = db.sqlite.prepare(
    'INSERT INTO store_windows (store_id, data) VALUES (?, ?)',
  );
  for (const w of catalog.storeWindows ?? []) insertWindows.run(w.storeId, JSON.stringify(w));
}

export function readRunbook(db: Db, releaseId: string): CatalogRunbook | null {
  const text = db.sqlite
    .prepare('SELECT data FROM deployment_runbooks WHERE release_id = ?')
    .pluck()
    .get(releaseId) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as CatalogRunbook);
}

export function readFeatureFlags(db: Db, releaseId?: string): CatalogFeatureFlag[] {
  const rows = (
    releaseId === undefined
      ? db.sqlite.prepare('SELECT data FROM feature_flags ORDER BY release_id, key').pluck().all()
      : db.sqlite
          .prepare('SELECT data FROM feature_flags WHERE release_id = ? ORDER BY key')
          .pluck()
          .all(releaseId)
  ) as string[];
  return rows.map((text) => JSON.parse(text) as CatalogFeatureFlag);
}

export function readStoreWindows(db: Db, storeId: string): StoreWindows | null {
  const text = db.sqlite
    .prepare('SELECT data FROM store_windows WHERE store_id = ?')
    .pluck()
    .get(storeId) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as StoreWindows);
}

/** The deployment part of the catalog in the catalog format (for the pull's merge), omitted when empty. */
export function readDeploymentCatalogParts(
  db: Db,
): Pick<Catalog, 'runbooks' | 'featureFlags' | 'storeWindows'> {
  const runbooks = (
    db.sqlite
      .prepare('SELECT data FROM deployment_runbooks ORDER BY release_id')
      .pluck()
      .all() as string[]
  ).map((t) => JSON.parse(t) as CatalogRunbook);
  const featureFlags = readFeatureFlags(db);
  const storeWindows = (
    db.sqlite.prepare('SELECT data FROM store_windows ORDER BY store_id').pluck().all() as string[]
  ).map((t) => JSON.parse(t) as StoreWindows);
  return {
    ...(runbooks.length > 0 ? { runbooks } : {}),
    ...(featureFlags.length > 0 ? { featureFlags } : {}),
    ...(storeWindows.length > 0 ? { storeWindows } : {}),
  };
}
