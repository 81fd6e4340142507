/**
 * The central audit log server (DESIGN.md §5–§7): Fastify 5 with one plugin
 * per feature (`<feature>/routes.ts`), each route declared with zod schemas
 * through fastify-type-provider-zod (inputs validated, every response checked
 * against its schema as it is serialized) and described in OpenAPI 3.1 at
 * /docs/openapi.json. Who may call what is the route table (routes.ts);
 * authentication, rate limiting and authorization run in onRequest, before
 * any body is read (auth/guard.ts). Every error is `{code, message}`.
 *
 * To add a feature: its routes in routes.ts (SERVER_ROUTES), a plugin in
 * `<feature>/routes.ts` typed `FeaturePlugin`, and one line in
 * FEATURE_PLUGINS below.
 */
import type { KeyObject } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { adminRoutes } from './admins/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { installGuard } from './auth/guard.ts';
import { authRoutes } from './auth/routes.ts';
import { DEFAULT_TOKEN_POLICY, type TokenPolicy } from './auth/tokens.ts';
import { catalogRoutes } from './catalog/routes.ts';
import { deskRoutes } from './desk/routes.ts';
import { releaseDeskRoutes } from './releaseDesk/routes.ts';
import { calendarRoutes } from './calendar/routes.ts';
import { commsPlanRoutes } from './comms/routes.ts';
import { feedbackDeskRoutes } from './feedback/routes.ts';
import { openServerDb, type ServerDb } from './db/open.ts';
import { evidenceRoutes } from './evidence/routes.ts';
import { attachmentRoutes } from './attachments/routes.ts';
import { feedRoutes } from './feed/routes.ts';
import { noticeRoutes } from './notices/routes.ts';
import type { FeaturePlugin, ServerContext } from './http/context.ts';
import { installErrorHandler } from './http/errorHandler.ts';
import { installJsonBodies } from './http/jsonBody.ts';
import { createPushChecker, pushCheckFromEnv, type PushCheckOptions } from './sync/pushChecker.ts';
import { loadOrCreateLogKey, type LogKey } from './log/keys.ts';
import { createLogIntegrityMonitor, type LogIntegrityMonitor } from './log/integrity.ts';
import { latestTreeHead, readLogHead } from './log/merkleLog.ts';
import { logRoutes } from './log/routes.ts';
import { logMirrorRoutes } from './log/mirrorRoutes.ts';
import { createServerLogger, type ServerLogger } from './log.ts';
import { createMetrics, type ServerMetrics } from './ops/metrics.ts';
import { createReadiness, type ReadinessCheck } from './ops/readiness.ts';
import { opsRoutes } from './ops/routes.ts';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rateLimit.ts';
import { SMALL_BODY_LIMIT } from './routes.ts';
import { syncRoutes } from './sync/routes.ts';
import { quarantineRoutes } from './quarantine/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { kpiRoutes } from './kpis/routes.ts';
import { testResultRoutes } from './testResults/routes.ts';
import { complianceRoutes } from './compliance/routes.ts';
import { riskRoutes } from './risks/routes.ts';
import { assignmentRoutes } from './assignments/routes.ts';
import { updateRoutes } from './updates/routes.ts';
import { progressionRoutes } from './progression/routes.ts';
import { revisionDeskRoutes } from './revisions/routes.ts';
import { applyRaisedApprovals } from './revisions/service.ts';
import { announceRevisionRecords } from './revisions/consoleRecords.ts';

export { SERVER_ROUTES } from './routes.ts';
export type { RouteName } from './routes.ts';

/** Every feature's routes, in registration order. */
const FEATURE_PLUGINS: readonly FeaturePlugin[] = [
  authRoutes,
  adminRoutes,
  syncRoutes,
  logRoutes,
  logMirrorRoutes,
  auditRoutes,
  evidenceRoutes,
  attachmentRoutes,
  catalogRoutes,
  opsRoutes,
  deskRoutes,
  releaseDeskRoutes,
  quarantineRoutes,
  feedRoutes,
  webhookRoutes,
  kpiRoutes,
  testResultRoutes,
  complianceRoutes,
  riskRoutes,
  assignmentRoutes,
  noticeRoutes,
  updateRoutes,
  feedbackDeskRoutes,
  progressionRoutes,
  calendarRoutes,
  commsPlanRoutes,
  revisionDeskRoutes,
];

