/**
 * The support desk's reads over the feedback read models: the inbox (every
 * sent report in the desk's scope, filtered, searched, sorted, paged), one
 * report's detail and the feature requests with their votes per store.
 * Every read checks the desk's scope: a store, region or report outside it
 * is `scope_denied` (403), never an empty answer.
 *
 * Search: PostgreSQL's full-text search over a stored tsvector with a GIN
 * index; SQLite's FTS5 (migrations.ts).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { isRegionInScope } from '../../shared/desk/protocol.ts';
import {
  attachmentParams,
  inboxQuery,
  requestsQuery,
  reportParams,
  type InboxPage,
  type InboxRow,
  type ReportAttachmentFile,
  type ReportDetail,
  type RequestsPage,
} from '../../shared/feedback/deskProtocol.ts';
import type { ServerDb } from '../db/open.ts';
import type { ServerSchema } from '../db/schema.ts';
import { catalogStores, type DeskPrincipal, type StoreData } from '../desk/queries.ts';
import { ServerError, parseInput } from '../errors.ts';
import { getEvidence } from '../evidence/service.ts';
import { dialectOf } from '../readModels/project.ts';
import { SEVERITY_RANK } from './migrations.ts';

type Db = Kysely<ServerSchema>;

function denied(what: string): ServerError {
  return new ServerError('scope_denied', `${what} is outside this desk's scope.`);
}

/** The inbox's columns, as one SELECT list (the read models' column names). */
const REPORT_COLUMNS = sql.raw(
  `r.id, r.store_id, r.title, r.status, coalesce(r.severity_set, r.severity) AS severity,
   r.severity AS severity_suggested, r.report_kind, r.assignee, r.due_date, r.release_id, r.fixed_in,
   r.duplicate_of, r.reported_by, r.reported_at, coalesce(r.updated_at, r.reported_at) AS updated_at,
   r.attachments`,
);

type ReportRowDb = {
  id: string;
  store_id: string;
  title: string;
  status: string;
  severity: string;
  severity_suggested: string;
  report_kind: string | null;
  assignee: string | null;
  due_date: string | null;
  release_id: string | null;
  fixed_in: string | null;
  duplicate_of: string | null;
  reported_by: string;
  reported_at: string;
  updated_at: string;
  attachments: string | null;
};

function attachmentsOf(text: string | null): Array<Record<string, unknown>> {
  if (text === null || text === '') return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as Array<Record<string, unknown>>) : [];
}

function inboxRowOf(r: ReportRowDb, stores: ReadonlyMap<string, StoreData>): InboxRow {
  const store = stores.get(r.store_id);
  return {
    id: r.id,
    storeId: r.store_id,
    storeName: store?.name ?? r.store_id,
    region: store?.region ?? '',
    ring: store?.ring ?? '',
    title: r.title,
    status: r.status,
    severity: r.severity,
    severitySuggested: r.severity_suggested,
    kind: r.report_kind,
    assignee: r.assignee,
    dueDate: r.due_date,
    releaseId: r.release_id,
    fixedIn: r.fixed_in,
    duplicateOf: r.duplicate_of,
    reportedBy: r.reported_by,
    reportedAt: r.reported_at,
    updatedAt: r.updated_at,
    attachments: attachmentsOf(r.attachments).length,
  };
}

/** FTS5 query text: each word a quoted prefix term, all required (no operator of the user's reaches FTS5). */
function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

const storeMaps = new WeakMap<readonly StoreData[], Map<string, StoreData>>();
function storeMapOf(stores: readonly StoreData[]): Map<string, StoreData> {
  let map = storeMaps.get(stores);
  if (!map) {
    map = new Map(stores.map((s) => [s.id, s]));
    storeMaps.set(stores, map);
  }
  return map;
}

/**
 * The stores the query may read, or null for "every store" (no filter):
 * the desk's region, the asked region and ring, and the asked store.
 */
function storeFilter(
  desk: DeskPrincipal,
  stores: readonly StoreData[],
  q: { storeId?: string | undefined; region?: string | undefined; ring?: string | undefined },
): string[] | null {
  if (q.region !== undefined && !isRegionInScope(desk.scope, q.region))
    throw denied(`Region "${q.region}"`);
  if (q.storeId !== undefined) {
    const store = storeMapOf(stores).get(q.storeId);
    if (!store || !isRegionInScope(desk.scope, store.region)) throw denied(`Store ${q.storeId}`);
    if (q.region !== undefined && store.region !== q.region) return [];
    if (q.ring !== undefined && store.ring !== q.ring) return [];
    return [store.id];
  }
  const region = q.region ?? (desk.scope.kind === 'region' ? desk.scope.region : undefined);
  if (region === undefined && q.ring === undefined) return null;
  return stores
    .filter(
      (s) =>
        (region === undefined || s.region === region) &&
        (q.ring === undefined || s.ring === q.ring),
    )
    .map((s) => s.id);
}

