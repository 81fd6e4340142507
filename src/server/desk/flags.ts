/**
 * The flags a store runs, as the desk sees them: the catalog's feature flags
 * as that store's console received them (the catalog changes for every store
 * and for this store, replayed in cursor order) overlaid by the change
 * requests approved for the store in the read models, through the same
 * shared function the console uses.
 */
import type { Kysely } from 'kysely';
import type { ChangeRequest } from '../../shared/deployments/changeRequests.ts';
import type { CatalogFeatureFlag } from '../../shared/deployments/runbook.ts';
import type { Ring } from '../../shared/domain/releases.ts';
import { deskStoreParams } from '../../shared/desk/protocol.ts';
import {
  deskStoreFlagsQuery,
  effectiveFlagValues,
  type DeskStoreFlags,
} from '../../shared/releases/flags.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput } from '../errors.ts';
import { storeInScope, type DeskPrincipal } from './queries.ts';

type Db = Kysely<ServerSchema>;

/** The release's flags as the store's console holds them after its last catalog pull. */
async function catalogFlagsOfStore(
  db: Db,
  releaseId: string,
  storeId: string,
): Promise<CatalogFeatureFlag[]> {
  const rows = await db
    .selectFrom('catalog_changes')
    .select(['entity_id', 'op', 'value'])
    .where('entity', '=', 'featureFlag')
    .where((eb) => eb.or([eb('store_id', 'is', null), eb('store_id', '=', storeId)]))
    .orderBy('cursor')
    .execute();
  const prefix = `${releaseId}/`;
  const flags = new Map<string, CatalogFeatureFlag>();
  for (const row of rows) {
    if (!row.entity_id.startsWith(prefix)) continue;
    if (row.op === 'delete' || row.value === null) flags.delete(row.entity_id);
    else flags.set(row.entity_id, JSON.parse(row.value) as CatalogFeatureFlag);
  }
  return [...flags.values()];
}

export async function storeFlags(
  db: Db,
  principal: DeskPrincipal,
  params: unknown,
  query: unknown,
  now: Date,
): Promise<DeskStoreFlags> {
  const { storeId } = parseInput(deskStoreParams, params, 'The store');
  const { releaseId } = parseInput(deskStoreFlagsQuery, query, 'The flags query');
  const store = await storeInScope(db, principal, storeId);
  const [flags, requests] = await Promise.all([
    catalogFlagsOfStore(db, releaseId, storeId),
    db
      .selectFrom('rm_change_requests')
      .select('data')
      .where('store_id', '=', storeId)
      .where('release_id', '=', releaseId)
      .where('kind', '=', 'feature_flag_change')
      .execute(),
  ]);
  return {
    storeId,
    releaseId,
    flags: effectiveFlagValues(
      flags,
      releaseId,
      { id: storeId, ring: store.ring as Ring },
      requests.map((r) => JSON.parse(r.data) as ChangeRequest),
    ),
    asOf: now.toISOString(),
  };
}
