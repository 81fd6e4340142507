/**
 * A release's risk register and its notes for store staff on the server:
 * published by an administrator (API or command line), checked field by field
 * (a risk without an owner is refused naming `owner`, and nothing is
 * stored), kept per release and published in the catalog pull every console
 * receives. The release desk reads the register and how many people read the
 * store notes in each store.
 */
import type { Kysely } from 'kysely';
import {
  catalogReleaseRisk,
  riskParams,
  openRisksOf,
  type CatalogReleaseRisk,
  type DeskRisks,
} from '../../shared/releases/risks.ts';
import {
  catalogStoreNotes,
  storeNotesParams,
  type CatalogStoreNotes,
  type DeskStoreNotesReads,
} from '../../shared/releases/storeNotes.ts';
import type { CatalogRunbook } from '../../shared/deployments/runbook.ts';
import { recordChanges } from '../catalog/service.ts';
import { PublishRejected, parseFields } from '../catalog/deployments.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput } from '../errors.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { isRegionInScope } from '../../shared/desk/protocol.ts';

type Db = Kysely<ServerSchema>;

async function requireRelease(db: Db, releaseId: string, what: string): Promise<void> {
  const release = await db
    .selectFrom('releases')
    .select('id')
    .where('id', '=', releaseId)
    .executeTakeFirst();
  if (!release)
    throw new PublishRejected(what, [
      { field: 'releaseId', message: `release ${releaseId} has not been published` },
    ]);
}

/** The release's runbook as last published; null when it has none. */
async function runbookOf(db: Db, releaseId: string): Promise<CatalogRunbook | null> {
  const row = await db
    .selectFrom('catalog_changes')
    .select('value')
    .where('entity', '=', 'runbook')
    .where('entity_id', '=', releaseId)
    .where('op', '=', 'upsert')
    .orderBy('cursor', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.value ? (JSON.parse(row.value) as CatalogRunbook) : null;
}

/**
 * Publishes a risk (or updates one: status, mitigation…). The contingency's
 * rollback step must be a step of the release's rollback runbook.
 */
export async function publishRisk(db: Db, input: unknown, now: Date): Promise<CatalogReleaseRisk> {
  const risk = parseFields(catalogReleaseRisk, input, 'The risk');
  const what = `Risk ${risk.id}`;
  await requireRelease(db, risk.releaseId, what);
  if (risk.rollbackStepId !== null) {
    const runbook = await runbookOf(db, risk.releaseId);
    if (!runbook?.rollbackSteps.some((s) => s.id === risk.rollbackStepId))
      throw new PublishRejected(what, [
        {
          field: 'rollbackStepId',
          message: runbook
            ? `the rollback runbook of ${risk.releaseId} has no step ${risk.rollbackStepId}`
            : `release ${risk.releaseId} has no runbook yet; publish it first`,
        },
      ]);
  }
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('release_risks')
      .select('release_id')
      .where('id', '=', risk.id)
      .executeTakeFirst();
    if (existing && existing.release_id !== risk.releaseId)
      throw new PublishRejected(what, [
        {
          field: 'id',
          message: `risk ${risk.id} belongs to release ${existing.release_id}; give this one another id`,
        },
      ]);
    const data = JSON.stringify(risk);
    const at = now.toISOString();
    await trx
      .insertInto('release_risks')
      .values({ id: risk.id, release_id: risk.releaseId, data, updated_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data, updated_at: at }))
      .execute();
    await recordChanges(
      trx,
      [{ entity: 'releaseRisk', entity_id: risk.id, op: 'upsert', store_id: null, value: data }],
      now,
    );
  });
  return risk;
}

async function risksOf(db: Db, releaseId: string): Promise<CatalogReleaseRisk[]> {
  const rows = await db
    .selectFrom('release_risks')
    .select('data')
    .where('release_id', '=', releaseId)
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.data) as CatalogReleaseRisk);
}

/** The desk's read: the whole register, open risks first (worst first), then closed ones. */
export async function deskRisks(db: Db, params: unknown, now: Date): Promise<DeskRisks> {
  const { releaseId } = parseInput(riskParams, params, 'The release');
  const all = await risksOf(db, releaseId);
  const open = openRisksOf(all, releaseId);
  const closed = all.filter((r) => r.status !== 'open');
  return { releaseId, risks: [...open, ...closed], asOf: now.toISOString() };
}

/** Publishes (or replaces) a release's notes for store staff. */
export async function publishStoreNotes(
  db: Db,
  input: unknown,
  now: Date,
): Promise<CatalogStoreNotes> {
  const notes = parseFields(catalogStoreNotes, input, 'The notes for stores');
  await requireRelease(db, notes.releaseId, 'The notes for stores');
  await db.transaction().execute(async (trx) => {
    const data = JSON.stringify(notes);
    const at = now.toISOString();
    await trx
      .insertInto('release_store_notes')
      .values({ release_id: notes.releaseId, data, updated_at: at })
      .onConflict((oc) => oc.column('release_id').doUpdateSet({ data, updated_at: at }))
      .execute();
    await recordChanges(
      trx,
      [
        {
          entity: 'storeNotes',
          entity_id: notes.releaseId,
          op: 'upsert',
          store_id: null,
          value: data,
        },
      ],
      now,
    );
  });
  return notes;
}

/**
 * How many different people read the release's store notes in each store of
 * the desk's scope (the read model).
 */
export async function deskStoreNotesReads(
  db: Db,
  principal: DeskPrincipal,
  params: unknown,
  now: Date,
): Promise<DeskStoreNotesReads> {
  const { releaseId } = parseInput(storeNotesParams, params, 'The release');
  const rows = await db
    .selectFrom('rm_store_notes_reads')
    .select(['store_id', (eb) => eb.fn.countAll<number | string>().as('readers')])
    .where('release_id', '=', releaseId)
    .groupBy('store_id')
    .orderBy('store_id')
    .execute();
  const regions = new Map(
    rows.length === 0
      ? []
      : (
          await db
            .selectFrom('stores')
            .select(['id', 'data'])
            .where(
              'id',
              'in',
              rows.map((r) => r.store_id),
            )
            .execute()
        ).map((s) => [s.id, (JSON.parse(s.data) as { region: string }).region]),
  );
  return {
    releaseId,
    stores: rows
      .filter((r) => isRegionInScope(principal.scope, regions.get(r.store_id) ?? ''))
      .map((r) => ({ storeId: r.store_id, readers: Number(r.readers) })),
    asOf: now.toISOString(),
  };
}
