/**
 * Feature requests from the store: filed (which is also the store's vote),
 * voted for (one vote per store: a second changes nothing and records
 * nothing), and suggested while the person types, by SQLite FTS5 over the
 * requests this console knows, so the store votes instead of filing a
 * duplicate.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors.ts';
import type { RequestSuggestion } from '../../shared/feedback/types.ts';
import type { Journal } from '../audit/journal.ts';
import type { Actor } from '../checklists/service.ts';
import type { Db } from '../db/open.ts';
import { recordFeedbackEvent } from './record.ts';

export type FeatureRequestService = {
  suggest(text: string, actor: Actor): RequestSuggestion[];
  file(
    input: { title: string; description: string; category: string; storeId?: string | undefined },
    actor: Actor,
  ): { id: string };
  vote(requestId: string, actor: Actor, storeId?: string): { id: string; isNewVote: boolean };
};

const MAX_SUGGESTIONS = 5;

type SuggestionRow = Omit<RequestSuggestion, 'hasOurVote'> & { hasOurVote: number };

/** Words of the typed text as FTS5 prefix terms, quoted: the person's punctuation is never query syntax. */
function matchQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 8)
    .map((w) => `"${w}"*`)
    .join(' OR ');
}

export function createFeatureRequestService(deps: {
  db: Db;
  journal: Journal;
  deviceStoreId: () => string | null;
}): FeatureRequestService {
  const { db, journal } = deps;

  function storeOf(actor: Actor, storeId?: string): string {
    const store =
      storeId ?? deps.deviceStoreId() ?? (actor.storeIds.length === 1 ? actor.storeIds[0]! : null);
    if (store === null)
      throw new AppError(
        'invalid_input',
        'Choose the store this request is for. Nothing was filed.',
      );
    if (actor.storeIds.length > 0 && !actor.storeIds.includes(store))
      throw new AppError('forbidden', 'You are not assigned to this store.');
    return store;
  }

  return {
    suggest(text, actor) {
      const query = matchQuery(text);
      if (query === null) return [];
      const store = deps.deviceStoreId() ?? actor.storeIds[0] ?? '';
      // This store's own requests (from its journal and feed) and the chain's as last fetched,
      // each ranked by FTS5; the same request in both is one suggestion.
      const own = db.sqlite
        .prepare(
          `SELECT f.id, f.title, f.status,
             max((SELECT count(*) FROM feature_request_votes v WHERE v.request_id = f.id), coalesce(c.votes, 0)) AS votes,
             EXISTS (SELECT 1 FROM feature_request_votes v WHERE v.request_id = f.id AND v.store_id = ?) AS hasOurVote
           FROM feature_requests_fts JOIN feature_requests f ON f.rowid = feature_requests_fts.rowid
           LEFT JOIN chain_feature_requests c ON c.id = f.id
           WHERE feature_requests_fts MATCH ? AND f.status NOT IN ('declined', 'merged', 'shipped')
           ORDER BY rank LIMIT ${MAX_SUGGESTIONS}`,
        )
        .all(store, query) as SuggestionRow[];
      const chain = db.sqlite
        .prepare(
          `SELECT c.id, c.title, c.status,
             c.votes + (NOT c.has_our_vote AND EXISTS (SELECT 1 FROM feature_request_votes v WHERE v.request_id = c.id AND v.store_id = ?)) AS votes,
             c.has_our_vote OR EXISTS (SELECT 1 FROM feature_request_votes v WHERE v.request_id = c.id AND v.store_id = ?) AS hasOurVote
           FROM chain_feature_requests_fts JOIN chain_feature_requests c ON c.rowid = chain_feature_requests_fts.rowid
           WHERE chain_feature_requests_fts MATCH ?
             AND NOT EXISTS (SELECT 1 FROM feature_requests f WHERE f.id = c.id)
           ORDER BY rank LIMIT ${MAX_SUGGESTIONS}`,
        )
        .all(store, store, query) as SuggestionRow[];
      return [...own, ...chain]
        .slice(0, MAX_SUGGESTIONS)
        .map((r) => ({ ...r, votes: Number(r.votes), hasOurVote: r.hasOurVote === 1 }));
    },
    file(input, actor) {
      const storeId = storeOf(actor, input.storeId);
      const requestId = uuidv7();
      recordFeedbackEvent(db, journal, {
        type: 'feedback.feature_request.filed',
        storeId,
        actor: { userId: actor.session.user.id, role: actor.session.user.role },
        payload: {
          requestId,
          title: input.title,
          description: input.description,
          category: input.category as never,
        },
      });
      return { id: requestId };
    },
    vote(requestId, actor, forStore) {
      const storeId = storeOf(actor, forStore);
      const known = db.sqlite
        .prepare(
          `SELECT status FROM feature_requests WHERE id = ?
           UNION ALL SELECT status FROM chain_feature_requests WHERE id = ? LIMIT 1`,
        )
        .get(requestId, requestId) as { status: string } | undefined;
      if (!known)
        throw new AppError(
          'not_found',
          'This feature request is not known on this console. Nothing was recorded.',
        );
      if (known.status === 'declined' || known.status === 'merged')
        throw new AppError(
          'conflict',
          'This feature request is closed (declined or merged), so it takes no votes. Nothing was recorded.',
        );
      const voted = db.sqlite
        .prepare('SELECT 1 FROM feature_request_votes WHERE request_id = ? AND store_id = ?')
        .get(requestId, storeId);
      // One vote per store: a second click records nothing.
      if (voted) return { id: requestId, isNewVote: false };
      recordFeedbackEvent(db, journal, {
        type: 'feedback.feature_request.voted',
        storeId,
        actor: { userId: actor.session.user.id, role: actor.session.user.role },
        payload: { requestId },
      });
      return { id: requestId, isNewVote: true };
    },
  };
}
