/**
 * Rebuilds every read model from the central log: empties the
 * `rm_*` tables, seeds each catalog terminal's baseline, then folds the log
 * in pages of entries through the same adapter the push transaction uses
 * (./project.ts), all in one transaction, so a rebuild equals what the pushes
 * wrote one by one. `npm run server -- admin rebuild-read-models` runs it.
 */
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { aggregateKpis, clearKpiAggregates } from '../kpis/aggregate.ts';
import { clearStoreNotesReads, projectStoreNotesReads } from '../risks/storeNotesReads.ts';
import { sql, type Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import {
  loadCatalogFacts,
  projectEntries,
  SERVER_TABLE,
  Statement,
  type CatalogFacts,
  type Dialect,
  type LogEntryToProject,
} from './project.ts';

type CatalogTerminal = {
  id: string;
  storeId: string;
  installed: { releaseId: string; since: string } | null;
  lastSeen: string | null;
};

function baselineRow(t: CatalogTerminal, catalog: CatalogFacts): Array<string | null> {
  // The version follows the release when it is published after the fleet (publishRelease).
  const version = t.installed ? (catalog.releaseVersion.get(t.installed.releaseId) ?? null) : null;
  return [
    t.id,
    t.storeId,
    t.installed?.releaseId ?? null,
    version,
    t.installed?.since ?? null,
    t.lastSeen,
  ];
}

/**
 * Writes the catalog baseline of terminals into `rm_terminals`. `replace`
 * (the rebuild) overwrites; otherwise (a fleet import) a terminal already
 * projected keeps its observed state and only follows a move to another store.
 */
export async function seedTerminalBaselines(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  terminals: readonly CatalogTerminal[],
  options: { replace: boolean; catalog?: CatalogFacts },
): Promise<void> {
  if (terminals.length === 0) return;
  const catalog = options.catalog ?? (await loadCatalogFacts(db));
  for (let i = 0; i < terminals.length; i += 4000) {
    const s = new Statement(dialect).text(
      'INSERT INTO rm_terminals (terminal_id, store_id, release_id, version, since, last_seen) VALUES ',
    );
    terminals.slice(i, i + 4000).forEach((t, j) => {
      if (j > 0) s.text(', ');
      s.tuple(baselineRow(t, catalog));
    });
    s.text(
      options.replace
        ? ' ON CONFLICT (terminal_id) DO UPDATE SET store_id = excluded.store_id, release_id = excluded.release_id, version = excluded.version, since = excluded.since, last_seen = excluded.last_seen'
        : ' ON CONFLICT (terminal_id) DO UPDATE SET store_id = excluded.store_id',
    );
    await db.executeQuery(s.compile());
  }
}

const READ_MODEL_TABLES = [
  ...Object.values(SERVER_TABLE),
  'rm_superseded',
  'rm_device_syncs',
] as const;

export type RebuildResult = { entries: number; projected: number; superseded: number; ms: number };

export async function rebuildReadModels(
  db: Kysely<ServerSchema>,
  dialect: Dialect,
  options: { pageSize?: number } = {},
): Promise<RebuildResult> {
  const pageSize = options.pageSize ?? 5000;
  const started = performance.now();
  const result = await db.transaction().execute(async (trx) => {
    for (const table of READ_MODEL_TABLES) await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
    await clearKpiAggregates(trx);
    await clearStoreNotesReads(trx);
    const catalog = await loadCatalogFacts(trx);
    const terminals = await trx.selectFrom('terminals').select('data').execute();
    await seedTerminalBaselines(
      trx,
      dialect,
      terminals.map((t) => JSON.parse(t.data) as CatalogTerminal),
      { replace: true, catalog },
    );
    let after = -1;
    let entries = 0;
    let projected = 0;
    let superseded = 0;
    for (;;) {
      // selectAll: the actor check's quarantine column (22.6) is read when the log has it.
      const page = (await trx
        .selectFrom('log_entries')
        .selectAll()
        .where('idx', '>', after)
        .orderBy('idx')
        .limit(pageSize)
        .execute()) as LogEntryToProject[];
      if (page.length === 0) break;
      after = Number(page[page.length - 1]!.idx);
      entries += page.length;
      // Server entries are no device event: no KPI counts them; the desk's triage entries are
      // projected like any event (the reducers read only the types they know).
      const events = page.filter((e) => e.device_id !== SERVER_DEVICE_ID);
      const r = await projectEntries(trx, page, { dialect, catalog });
      await aggregateKpis(trx, events);
      await projectStoreNotesReads(trx, events);
      projected += r.projected;
      superseded += r.superseded;
    }
    // The last sync of each console: its newest entry, received with the checkpoint that closed its push (the server's own entries are no console's).
    await sql`INSERT INTO rm_device_syncs (device_id, store_id, last_idx, last_seq, last_at)
      SELECT l.device_id, l.store_id, l.idx, l.seq, coalesce(c.received_at, l.at)
      FROM log_entries l
      JOIN (SELECT device_id, max(idx) AS idx FROM log_entries GROUP BY device_id) m ON m.idx = l.idx
      LEFT JOIN checkpoints c ON c.device_id = l.device_id AND c.seq = l.seq
      WHERE l.device_id <> ${SERVER_DEVICE_ID}`.execute(trx);
    return { entries, projected, superseded };
  });
  return { ...result, ms: performance.now() - started };
}
