/**
 * The log feature's routes (DESIGN.md §5, "Log endpoints"): public like a
 * transparency log's (they reveal no store data), except the entries
 * themselves, which need an auditor or admin token.
 */
import {
  MAX_LOG_ENTRIES_PAGE,
  PROTOCOL_ROUTES,
  consistencyProof as consistencyProofResponse,
  consistencyQuery,
  entriesQuery,
  inclusionProof as inclusionProofResponse,
  inclusionQuery,
  logEntriesResponse,
  logKeyResponse,
  signedTreeHead,
  type WireEvent,
} from '../../shared/sync/protocol.ts';
import { ServerError } from '../errors.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import { consistencyProof, inclusionProof, latestTreeHead, readLogHead } from './merkleLog.ts';

export const logRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, key, now } = ctx;

  app.route({
    ...routeOf(PROTOCOL_ROUTES.logKey),
    schema: {
      ...describe(PROTOCOL_ROUTES.logKey, 'log', "The log's id and Ed25519 public key"),
      querystring: noQuery,
      response: { 200: logKeyResponse, ...errorResponses },
    },
    handler: () => Promise.resolve({ logId: key.logId, publicKey: key.publicKey }),
  });

  app.route({
    ...routeOf(PROTOCOL_ROUTES.treeHead),
    schema: {
      ...describe(PROTOCOL_ROUTES.treeHead, 'log', 'The latest signed tree head'),
      querystring: noQuery,
      response: { 200: signedTreeHead, ...errorResponses },
    },
    handler: () => latestTreeHead(db, key, now),
  });

  app.route({
    ...routeOf(PROTOCOL_ROUTES.inclusion),
    schema: {
      ...describe(PROTOCOL_ROUTES.inclusion, 'log', 'RFC 9162 inclusion proof'),
      querystring: inclusionQuery,
      response: { 200: inclusionProofResponse, ...errorResponses },
    },
    handler: (request) => inclusionProof(db, request.query.index, request.query.size),
  });

  app.route({
    ...routeOf(PROTOCOL_ROUTES.consistency),
    schema: {
      ...describe(PROTOCOL_ROUTES.consistency, 'log', 'RFC 9162 consistency proof'),
      querystring: consistencyQuery,
      response: { 200: consistencyProofResponse, ...errorResponses },
    },
    handler: (request) => consistencyProof(db, request.query.first, request.query.second),
  });

  app.route({
    ...routeOf(PROTOCOL_ROUTES.entries),
    schema: {
      ...describe(PROTOCOL_ROUTES.entries, 'log', 'Log entries [start, end), each event as hashed'),
      querystring: entriesQuery,
      response: { 200: logEntriesResponse, ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const head = await readLogHead(db);
      if (q.start >= q.end || q.end > head.size || q.end - q.start > MAX_LOG_ENTRIES_PAGE) {
        throw new ServerError(
          'invalid_input',
          `Ask for 1 to ${MAX_LOG_ENTRIES_PAGE} entries with start < end ≤ ${head.size} (the log's size); got [${q.start}, ${q.end}).`,
        );
      }
      const rows = await db
        .selectFrom('log_entries')
        .select(['idx', 'body', 'hash'])
        .where('idx', '>=', q.start)
        .where('idx', '<', q.end)
        .orderBy('idx')
        .execute();
      return {
        entries: rows.map((r) => ({
          index: Number(r.idx),
          event: { ...(JSON.parse(r.body) as object), hash: r.hash } as WireEvent,
        })),
      };
    },
  });
  return Promise.resolve();
};
