/**
 * The release-health work of a push, in its transaction, after the entries
 * were appended and projected: the KPI aggregates (./aggregate.ts) and the
 * webhook notifications of the appended facts (src/server/webhooks/outbox.ts).
 * The one place the push calls into release health, so the read-model write
 * path stays its own.
 */
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import { enqueueForAppended, type AppendedEntry } from '../webhooks/outbox.ts';
import { aggregateKpis } from './aggregate.ts';
import { projectStoreNotesReads } from '../risks/storeNotesReads.ts';

export async function afterAppend(
  trx: Kysely<ServerSchema>,
  entries: readonly AppendedEntry[],
  now: Date,
  options: { readModels: boolean } = { readModels: true },
): Promise<void> {
  // The aggregates read the projected state: without read models there is nothing to add up.
  if (options.readModels) await aggregateKpis(trx, entries);
  // Who read the store notes where (the release desk's counts).
  if (options.readModels) await projectStoreNotesReads(trx, entries);
  await enqueueForAppended(trx, entries, now);
}
