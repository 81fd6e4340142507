/**
 * Readiness: what /readyz checks. Built in: the database answers, every
 * migration this version knows has run, the log key is loaded. Other modules
 * add their own (e.g. a log-integrity monitor) with `addReadinessCheck`:
 * while any check fails, /readyz answers 503 with the reasons and a load
 * balancer stops sending traffic.
 */
import { sql } from 'kysely';
import type { ServerDb } from '../db/open.ts';
import { POSTGRES_MIGRATIONS } from '../db/migrations/postgres.ts';
import { SQLITE_MIGRATIONS } from '../db/migrations/sqlite.ts';
import type { LogKey } from '../log/keys.ts';

export type ReadinessResult = { ok: true } | { ok: false; reason: string };
export type ReadinessCheck = () => ReadinessResult | Promise<ReadinessResult>;
export type ReadinessReport = {
  isReady: boolean;
  checks: Array<{ name: string; ok: boolean; reason?: string }>;
};

export type Readiness = {
  /** Adds a named check (a later one with the same name replaces it); returns its removal. */
  add(name: string, check: ReadinessCheck): () => void;
  run(): Promise<ReadinessReport>;
};

export function createReadiness(store: ServerDb, key: LogKey): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  checks.set('database', async () => {
    await sql`SELECT 1`.execute(store.db);
    return { ok: true };
  });
  checks.set('migrations', async () => {
    const known = Object.keys(store.kind === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS);
    const rows = await sql<{ name: string }>`SELECT name FROM server_migrations`.execute(store.db);
    const applied = new Set(rows.rows.map((r) => r.name));
    const missing = known.filter((name) => !applied.has(name));
    return missing.length === 0
      ? { ok: true }
      : { ok: false, reason: `migrations not applied: ${missing.join(', ')}` };
  });
  checks.set('logKey', () =>
    key.logId && key.publicKey ? { ok: true } : { ok: false, reason: 'the log key is not loaded' },
  );
  return {
    add(name, check) {
      checks.set(name, check);
      return () => {
        if (checks.get(name) === check) checks.delete(name);
      };
    },
    async run() {
      const results = await Promise.all(
        [...checks].map(async ([name, check]) => {
          try {
            const r = await check();
            return r.ok ? { name, ok: true } : { name, ok: false, reason: r.reason };
          } catch (error) {
            return { name, ok: false, reason: (error as Error).message };
          }
        }),
      );
      return { isReady: results.every((r) => r.ok), checks: results };
    },
  };
}
