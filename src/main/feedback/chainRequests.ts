/**
 * The chain's open feature requests, fetched with the device token after
 * each sync (GET /v1/feedback/requests) into `chain_feature_requests`, so a
 * store console suggests other stores' requests while someone types, offline
 * too, and the store votes instead of filing a duplicate. A courtesy like
 * the consoles' names: a failed fetch is logged, keeps the last copy, and
 * never fails the sync.
 */
import {
  FEEDBACK_STORE_ROUTES,
  chainRequestsResponse,
} from '../../shared/feedback/storeProtocol.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';

export async function pullChainRequests(options: {
  db: Db;
  serverUrl: string;
  token: string;
  now: () => Date;
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
  log: Logger;
}): Promise<number> {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.serverUrl.replace(/\/+$/, '')}${FEEDBACK_STORE_ROUTES.storeFeedbackRequests.url}`;
  try {
    const response = await doFetch(url, {
      headers: { authorization: `Bearer ${options.token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { requests } = chainRequestsResponse.parse(await response.json());
    return storeChainRequests(options.db, requests, options.now().toISOString());
  } catch (error) {
    options.log.warn(
      { err: error },
      'feature requests of the chain not fetched; kept the last copy',
    );
    return 0;
  }
}

/** Replaces the cache with `requests` in one transaction: a request no longer open leaves it. */
function storeChainRequests(
  db: Db,
  requests: ReadonlyArray<{
    id: string;
    title: string;
    category: string;
    status: string;
    plannedFor: string | null;
    votes: number;
    hasOurVote: boolean;
    updatedAt: string;
  }>,
  fetchedAt: string,
): number {
  const upsert = db.sqlite.prepare(
    `INSERT INTO chain_feature_requests
       (id, title, category, status, planned_for, votes, has_our_vote, updated_at, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, category = excluded.category,
       status = excluded.status, planned_for = excluded.planned_for, votes = excluded.votes,
       has_our_vote = excluded.has_our_vote, updated_at = excluded.updated_at, fetched_at = excluded.fetched_at`,
  );
  db.sqlite
    .transaction(() => {
      db.sqlite
        .prepare(
          'DELETE FROM chain_feature_requests WHERE id NOT IN (SELECT value FROM json_each(?))',
        )
        .run(JSON.stringify(requests.map((r) => r.id)));
      for (const r of requests)
        upsert.run(
          r.id,
          r.title,
          r.category,
          r.status,
          r.plannedFor,
          r.votes,
          r.hasOurVote ? 1 : 0,
          r.updatedAt,
          fetchedAt,
        );
    })
    .immediate();
  return requests.length;
}