export type ServerOptions = {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PKCS#8 PEM of the log key (else the key file in dataDir). */
  logKeyPem?: string | undefined;
  now?: () => Date;
  /** false turns rate limiting off (benchmarks, tests that need volume). */
  rateLimit?: RateLimitOptions | false;
  logger?: ServerLogger;
  /** Where pushes are checked (sync/pushChecker.ts); tests force inline or worker. Default: PUSH_CHECK_INLINE_BELOW_BYTES. */
  pushCheck?: PushCheckOptions;
  /** Token lifetimes (auth/tokens.ts). */
  tokenPolicy?: TokenPolicy;
  /**
   * Addresses of reverse proxies whose X-Forwarded-For is believed (Fastify's
   * trustProxy: comma-separated addresses or CIDRs). Default: the
   * TRUST_PROXY environment variable, else none. Without it, behind a proxy
   * every unauthenticated caller shares the proxy's rate-limit bucket.
   */
  trustProxy?: string | false;
  /** More feature plugins, registered after FEATURE_PLUGINS (their routes must be in SERVER_ROUTES). */
  plugins?: readonly FeaturePlugin[];
  /** false: pushes do not maintain the read models (the benchmark's "projections off"); default on. */
  readModels?: boolean;
  /** false: no webhook delivery worker runs in this server (tests drive one themselves); default on. */
  webhookDelivery?: boolean;
  /** false: release communications are not sent on a timer (tests tick the scheduler themselves); default on. */
  commsSchedule?: boolean;
  /** Where archived evidence bytes are read back from; default: the EVIDENCE_ARCHIVE_DIR environment variable, else none. */
  evidenceArchiveDir?: string | null;
  /**
   * Approvals a runbook or checklist template revision needs, from administrators other than its
   * author, before it enters the catalog; default: the REVISION_APPROVALS environment variable, else 0.
   */
  revisionApprovals?: number;
};

export type CentralServer = {
  app: FastifyInstance;
  store: ServerDb;
  key: LogKey;
  integrity: LogIntegrityMonitor;
  now: () => Date;
  metrics: ServerMetrics;
  /** Every route Fastify registered: the authorization test checks each one is in SERVER_ROUTES. */
  registeredRoutes: ReadonlyArray<{ method: string; url: string }>;
  /**
   * Adds a check /readyz runs on every call; while it answers `{ok: false,
   * reason}` (or throws), /readyz is 503 with the reason. Returns its removal.
   */
  addReadinessCheck(name: string, check: ReadinessCheck): () => void;
  /** Requests received and not yet answered. */
  inFlightRequests(): number;
  /** Listens on host:port (port 0 = any free port) and returns the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Stops accepting connections, lets every request in flight finish (a push
   * gets its ack), then closes the check worker and the database.
   */
  close(): Promise<void>;
};

