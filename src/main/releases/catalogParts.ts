/**
 * The release desk's parts of the pulled catalog on the console: blocked
 * releases and this store's scheduled deployment windows. Both are small
 * (a handful of blocks, a few windows per store), so they live as JSON in
 * catalog_meta beside the PIN and update policies, replaced with the catalog.
 */
import { z } from 'zod';
import type { Catalog } from '../../shared/catalog/schema.ts';
import {
  catalogDeploymentWindow,
  catalogReleaseBlock,
  type CatalogDeploymentWindow,
  type CatalogReleaseBlock,
} from '../../shared/releases/catalogParts.ts';
import type { Db } from '../db/open.ts';

const BLOCKS_KEY = 'release_blocks';
const WINDOWS_KEY = 'deployment_windows';

function readMeta<T>(db: Db, key: string, schema: z.ZodType<T[]>): T[] {
  const row = db.sqlite.prepare('SELECT value FROM catalog_meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  if (!row) return [];
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : [];
}

export function readReleaseBlocks(db: Db): CatalogReleaseBlock[] {
  return readMeta(db, BLOCKS_KEY, z.array(catalogReleaseBlock));
}

export function readDeploymentWindows(db: Db): CatalogDeploymentWindow[] {
  return readMeta(db, WINDOWS_KEY, z.array(catalogDeploymentWindow));
}

/** The catalog's release-desk parts as the console holds them, in the catalog format. */
export function readReleaseCatalogParts(
  db: Db,
): Pick<Catalog, 'releaseBlocks' | 'deploymentWindows'> {
  const releaseBlocks = readReleaseBlocks(db);
  const deploymentWindows = readDeploymentWindows(db);
  return {
    ...(releaseBlocks.length > 0 ? { releaseBlocks } : {}),
    ...(deploymentWindows.length > 0 ? { deploymentWindows } : {}),
  };
}

/** Inside loadCatalog's transaction, after catalog_meta was emptied. */
export function writeReleaseCatalogParts(db: Db, catalog: Catalog): void {
  const insert = db.sqlite.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?)');
  if (catalog.releaseBlocks?.length) insert.run(BLOCKS_KEY, JSON.stringify(catalog.releaseBlocks));
  if (catalog.deploymentWindows?.length)
    insert.run(WINDOWS_KEY, JSON.stringify(catalog.deploymentWindows));
}
