/**
 * The tlog-tiles routes (log/tiles.ts): the checkpoint (mutable, cached for
 * seconds), the tiles and entry bundles (immutable once full), and the note
 * verifier key an auditor configures once.
 */
import { z } from 'zod';
import type { FeaturePlugin } from '../http/context.ts';
import { describe, errorResponses, noQuery, routeOf } from '../http/route.ts';
import { TLOG_ROUTES } from '../routes.ts';
import { latestTreeHead } from './merkleLog.ts';
import { checkpointNote, noteVerifierKey, parseTilePath, TILE_WIDTH, readTile } from './tiles.ts';

const TEXT = (description: string) => ({
  description,
  content: { 'text/plain': { schema: z.string() } },
});
const TILE_BYTES = {
  description:
    'A tile (concatenated 32-byte hashes) or an entry bundle (uint16 length-prefixed 32-byte event hashes).',
  content: { 'application/octet-stream': { schema: z.string() } },
};

export const tlogRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, key, now } = ctx;

  app.route({
    ...routeOf(TLOG_ROUTES.tlogCheckpoint),
    schema: {
      ...describe(
        TLOG_ROUTES.tlogCheckpoint,
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
    ...routeOf(TLOG_ROUTES.tlogTile),
    schema: {
      ...describe(
        TLOG_ROUTES.tlogTile,
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
    ...routeOf(TLOG_ROUTES.tlogVerifierKey),
    schema: {
      ...describe(TLOG_ROUTES.tlogVerifierKey, 'log', "The checkpoint's note verifier key"),
      querystring: noQuery,
      response: {
        200: TEXT('<name>+<key id>+<base64 key>, as signed-note verifiers read it.'),
        ...errorResponses,
      },
    },
    handler: async (_request, reply) =>
      reply.header('content-type', 'text/plain; charset=utf-8').send(`${noteVerifierKey(key)}\n`),
  });
  return Promise.resolve();
};
