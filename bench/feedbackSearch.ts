/**
 * `feedback.search100k.postgres` (ms, p95): the support desk's inbox over
 * 100,000 bug reports in the server's read models on durable PostgreSQL
 * (5,000 stores in 10 regions), for the searches and filters a desk uses:
 * full-text search alone and with a status, a region, a severity; a store;
 * an assignee; the whole inbox sorted by severity. The real path is the
 * route's own query (inboxPageOf: a page of 100 rows and the total), over
 * the stored tsvector with its GIN index. The naive baseline answers the
 * same with a case-insensitive substring match (ILIKE) over title, text and
 * expectation, which no B-tree index serves. The plan of the real search is
 * printed (EXPLAIN) so the GIN index is seen to be used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openServerDb } from '../src/server/db/open.ts';
import type { ServerSchema } from '../src/server/db/schema.ts';
import type { DeskPrincipal } from '../src/server/desk/queries.ts';
import { inboxPageOf } from '../src/server/feedback/queries.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { percentile, round, type Benchmark, type BenchResult } from './types.ts';

const REPORTS = 100_000;
const STORES = 5_000;
const ROUNDS = 15;
const BASELINE_ROUNDS = 2;

const DESK: DeskPrincipal = {
  kind: 'desk',
  deskId: 'bench',
  scope: { kind: 'all' },
  role: 'support',
  tokenHash: '',
};

/** Words the seeded reports are made of: a search for one finds about 1 report in 40. */
const WORDS = [
  'printer',
  'receipt',
  'drawer',
  'scanner',
  'barcode',
  'payment',
  'card',
  'refund',
  'discount',
  'voucher',
  'loyalty',
  'tax',
  'rounding',
  'timeout',
  'freeze',
  'crash',
  'slow',
  'login',
  'pin',
  'sync',
  'offline',
  'report',
  'totals',
  'label',
  'scale',
  'weight',
  'price',
  'promotion',
  'coupon',
  'display',
  'touch',
  'keyboard',
  'network',
  'wifi',
  'battery',
  'update',
  'restart',
  'font',
  'layout',
  'language',
];

/** 5,000 stores in 10 regions and 100,000 bug reports in the read models (also the web.inbox100k bench). */
export async function seedInbox(db: Kysely<ServerSchema>): Promise<void> {
  await sql`INSERT INTO stores (id, data)
    SELECT 'S-' || lpad(s::text, 4, '0'), json_build_object('id', 'S-' || lpad(s::text, 4, '0'), 'name', 'Store ' || s,
      'region', 'R' || (s % 10), 'ring', (ARRAY['lab','pilot','early','general'])[1 + s % 4], 'timezone', 'UTC')::text
    FROM generate_series(0, ${STORES - 1}) s`.execute(db);
  const words = sql.raw(`ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`);
  await sql`INSERT INTO rm_bug_reports (id, status, severity, title, description, release_id, store_id,
      terminal_id, run_id, item_id, answer_text, evidence, reported_by, reported_role, reported_at, event_id,
      severity_set, report_kind, assignee, due_date, fixed_in, duplicate_of, expected, screen, context,
      attachments, updated_at)
    SELECT 'rep-' || i,
      (ARRAY['new','triaged','in_progress','needs_info','fixed','wont_fix','duplicate'])[1 + i % 7],
      (ARRAY['S1','S2','S3','S4'])[1 + i % 4],
      initcap(w1) || ' ' || w2 || ' fails on lane ' || (i % 8),
      'The ' || w1 || ' stops when the ' || w3 || ' is used; it happened ' || (i % 5 + 1) || ' times today.',
      'rel-' || (i % 20), 'S-' || lpad((i % ${STORES})::text, 4, '0'), NULL, NULL, NULL, '', '[]',
      'u-' || (i % 300), 'technician', at, 'e-' || i,
      CASE WHEN i % 3 = 0 THEN (ARRAY['S1','S2','S3','S4'])[1 + i % 4] END,
      NULL, CASE WHEN i % 2 = 0 THEN 'sup-' || (i % 12) END, NULL, NULL, NULL,
      'The ' || w2 || ' works', 'fleet', '{}', '[]', at
    FROM (SELECT i,
        (${words})[1 + i % ${WORDS.length}] AS w1,
        (${words})[1 + (i / ${WORDS.length}) % ${WORDS.length}] AS w2,
        (${words})[1 + (i * 7 + 3) % ${WORDS.length}] AS w3,
        to_char(timestamp '2026-01-01' + (i % 90) * interval '1 day' + (i % 86400) * interval '1 second',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
      FROM generate_series(0, ${REPORTS - 1}) i) s`.execute(db);
}

type Query = Record<string, string>;

