/**
 * "Try the demo fleet": loads resources/demo/catalog.json, but only while the
 * console has no catalog, so the demo can never overwrite a real fleet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUpwards } from '../findUpwards.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';
import { hasCatalog, loadCatalog } from '../fleet/catalog.ts';

/** catalog_meta source of the demo fleet: its recordings belong to no real store. */
export const DEMO_CATALOG_SOURCE = 'demo';

export const DEMO_TABLES = [
  'stores',
  'terminals',
  'releases',
  'ring_targets',
  'users',
  'catalog_meta',
  'terminal_current',
  'terminal_versions',
] as const;

/**
 * Finds resources/demo/catalog.json above this module (src/main/demo in
 * development, out/main when bundled) or above the working folder. A packaged
 * app passes its resources path to createApp instead.
 */
export function findDemoCatalogFile(from?: string): string | null {
  return findUpwards((dir) => {
    const candidate = join(dir, 'resources', 'demo', 'catalog.json');
    return existsSync(candidate) ? candidate : null;
  }, from);
}

export function loadDemoCatalog(db: Db, options: { file: string | null; now: () => Date }): void {
  if (hasCatalog(db)) {
    throw new AppError(
      'conflict',
      'This console already has a catalog. The demo fleet loads only on a console with no fleet yet.',
    );
  }
  if (!options.file || !existsSync(options.file)) {
    throw new AppError(
      'unavailable',
      'The demo fleet is missing from this installation (resources/demo/catalog.json). Reinstall the console.',
    );
  }
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch (error) {
    throw new AppError(
      'unavailable',
      `The demo fleet file cannot be read (${(error as Error).message}). Reinstall the console.`,
    );
  }
  loadCatalog(db, content, { source: DEMO_CATALOG_SOURCE, now: options.now });
}
