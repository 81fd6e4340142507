/**
 * What a store console may read of the feedback read models with its device
 * token: the open feature requests of the chain (or of its region), title,
 * status and votes only, so it can suggest them offline and vote instead of
 * filing a duplicate.
 */
import { sql, type Kysely } from 'kysely';
import {
  MAX_CHAIN_REQUESTS,
  OPEN_REQUEST_STATUSES,
  chainRequestsQuery,
  type ChainRequestsResponse,
} from '../../shared/feedback/storeProtocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import { catalogStores } from '../desk/queries.ts';
import { parseInput } from '../errors.ts';

type Db = Kysely<ServerSchema>;

export async function chainRequestsOf(
  db: Db,
  storeId: string,
  query: unknown,
  now: Date,
): Promise<ChainRequestsResponse> {
  const q = parseInput(chainRequestsQuery, query, 'The feature requests query');
  let storeIds: string[] | null = null;
  if (q.scope === 'region') {
    const stores = await catalogStores(db);
    const region = stores.find((s) => s.id === storeId)?.region;
    storeIds = stores.filter((s) => s.region === region).map((s) => s.id);
  }
  const inRegion =
    storeIds === null ? sql`1 = 1` : sql`f.store_id IN (${sql.join([storeId, ...storeIds])})`;
  const rows = await sql<{
    id: string;
    title: string;
    category: string;
    status: (typeof OPEN_REQUEST_STATUSES)[number];
    planned_for: string | null;
    updated_at: string;
    votes: number | string;
    ours: number | string;
  }>`SELECT f.id, f.title, f.category, f.status, f.planned_for, f.updated_at,
      (SELECT count(*) FROM rm_feature_request_votes v WHERE v.request_id = f.id) AS votes,
      (SELECT count(*) FROM rm_feature_request_votes v WHERE v.request_id = f.id AND v.store_id = ${storeId}) AS ours
    FROM rm_feature_requests f
    WHERE f.status IN (${sql.join([...OPEN_REQUEST_STATUSES])}) AND ${inRegion}
    ORDER BY votes DESC, f.updated_at DESC, f.id LIMIT ${MAX_CHAIN_REQUESTS}`.execute(db);
  return {
    requests: rows.rows.map((r) => ({
      id: r.id,
      title: r.title,
      category: r.category,
      status: r.status,
      plannedFor: r.planned_for,
      votes: Number(r.votes),
      hasOurVote: Number(r.ours) > 0,
      updatedAt: r.updated_at,
    })),
    asOf: now.toISOString(),
  };
}