const QUERIES: Query[] = [
  { q: 'printer' },
  { q: 'receipt timeout' },
  { q: 'scanner', status: 'new' },
  { q: 'payment', region: 'R3' },
  { q: 'crash', severity: 'S1' },
  { storeId: 'S-0042' },
  { assignee: 'sup-4', status: 'in_progress' },
  { sort: 'severity' },
  { severity: 'S2', region: 'R7', sort: 'reported' },
];

/** The naive path: the same filters, the text matched as substrings (ILIKE) without the index. */
async function naive(db: Kysely<ServerSchema>, q: Query): Promise<number> {
  const where = [sql`r.status <> 'draft'`];
  if (q.q)
    for (const word of q.q.split(' '))
      where.push(
        sql`(r.title ILIKE ${`%${word}%`} OR r.description ILIKE ${`%${word}%`} OR coalesce(r.expected, '') ILIKE ${`%${word}%`})`,
      );
  if (q.status) where.push(sql`r.status = ${q.status}`);
  if (q.severity) where.push(sql`coalesce(r.severity_set, r.severity) = ${q.severity}`);
  if (q.storeId) where.push(sql`r.store_id = ${q.storeId}`);
  if (q.assignee) where.push(sql`r.assignee = ${q.assignee}`);
  if (q.region)
    where.push(
      sql`r.store_id IN (SELECT id FROM stores WHERE (data::json ->> 'region') = ${q.region})`,
    );
  const filter = sql.join(where, sql` AND `);
  const rows = await sql<{ id: string }>`SELECT r.id FROM rm_bug_reports r WHERE ${filter}
    ORDER BY r.updated_at DESC LIMIT 100`.execute(db);
  const count = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM rm_bug_reports r WHERE ${filter}`.execute(db);
  return rows.rows.length + Number(count.rows[0]?.n ?? 0);
}

export const feedbackSearch100kPostgres: Benchmark = {
  name: 'feedback.search100k.postgres',
  description:
    'support inbox search and filters over 100,000 reports on PostgreSQL: tsvector + GIN vs ILIKE substring scan',
  async run(): Promise<BenchResult> {
    const pg = await startTestPostgres({ durable: true });
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-bench-feedback-'));
    const store = await openServerDb({ dataDir: dir, databaseUrl: await pg.createDatabase() });
    try {
      const { db } = store;
      const seeded = performance.now();
      await seedInbox(db);
      await sql`ANALYZE`.execute(db);
      const seedMs = performance.now() - seeded;
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT r.id FROM rm_bug_reports r
        WHERE r.status <> 'draft' AND r.search @@ websearch_to_tsquery('simple', 'receipt timeout')
        ORDER BY r.updated_at DESC, r.id DESC LIMIT 100`.execute(db);
      const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      process.stdout.write(
        `\nfeedback.search100k.postgres — EXPLAIN of the search:\n${planText}\n\n`,
      );
      const now = new Date('2026-04-01T00:00:00Z');
      const samples: number[] = [];
      const totals: number[] = [];
      const perQuery = QUERIES.map((): number[] => []);
      for (let r = 0; r < ROUNDS; r++)
        for (const [i, q] of QUERIES.entries()) {
          const started = performance.now();
          const page = await inboxPageOf(db, DESK, { ...q, limit: '100' }, now);
          const ms = performance.now() - started;
          samples.push(ms);
          perQuery[i]!.push(ms);
          if (r === 0) totals.push(page.total);
        }
      // Which filter costs most, so a miss says where to look.
      const medians = perQuery.map((list, i) => ({
        query: new URLSearchParams(QUERIES[i]).toString(),
        ms: round(percentile(list, 50)),
      }));
      const baseline: number[] = [];
      for (let r = 0; r < BASELINE_ROUNDS; r++)
        for (const q of QUERIES) {
          const started = performance.now();
          await naive(db, q);
          baseline.push(performance.now() - started);
        }
      const value = round(percentile(samples, 95));
      const base = round(percentile(baseline, 95));
      const usesGin = /rm_bug_reports_by_search/.test(planText);
      return {
        name: 'feedback.search100k.postgres',
        value,
        unit: 'ms',
        baseline: base,
        ratio: round(base / value),
        target: '≤ 50 ms p95, the GIN index in the plan',
        isTargetMet: value <= 50 && usesGin,
        notes: `${QUERIES.length} queries × ${ROUNDS} rounds (baseline × ${BASELINE_ROUNDS}), each a page of 100 and the total; matches ${totals.join('/')}; seeding ${Math.round(seedMs / 1000)} s; plan ${usesGin ? 'uses' : 'does NOT use'} rm_bug_reports_by_search (printed above); median per query: ${medians.map((m) => `${m.query} ${m.ms} ms`).join(', ')}`,
      };
    } finally {
      await store.close();
      pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
