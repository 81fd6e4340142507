/**
 * The central audit log server (DESIGN.md §5–§7): Fastify 5, one route table
 * (SERVER_ROUTES) that says who may call what, and handlers that delegate to
 * the log, ingest, enrollment and catalog modules. Every input is parsed with
 * a `.strict()` zod schema; every error is `{code, message}`.
 */
import type { KeyObject } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { z } from 'zod';
import {
  MAX_LOG_ENTRIES_PAGE,
  MAX_PUSH_BYTES,
  PROTOCOL_ROUTES,
  bundleQuery,
  changesQuery,
  consistencyQuery,
  entriesQuery,
  inclusionQuery,
  type RouteAuth,
  type WireEvent,
} from '../shared/sync/protocol.ts';
import { assertNever } from '../shared/errors.ts';
import { enrollDevice, issueEnrollmentCode, revokeDevice } from './auth/enroll.ts';
import { authenticate, bearerToken, issueToken, tokenHash, type Principal } from './auth/tokens.ts';
import { buildBundle } from './audit/bundle.ts';
import { CSV_KINDS, parseFleetCsv } from './catalog/csv.ts';
import { publishChecklistTemplate, setChecklistRequirement } from './catalog/checklists.ts';
import {
  PublishRejected,
  parseFields,
  publishFeatureFlag,
  publishRunbook,
  setStoreWindows,
} from './catalog/deployments.ts';
import { checklistTemplate } from '../shared/checklists/template.ts';
import {
  ImportRejected,
  changesSince,
  createUser,
  fleetImport,
  importFleet,
  publishRelease,
  setRingTarget,
} from './catalog/service.ts';
import { openServerDb, type ServerDb } from './db/open.ts';
import { ServerError, parseInput } from './errors.ts';
import { commitPush } from './ingest/push.ts';
import { createPushChecker, type PushCheckOptions } from './ingest/pushChecker.ts';
import { EVIDENCE_ROUTES } from '../shared/checklists/evidenceProtocol.ts';
import { DESK_ROUTES } from '../shared/desk/protocol.ts';
import { deskPlugin } from './desk/plugin.ts';
import { getEvidence, putEvidence } from './evidence/service.ts';
import { loadOrCreateLogKey, type LogKey } from './log/keys.ts';
import { createServerLogger, type ServerLogger } from './log.ts';
import { consistencyProof, inclusionProof, latestTreeHead, readLogHead } from './log/merkleLog.ts';
import { DEFAULT_RATE_LIMIT, createRateLimiter, type RateLimitOptions } from './rateLimit.ts';

export type RouteDef = { method: 'GET' | 'POST'; url: string; auth: RouteAuth; bodyLimit?: number };

/** Admin routes (admin token). Together with PROTOCOL_ROUTES this is the whole server: the authorization test is generated from it. */
export const ADMIN_ROUTES = {
  importFleet: {
    method: 'POST',
    url: '/v1/admin/fleet',
    auth: 'admin',
    bodyLimit: 64 * 1024 * 1024,
  },
  importFleetCsv: {
    method: 'POST',
    url: '/v1/admin/fleet/csv',
    auth: 'admin',
    bodyLimit: 64 * 1024 * 1024,
  },
  publishRelease: { method: 'POST', url: '/v1/admin/releases', auth: 'admin' },
  setRingTarget: { method: 'POST', url: '/v1/admin/ring-targets', auth: 'admin' },
  createUser: { method: 'POST', url: '/v1/admin/users', auth: 'admin' },
  issueEnrollmentCode: { method: 'POST', url: '/v1/admin/enrollment-codes', auth: 'admin' },
  revokeDevice: { method: 'POST', url: '/v1/admin/devices/revoke', auth: 'admin' },
  issueAuditorToken: { method: 'POST', url: '/v1/admin/auditor-tokens', auth: 'admin' },
  listDevices: { method: 'GET', url: '/v1/admin/devices', auth: 'admin' },
  // Deployment and checklist catalog parts (catalog/deployments.ts, catalog/checklists.ts); bad input answers per-field errors.
  publishRunbook: {
    method: 'POST',
    url: '/v1/admin/runbooks',
    auth: 'admin',
    bodyLimit: 8 * 1024 * 1024,
  },
  publishFeatureFlag: { method: 'POST', url: '/v1/admin/feature-flags', auth: 'admin' },
  setStoreWindows: { method: 'POST', url: '/v1/admin/store-windows', auth: 'admin' },
  publishChecklistTemplate: {
    method: 'POST',
    url: '/v1/admin/checklist-templates',
    auth: 'admin',
    bodyLimit: 8 * 1024 * 1024,
  },
  setChecklistRequirement: {
    method: 'POST',
    url: '/v1/admin/checklist-requirements',
    auth: 'admin',
  },
} as const satisfies Record<string, RouteDef>;

