/**
 * What every feature plugin is given: the database, the log key, the clock,
 * the push checker, metrics and readiness. Built once in app.ts.
 */
import type { KeyObject } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { TokenPolicy } from '../auth/tokens.ts';
import type { ServerDb } from '../db/open.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { PushChecker } from '../sync/pushChecker.ts';
import type { LogKey } from '../log/keys.ts';
import type { ServerMetrics } from '../ops/metrics.ts';
import type { Readiness } from '../ops/readiness.ts';

export type ServerContext = {
  db: Kysely<ServerSchema>;
  store: ServerDb;
  key: LogKey;
  now: () => Date;
  /** Device public keys already read, by device id (sync/push.ts); a revocation removes its entry. */
  deviceKeys: Map<string, KeyObject>;
  pushChecker: PushChecker;
  metrics: ServerMetrics;
  readiness: Readiness;
  tokenPolicy: TokenPolicy;
  /** Whether pushes maintain the read models (src/server/readModels); off only to measure their cost. */
  readModels: boolean;
  /** Whether the server runs the webhook delivery worker (src/server/webhooks); tests run their own. */
  webhookDelivery?: boolean;
  /** Whether the server sends release communications at their time (src/server/comms); tests tick their own. */
  commsSchedule?: boolean;
  /** How many administrators besides the author approve a runbook or checklist template revision before consoles get it (0: none). */
  revisionApprovals: number;
  /** Where archived evidence bytes are read back from (evidence/retention.ts), or null. */
  evidenceArchiveDir: string | null;
};

/** One feature's routes. Register it with `{ ctx }`. */
export type FeaturePlugin = FastifyPluginAsyncZod<{ ctx: ServerContext }>;