export async function inboxPageOf(
  db: Db,
  desk: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<InboxPage> {
  const q = parseInput(inboxQuery, query, 'The inbox query');
  const stores = await catalogStores(db);
  const storeIds = storeFilter(desk, stores, q);
  const asOf = now.toISOString();
  if (storeIds !== null && storeIds.length === 0) return { rows: [], total: 0, asOf };
  const isPostgres = dialectOf(db) === 'postgres';
  const where: RawBuilder<unknown>[] = [sql`r.status <> 'draft'`];
  if (storeIds !== null) where.push(sql`r.store_id IN (${sql.join(storeIds)})`);
  if (q.status !== undefined) where.push(sql`r.status = ${q.status}`);
  if (q.severity !== undefined)
    where.push(sql`coalesce(r.severity_set, r.severity) = ${q.severity}`);
  if (q.releaseId !== undefined) where.push(sql`r.release_id = ${q.releaseId}`);
  if (q.assignee === 'none') where.push(sql`r.assignee IS NULL`);
  else if (q.assignee !== undefined) where.push(sql`r.assignee = ${q.assignee}`);
  if (q.olderThanDays !== undefined) {
    const before = new Date(now.getTime() - q.olderThanDays * 86_400_000).toISOString();
    where.push(sql`r.reported_at <= ${before}`);
  }
  if (q.q !== undefined) {
    if (isPostgres) where.push(sql`r.search @@ websearch_to_tsquery('simple', ${q.q})`);
    else {
      const match = ftsQuery(q.q);
      if (match === null) return { rows: [], total: 0, asOf };
      where.push(
        sql`r.rowid IN (SELECT rowid FROM rm_bug_reports_fts WHERE rm_bug_reports_fts MATCH ${match})`,
      );
    }
  }
  const filter = sql.join(where, sql` AND `);
  const order =
    q.sort === 'reported'
      ? sql`r.reported_at DESC, r.id DESC`
      : q.sort === 'severity'
        ? sql`${SEVERITY_RANK}, r.updated_at DESC, r.id DESC`
        : sql`r.updated_at DESC, r.id DESC`;
  const [rows, count] = await Promise.all([
    sql<ReportRowDb>`SELECT ${REPORT_COLUMNS} FROM rm_bug_reports r WHERE ${filter}
      ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{ n: number | string }>`SELECT count(*) AS n FROM rm_bug_reports r WHERE ${filter}`.execute(
      db,
    ),
  ]);
  const byId = storeMapOf(stores);
  return {
    rows: rows.rows.map((r) => inboxRowOf(r, byId)),
    total: Number(count.rows[0]?.n ?? 0),
    asOf,
  };
}

/** A report's store, after checking it is in the desk's scope (unknown: not_found). */
export async function reportInScope(
  db: Db,
  desk: DeskPrincipal,
  reportId: string,
): Promise<{ storeId: string; status: string }> {
  const row = (
    await sql<{ store_id: string; status: string }>`SELECT store_id, status FROM rm_bug_reports
      WHERE id = ${reportId} AND status <> 'draft'`.execute(db)
  ).rows[0];
  if (!row) throw new ServerError('not_found', `No bug report ${reportId} has reached the desk.`);
  const store = storeMapOf(await catalogStores(db)).get(row.store_id);
  if (!store || !isRegionInScope(desk.scope, store.region)) throw denied(`Bug report ${reportId}`);
  return { storeId: row.store_id, status: row.status };
}

/** A feature request's store, after checking it is in the desk's scope (unknown: not_found). */
export async function requestInScope(
  db: Db,
  desk: DeskPrincipal,
  requestId: string,
): Promise<{ storeId: string }> {
  const row = (
    await sql<{
      store_id: string;
    }>`SELECT store_id FROM rm_feature_requests WHERE id = ${requestId}`.execute(db)
  ).rows[0];
  if (!row)
    throw new ServerError('not_found', `No feature request ${requestId} has reached the desk.`);
  const store = storeMapOf(await catalogStores(db)).get(row.store_id);
  if (!store || !isRegionInScope(desk.scope, store.region))
    throw denied(`Feature request ${requestId}`);
  return { storeId: row.store_id };
}

export async function reportDetailOf(
  db: Db,
  desk: DeskPrincipal,
  params: unknown,
): Promise<ReportDetail> {
  const { id } = parseInput(reportParams, params, 'The report');
  await reportInScope(db, desk, id);
  const row = (
    await sql<
      ReportRowDb & {
        description: string;
        expected: string | null;
        screen: string | null;
        terminal_id: string | null;
        run_id: string | null;
        item_id: string | null;
        answer_text: string;
        context: string | null;
      }
    >`SELECT ${REPORT_COLUMNS}, r.description, r.expected, r.screen, r.terminal_id, r.run_id, r.item_id,
      r.answer_text, r.context FROM rm_bug_reports r WHERE r.id = ${id}`.execute(db)
  ).rows[0]!;
  const comments = await sql<{
    event_id: string;
    author: string;
    author_role: string;
    visibility: 'store' | 'internal';
    text: string;
    at: string;
  }>`SELECT event_id, author, author_role, visibility, text, at FROM rm_feedback_comments
    WHERE target_id = ${id} ORDER BY at, event_id`.execute(db);
  const duplicates = await sql<{ id: string }>`SELECT id FROM rm_bug_reports
    WHERE duplicate_of = ${id} ORDER BY id`.execute(db);
  const stores = storeMapOf(await catalogStores(db));
  return {
    report: {
      ...inboxRowOf(row, stores),
      description: row.description,
      expected: row.expected,
      screen: row.screen,
      terminalId: row.terminal_id,
      runId: row.run_id,
      itemId: row.item_id,
      answerText: row.answer_text,
    },
    attachments: attachmentsOf(row.attachments).map((a) => ({
      sha256: String(a['sha256']),
      name: String(a['name']),
      mime: String(a['mime']),
      size: Number(a['size']),
      kind: String(a['kind']),
    })),
    context: row.context ? (JSON.parse(row.context) as Record<string, unknown>) : null,
    comments: comments.rows.map((c) => ({
      id: c.event_id,
      author: c.author,
      authorRole: c.author_role,
      visibility: c.visibility,
      text: c.text,
      at: c.at,
    })),
    duplicates: duplicates.rows.map((d) => d.id),
  };
}

/**
 * One attachment of a report in the desk's scope, with its bytes: only a file
 * the report cites (any other SHA-256 is not_found, like an unknown one).
 */
export async function reportAttachmentOf(
  store: ServerDb,
  desk: DeskPrincipal,
  params: unknown,
  archiveDir: string | null,
): Promise<ReportAttachmentFile> {
  const { id, sha256 } = parseInput(attachmentParams, params, 'The attachment');
  await reportInScope(store.db, desk, id);
  const row = (
    await sql<{
      attachments: string | null;
    }>`SELECT attachments FROM rm_bug_reports WHERE id = ${id}`.execute(store.db)
  ).rows[0];
  const cited = attachmentsOf(row?.attachments ?? null).find((a) => a['sha256'] === sha256);
  if (!cited)
    throw new ServerError('not_found', `Bug report ${id} carries no attachment with this SHA-256.`);
  const file = await getEvidence(store, { sha256 }, archiveDir);
  return {
    sha256,
    name: String(cited['name']),
    mime: String(cited['mime']),
    size: file.bytes.length,
    kind: String(cited['kind']),
    dataBase64: file.bytes.toString('base64'),
  };
}

export async function requestsPageOf(
  db: Db,
  desk: DeskPrincipal,
  query: unknown,
  now: Date,
): Promise<RequestsPage> {
  const q = parseInput(requestsQuery, query, 'The feature requests query');
  const stores = await catalogStores(db);
  const storeIds = storeFilter(desk, stores, {});
  const asOf = now.toISOString();
  if (storeIds !== null && storeIds.length === 0) return { rows: [], total: 0, asOf };
  const where: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (storeIds !== null) where.push(sql`f.store_id IN (${sql.join(storeIds)})`);
  if (q.status !== undefined) where.push(sql`f.status = ${q.status}`);
  if (q.q !== undefined) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(lower(f.title) LIKE lower(${like}) ESCAPE '\\' OR lower(f.description) LIKE lower(${like}) ESCAPE '\\')`,
    );
  }
  const filter = sql.join(where, sql` AND `);
  const [rows, count] = await Promise.all([
    sql<{
      id: string;
      store_id: string;
      title: string;
      description: string;
      category: string;
      status: string;
      planned_for: string | null;
      merged_into: string | null;
      filed_at: string;
      updated_at: string;
      votes: number | string;
    }>`SELECT f.id, f.store_id, f.title, f.description, f.category, f.status, f.planned_for, f.merged_into,
        f.filed_at, f.updated_at,
        (SELECT count(*) FROM rm_feature_request_votes v WHERE v.request_id = f.id) AS votes
      FROM rm_feature_requests f WHERE ${filter}
      ORDER BY votes DESC, f.updated_at DESC, f.id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM rm_feature_requests f WHERE ${filter}`.execute(db),
  ]);
  const ids = rows.rows.map((r) => r.id);
  const voters = new Map<string, string[]>();
  if (ids.length > 0) {
    const votes = await sql<{ request_id: string; store_id: string }>`SELECT request_id, store_id
      FROM rm_feature_request_votes WHERE request_id IN (${sql.join(ids)}) ORDER BY store_id`.execute(
      db,
    );
    for (const v of votes.rows) {
      const list = voters.get(v.request_id) ?? [];
      list.push(v.store_id);
      voters.set(v.request_id, list);
    }
  }
  return {
    rows: rows.rows.map((r) => ({
      id: r.id,
      storeId: r.store_id,
      title: r.title,
      description: r.description,
      category: r.category,
      status: r.status,
      plannedFor: r.planned_for,
      mergedInto: r.merged_into,
      filedAt: r.filed_at,
      updatedAt: r.updated_at,
      votes: Number(r.votes),
      voters: voters.get(r.id) ?? [],
    })),
    total: Number(count.rows[0]?.n ?? 0),
    asOf,
  };
}
