/**
 * The desk routes (issue 22.3) as one Fastify plugin, registered by app.ts:
 * desk enrollment codes (admin token), desk enrollment (the code), and the
 * desk reads (desk token, scope checked on every call by the queries).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { DESK_ROUTES } from '../../shared/desk/protocol.ts';
import { authenticate, bearerToken } from '../auth/tokens.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import type { Dialect } from '../readModels/project.ts';
import { authenticateDesk } from './auth.ts';
import { enrollDesk, issueDeskEnrollmentCode } from './enroll.ts';
import { storeRecordsPage, storesPage, storeTerminalsPage } from './queries.ts';

export type DeskPluginOptions = {
  db: Kysely<ServerSchema>;
  dialect: Dialect;
  now: () => Date;
  /** Rate limit before anything else (the app's limiter); throws `rate_limited`. */
  limit: (request: FastifyRequest) => void;
  /** Resolves once every commit so far is on disk (the app's deferred sync). */
  durable: () => Promise<void>;
};

export function deskPlugin(app: FastifyInstance, options: DeskPluginOptions): void {
  const { db, dialect, now, limit, durable } = options;
  const desk = async (request: FastifyRequest) => {
    limit(request);
    return authenticateDesk(db, bearerToken(request.headers.authorization));
  };

  app.post(DESK_ROUTES.issueDeskEnrollmentCode.url, async (request) => {
    limit(request);
    const principal = await authenticate(db, bearerToken(request.headers.authorization));
    if (principal.kind !== 'admin')
      throw new ServerError('forbidden', 'Only an admin token may issue desk enrollment codes.');
    const out = await issueDeskEnrollmentCode(db, request.body, now());
    await durable();
    return out;
  });
  app.post(DESK_ROUTES.deskEnroll.url, async (request) => {
    limit(request);
    const out = await enrollDesk(db, request.body, now());
    await durable();
    return out;
  });
  app.get(DESK_ROUTES.deskStores.url, async (request) =>
    storesPage(db, dialect, await desk(request), request.query, now()),
  );
  app.get(DESK_ROUTES.deskStoreTerminals.url, async (request) =>
    storeTerminalsPage(db, await desk(request), request.params, request.query, now()),
  );
  app.get(DESK_ROUTES.deskStoreRecords.url, async (request) =>
    storeRecordsPage(db, await desk(request), request.params, request.query, now()),
  );
}