export async function createServer(options: ServerOptions): Promise<CentralServer> {
  const log = options.logger ?? createServerLogger();
  const now = options.now ?? (() => new Date());
  // Read before anything is opened: a bad value stops the start with nothing to close.
  const pushCheck = options.pushCheck ?? pushCheckFromEnv();
  // Deferred sync: every answer waits for store.durable() (the onSend hook below).
  const store = await openServerDb({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    deferredSync: true,
    log,
  });
  const { db } = store;
  const metrics = createMetrics(async () => (await readLogHead(db)).size);
  const integrity = createLogIntegrityMonitor({
    db,
    key: loadOrCreateLogKey({ dataDir: options.dataDir, pem: options.logKeyPem }),
    log: log.child({ scope: 'integrity' }),
    now,
    registry: metrics.registry,
  });
  const key = integrity.guardedKey; // signs nothing once the stored log fails its check (log/integrity.ts)
  await latestTreeHead(db, key, now);
  const revisionApprovals = options.revisionApprovals ?? revisionApprovalsFromEnv();
  try {
    // Consoles get every stored revision and the approval rule, whatever server version stored them.
    await announceRevisionRecords(db, revisionApprovals, now());
    // Approvals raised since the last start re-open the versions consoles run.
    await applyRaisedApprovals(db, revisionApprovals, now());
  } catch (error) {
    await store.close();
    throw error;
  }
  await integrity.checkNow().then(() => integrity.start());
  const deviceKeys = new Map<string, KeyObject>();
  // Large pushes are checked on the worker on both databases. Measured with 2
  // cores: sync.push100k.sqlite main-thread CPU 2.1 -> 1.2 s; on PostgreSQL
  // the single stream is bound by round trips under the log lock (no wall
  // difference in 11 alternating runs) and 20 devices at once gained ~4%.
  const pushChecker = createPushChecker(pushCheck);
  try {
    await pushChecker.ready();
  } catch (error) {
    await integrity.stop();
    await store.close();
    throw error;
  }
  const readiness = createReadiness(store, key);
  readiness.add('logIntegrity', () => integrity.readiness());
  const ctx: ServerContext = {
    db,
    store,
    key,
    now,
    deviceKeys,
    pushChecker,
    metrics,
    readiness,
    tokenPolicy: options.tokenPolicy ?? DEFAULT_TOKEN_POLICY,
    readModels: options.readModels ?? true,
    webhookDelivery: options.webhookDelivery ?? true,
    commsSchedule: options.commsSchedule ?? true,
    revisionApprovals,
    evidenceArchiveDir:
      options.evidenceArchiveDir === undefined
        ? (process.env.EVIDENCE_ARCHIVE_DIR ?? null)
        : options.evidenceArchiveDir,
  };

  // Typed as Fastify's base logger so the instance has Fastify's default type.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: SMALL_BODY_LIMIT,
    exposeHeadRoutes: false,
    // Tokens travel in headers only; the URL logged never carries secrets.
    requestIdHeader: false,
    trustProxy: options.trustProxy ?? trustProxyFromEnv(process.env.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const registeredRoutes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method])
      registeredRoutes.push({ method: String(method), url: r.url });
  });

  let inFlight = 0;
  app.addHook('onRequest', (_request, _reply, done) => {
    inFlight++;
    metrics.inFlight.inc();
    done();
  });
  app.addHook('onResponse', (_request, _reply, done) => {
    inFlight--;
    metrics.inFlight.dec();
    done();
  });
  // No answer (an ack, a tree head, a refusal that recorded evidence) leaves
  // before every commit made so far is on disk (db/walSync.ts).
  app.addHook('onSend', async (_request, _reply, payload) => {
    await store.durable();
    return payload;
  });

  installErrorHandler(app, (code) => metrics.refusals.inc({ code }));
  installJsonBodies(app);
  await installGuard(
    app,
    ctx,
    options.rateLimit === false ? false : (options.rateLimit ?? DEFAULT_RATE_LIMIT),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'DearPOS central audit log',
        description:
          'The protocol between consoles and the central audit log (docs/protocol.md), the log endpoints, and the admin API. Every error is {code, message}.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A device, auditor or admin token.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Named schemas (JsonValue) become components/schemas, which the routes refer to.
    transformObject: jsonSchemaTransformObject,
  });

  for (const plugin of [...FEATURE_PLUGINS, ...(options.plugins ?? [])])
    await app.register(plugin, { ctx });
  try {
    await app.ready();
  } catch (error) {
    await integrity.stop();
    await pushChecker.close();
    await store.close();
    throw error;
  }

  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    key,
    integrity,
    now,
    metrics,
    registeredRoutes,
    addReadinessCheck: (name, check) => readiness.add(name, check),
    inFlightRequests: () => inFlight,
    async listen(port, host = '127.0.0.1') {
      return app.listen({ port, host });
    },
    close() {
      closing ??= (async () => {
        // Fastify stops accepting, answers 503 to new requests on open
        // connections, and waits for those in flight before resolving.
        await app.close();
        await integrity.stop();
        await pushChecker.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** TRUST_PROXY: comma-separated addresses or CIDRs of the reverse proxies ("127.0.0.1,10.0.0.0/8"). */
function trustProxyFromEnv(value: string | undefined): string | false {
  return value ? value : false;
}

/** REVISION_APPROVALS: a whole number from 0 to 10; anything else stops the start with the reason. */
export function revisionApprovalsFromEnv(): number {
  const text = process.env.REVISION_APPROVALS;
  if (text === undefined || text === '') return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new Error(`REVISION_APPROVALS must be a whole number from 0 to 10, not ${text}`);
  return n;
}
