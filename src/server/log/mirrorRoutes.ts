/**
 * What auditors and SIEMs mirror: the tlog-tiles routes (log/tiles.ts) — the
 * checkpoint (mutable, cached for seconds), the tiles and entry bundles
 * (immutable once full), the note verifier key an auditor configures once —
 * and the entries as JSON Lines or syslog pages from a cursor (log/export.ts).
 */
import { z } from 'zod';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import { LOG_MIRROR_ROUTES } from '../routes.ts';
import { EXPORT_FORMATS, exportPage, MAX_EXPORT_PAGE } from './export.ts';
import { latestTreeHead } from './merkleLog.ts';
import { checkpointNote, noteVerifierKey, parseTilePath, TILE_WIDTH, readTile } from './tiles.ts';

const exportQuery = z
  .object({
    start: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    limit: z.coerce.number().int().min(1).max(MAX_EXPORT_PAGE).default(MAX_EXPORT_PAGE),
    format: z.enum(EXPORT_FORMATS).default('jsonl'),
  })
  .strict();

const TEXT = (description: string) => ({
  description,
  content: { 'text/plain': { schema: z.string() } },
});
const TILE_BYTES = {
  description:
    'A tile (concatenated 32-byte hashes) or an entry bundle (uint16 length-prefixed 32-byte event hashes).',
  content: { 'application/octet-stream': { schema: z.string() } },
};

export const logMirrorRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, key, now } = ctx;

  app.route({
    ...routeOf(LOG_MIRROR_ROUTES.tlogCheckpoint),
    schema: {
      ...describe(
        LOG_MIRROR_ROUTES.tlogCheckpoint,
        'log',
        'The newest tree head as a C2SP tlog-checkpoint',
      ),
      querystring: noQuery,
      response: {
        200: TEXT('A signed note: origin, size, base64 root, Ed25519 signature line.'),
        ...errorResponses,
      },
    },
    handler: async (_request, reply) => {
      const { treeHead } = await latestTreeHead(db, key, now);
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-cache, max-age=2')
        .send(checkpointNote(key, treeHead.size, treeHead.root));
    },
  });

  app.route({
    ...routeOf(LOG_MIRROR_ROUTES.tlogTile),
    schema: {
      ...describe(
        LOG_MIRROR_ROUTES.tlogTile,
        'log',
        'A Merkle tile or an entry bundle (C2SP tlog-tiles)',
      ),
      querystring: noQuery,
      response: { 200: TILE_BYTES, ...errorResponses },
    },
    handler: async (request, reply) => {
      const ref = parseTilePath((request.params as { '*': string })['*']);
      const bytes = await readTile(db, ref);
      return reply
        .header('content-type', 'application/octet-stream')
        .header(
          'cache-control',
          ref.width === TILE_WIDTH ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
        )
        .send(bytes as unknown as string); // bytes as they are: the schema only describes them
    },
  });

  app.route({
    ...routeOf(LOG_MIRROR_ROUTES.tlogVerifierKey),
    schema: {
      ...describe(LOG_MIRROR_ROUTES.tlogVerifierKey, 'log', "The checkpoint's note verifier key"),
      querystring: noQuery,
      response: {
        200: TEXT('<name>+<key id>+<base64 key>, as signed-note verifiers read it.'),
        ...errorResponses,
      },
    },
    handler: async (_request, reply) =>
      reply.header('content-type', 'text/plain; charset=utf-8').send(`${noteVerifierKey(key)}\n`),
  });

  app.route({
    ...routeOf(LOG_MIRROR_ROUTES.logExport),
    schema: {
      ...describe(
        LOG_MIRROR_ROUTES.logExport,
        'log',
        'Log entries [start, start + limit) as JSON Lines or RFC 5424 syslog, for a SIEM',
      ),
      querystring: exportQuery,
      response: {
        200: {
          description:
            'One line per entry (quarantined ones with their reason); x-next-index is where to resume.',
          content: {
            'application/x-ndjson': { schema: z.string() },
            'text/plain': { schema: z.string() },
          },
        },
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const page = await exportPage(db, request.query);
      return reply
        .header(
          'content-type',
          request.query.format === 'jsonl' ? 'application/x-ndjson' : 'text/plain; charset=utf-8',
        )
        .header('x-next-index', String(page.next))
        .send(page.text);
    },
  });
  return Promise.resolve();
};