export const SERVER_ROUTES = {
  ...PROTOCOL_ROUTES,
  ...ADMIN_ROUTES,
  ...EVIDENCE_ROUTES,
  ...DESK_ROUTES,
} as const satisfies Record<string, RouteDef>;
export type RouteName = keyof typeof SERVER_ROUTES;

const DEFAULT_BODY_LIMIT = 256 * 1024;

export type ServerOptions = {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PKCS#8 PEM of the log key (else the key file in dataDir). */
  logKeyPem?: string | undefined;
  now?: () => Date;
  /** false turns rate limiting off (benchmarks, tests that need volume). */
  rateLimit?: RateLimitOptions | false;
  logger?: ServerLogger;
  /** Where pushes are checked (ingest/pushChecker.ts); tests force inline or worker. */
  pushCheck?: PushCheckOptions;
};

export type CentralServer = {
  app: FastifyInstance;
  store: ServerDb;
  key: LogKey;
  now: () => Date;
  /** Every route Fastify registered: the authorization test checks each one is in SERVER_ROUTES. */
  registeredRoutes: ReadonlyArray<{ method: string; url: string }>;
  /** Listens on host:port (port 0 = any free port) and returns the base URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
};

type HandlerContext = {
  principal: Principal | null;
  body: unknown;
  query: unknown;
  request: FastifyRequest;
  reply: FastifyReply;
};

const enrollmentCodeInput = z
  .object({
    storeId: z.string().min(1).max(64),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional(),
  })
  .strict();
const revokeInput = z.object({ deviceId: z.string().min(1).max(64) }).strict();
const auditorTokenInput = z.object({ label: z.string().min(1).max(120) }).strict();
const csvInput = z
  .object({ kind: z.enum(CSV_KINDS), csv: z.string().max(60 * 1024 * 1024) })
  .strict();
const emptyQuery = z.object({}).strict();

function allowed(auth: RouteAuth, principal: Principal | null): boolean {
  switch (auth) {
    case 'public':
    case 'enrollment':
      return true;
    case 'device':
      return principal?.kind === 'device';
    case 'auditor':
      return principal?.kind === 'auditor' || principal?.kind === 'admin';
    case 'admin':
      return principal?.kind === 'admin';
    case 'desk':
      // Desk routes authenticate desk tokens themselves (desk/plugin.ts).
      return false;
    default:
      return assertNever(auth, 'route auth');
  }
}

export async function createServer(options: ServerOptions): Promise<CentralServer> {
  const log = options.logger ?? createServerLogger();
  const now = options.now ?? (() => new Date());
  // Deferred sync: every answer below awaits store.durable() (see route()).
  const store = await openServerDb({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    deferredSync: true,
  });
  const key = loadOrCreateLogKey({ dataDir: options.dataDir, pem: options.logKeyPem });
  const { db } = store;
  await latestTreeHead(db, key, now);
  const deviceKeys = new Map<string, KeyObject>();
  const ingest = { db, key, now, deviceKeys, sqlite: store.sqlite };
  // Large pushes are checked on the worker on both databases. Measured with 2
  // cores: sync.push100k.sqlite main-thread CPU 2.1 -> 1.2 s; on PostgreSQL
  // the single stream is bound by round trips under the log lock (no wall
  // difference in 11 alternating runs) and 20 devices at once gained ~4%.
  const pushChecker = createPushChecker(options.pushCheck);
  try {
    await pushChecker.ready();
  } catch (error) {
    await store.close();
    throw error;
  }
  const limiter =
    options.rateLimit === false ? null : createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);

  // Typed as Fastify's base logger so the instance has Fastify's default type.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: DEFAULT_BODY_LIMIT,
    exposeHeadRoutes: false,
    // Tokens travel in headers only; the URL logged never carries secrets.
    requestIdHeader: false,
  });

  // The push body stays raw bytes until the device is authenticated; then it
  // is parsed and checked off the event loop (ingest/checkPush.ts parses it
  // as Fastify's default parser would, prototype-poisoning refusal included).
  // Every other route keeps Fastify's default JSON parser.
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (request.routeOptions.url === PROTOCOL_ROUTES.push.url) done(null, body);
      else void defaultJsonParser(request, body.toString('utf8'), done);
    },
  );

  const registeredRoutes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method])
      registeredRoutes.push({ method: String(method), url: r.url });
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof ServerError) {
      const body =
        error instanceof ImportRejected
          ? { ...error.toBody(), rowErrors: error.rowErrors }
          : error instanceof PublishRejected
            ? { ...error.toBody(), fieldErrors: error.fieldErrors }
            : error.toBody();
      if (error.code === 'rate_limited' && error.extra.retryAfterSeconds)
        void reply.header('Retry-After', String(error.extra.retryAfterSeconds));
      return reply.status(error.status).send(body);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({
        code: 'payload_too_large',
        message: 'The request body is too large; send fewer events per push.',
      });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(400).send({
        code: 'invalid_input',
        message: `The request could not be read: ${error.message}`,
      });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({
      code: 'internal',
      message: 'The server failed to handle this request; nothing was stored. Try again later.',
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      code: 'not_found',
      message: `There is no ${request.method} ${request.url.split('?')[0]}.`,
    }),
  );

  function route(def: RouteDef, handler: (ctx: HandlerContext) => Promise<unknown>): void {
    app.route({
      method: def.method,
      url: def.url,
      bodyLimit:
        def.bodyLimit ??
        (def.url === PROTOCOL_ROUTES.push.url ? MAX_PUSH_BYTES : DEFAULT_BODY_LIMIT),
      handler: async (request, reply) => {
        const token = bearerToken(request.headers.authorization);
        if (limiter) {
          const wait = limiter.take(token ? tokenHash(token) : `ip:${request.ip}`, Date.now());
          if (wait > 0)
            throw new ServerError('rate_limited', `Too many requests; retry in ${wait} s.`, {
              retryAfterSeconds: wait,
            });
        }
        let principal: Principal | null = null;
        if (def.auth !== 'public' && def.auth !== 'enrollment') {
          principal = await authenticate(db, token);
          if (!allowed(def.auth, principal)) {
            throw new ServerError(
              'forbidden',
              `A ${principal.kind} token may not call ${def.method} ${def.url}.`,
            );
          }
        }
        try {
          return await handler({
            principal,
            body: request.body,
            query: request.query,
            request,
            reply,
          });
        } finally {
          // No answer (an ack, a tree head, a refusal that recorded evidence)
          // leaves before every commit made so far is on disk (db/walSync.ts).
          await store.durable();
        }
      },
    });
  }

  const device = (p: Principal | null) => {
    if (p?.kind !== 'device') throw new ServerError('forbidden', 'This call needs a device token.');
    return p;
  };

  route(SERVER_ROUTES.enroll, ({ body }) => enrollDevice(db, key, body, now()));
  route(SERVER_ROUTES.push, async ({ principal, body }) => {
    const d = device(principal);
    // A push without a JSON content type never reaches here (415), so the body is bytes.
    const raw = body instanceof Uint8Array ? body : new Uint8Array(0);
    return commitPush(ingest, await pushChecker.check(raw, d));
  });
  route(SERVER_ROUTES.changes, ({ principal, query }) => {
    const q = parseInput(changesQuery, query, 'The changes query');
    return changesSince(db, device(principal).storeId, Number(q.cursor ?? '0'), q.limit);
  });
  route(SERVER_ROUTES.evidenceUpload, ({ principal, body, request }) =>
    putEvidence(store, device(principal).storeId, request.params, body, now()),
  );
  route(SERVER_ROUTES.evidenceDownload, async ({ request, reply }) => {
    const file = await getEvidence(store, request.params);
    return reply.header('content-type', file.mimeType).send(file.bytes);
  });
  route(SERVER_ROUTES.logKey, ({ query }) => {
    parseInput(emptyQuery, query, 'The query');
    return Promise.resolve({ logId: key.logId, publicKey: key.publicKey });
  });
  route(SERVER_ROUTES.treeHead, ({ query }) => {
    parseInput(emptyQuery, query, 'The query');
    return latestTreeHead(db, key, now);
  });
  route(SERVER_ROUTES.inclusion, ({ query }) => {
    const q = parseInput(inclusionQuery, query, 'The inclusion proof query');
    return inclusionProof(db, q.index, q.size);
  });
  route(SERVER_ROUTES.consistency, ({ query }) => {
    const q = parseInput(consistencyQuery, query, 'The consistency proof query');
    return consistencyProof(db, q.first, q.second);
  });
  route(SERVER_ROUTES.entries, async ({ query }) => {
    const q = parseInput(entriesQuery, query, 'The entries query');
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
  });
  route(SERVER_ROUTES.bundle, async ({ query, reply }) => {
    const q = parseInput(bundleQuery, query, 'The bundle query');
    const lines = await buildBundle(db, key, now, q);
    return reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .send(lines.join('\n') + '\n');
  });

  route(SERVER_ROUTES.importFleet, async ({ body }) =>
    importFleet(db, parseInput(fleetImport, body, 'The fleet import'), now()),
  );
  route(SERVER_ROUTES.importFleetCsv, async ({ body }) => {
    const req = parseInput(csvInput, body, 'The CSV import');
    const parsed = parseFleetCsv(req.kind, req.csv);
    return importFleet(
      db,
      req.kind === 'stores'
        ? { stores: parsed.rows, terminals: [] }
        : { stores: [], terminals: parsed.rows },
      now(),
      parsed.errors,
    );
  });
  route(SERVER_ROUTES.publishRelease, ({ body }) => publishRelease(db, body, now()));
  route(SERVER_ROUTES.setRingTarget, async ({ body }) => {
    await setRingTarget(db, body, now());
    return { ok: true };
  });
  route(SERVER_ROUTES.createUser, ({ body }) => createUser(db, body, now()));
  route(SERVER_ROUTES.issueEnrollmentCode, ({ body }) => {
    const req = parseInput(enrollmentCodeInput, body, 'The enrollment code request');
    return issueEnrollmentCode(db, req.storeId, { ttlMinutes: req.ttlMinutes, now: now() });
  });
  route(SERVER_ROUTES.revokeDevice, async ({ body }) => {
    const req = parseInput(revokeInput, body, 'The revocation');
    await revokeDevice(db, req.deviceId, now());
    deviceKeys.delete(req.deviceId);
    return { ok: true };
  });
  route(SERVER_ROUTES.issueAuditorToken, async ({ body }) => {
    const req = parseInput(auditorTokenInput, body, 'The auditor token request');
    return { token: await issueToken(db, 'auditor', { label: req.label, now: now() }) };
  });
  route(SERVER_ROUTES.publishRunbook, ({ body }) => publishRunbook(db, body, now()));
  route(SERVER_ROUTES.publishFeatureFlag, ({ body }) => publishFeatureFlag(db, body, now()));
  route(SERVER_ROUTES.setStoreWindows, ({ body }) => setStoreWindows(db, body, now()));
  route(SERVER_ROUTES.publishChecklistTemplate, ({ body }) =>
    publishChecklistTemplate(
      db,
      parseFields(checklistTemplate, body, 'The checklist template'),
      now(),
    ),
  );
  route(SERVER_ROUTES.setChecklistRequirement, ({ body }) =>
    setChecklistRequirement(db, body, now()),
  );
  route(SERVER_ROUTES.listDevices, async ({ query }) => {
    parseInput(emptyQuery, query, 'The query');
    const rows = await db
      .selectFrom('devices')
      .select(['id', 'store_id', 'name', 'enrolled_at', 'revoked_at', 'last_seq'])
      .orderBy('id')
      .execute();
    return {
      devices: rows.map((r) => ({
        id: r.id,
        storeId: r.store_id,
        name: r.name,
        enrolledAt: r.enrolled_at,
        revokedAt: r.revoked_at,
        lastSeq: Number(r.last_seq),
      })),
    };
  });

  // Desks (issue 22.3): enrollment and the scope-checked reads of the read models.
  void app.register(deskPlugin, {
    db,
    dialect: store.kind,
    now,
    durable: () => store.durable(),
    limit: (request: FastifyRequest) => {
      if (!limiter) return;
      const token = bearerToken(request.headers.authorization);
      const wait = limiter.take(token ? tokenHash(token) : `ip:${request.ip}`, Date.now());
      if (wait > 0)
        throw new ServerError('rate_limited', `Too many requests; retry in ${wait} s.`, {
          retryAfterSeconds: wait,
        });
    },
  });

  let closed = false;
  return {
    app,
    store,
    key,
    now,
    registeredRoutes,
    async listen(port, host = '127.0.0.1') {
      return app.listen({ port, host });
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await pushChecker.close();
      await store.close();
    },
  };
}
