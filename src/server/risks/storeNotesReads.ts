/**
 * The read model of store notes read: one row per release, store and person,
 * from the accepted `release.store_notes.read` entries of the log (a
 * quarantined entry counts for no one). Kept in the push transaction and
 * rebuilt page by page with the other read models, so the desk's counts are
 * a projection of the log.
 */
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';

type Entry = {
  idx: number;
  store_id: string;
  type: string;
  body: string;
  quarantine_reason?: string | null;
};

export async function projectStoreNotesReads(
  trx: Kysely<ServerSchema>,
  entries: readonly Entry[],
): Promise<void> {
  const rows = entries
    .filter((e) => e.type === 'release.store_notes.read' && !e.quarantine_reason)
    .map((e) => {
      const event = JSON.parse(e.body) as {
        actor: { userId: string };
        payload: { releaseId: string };
      };
      return {
        release_id: event.payload.releaseId,
        store_id: e.store_id,
        user_id: event.actor.userId,
        log_idx: Number(e.idx),
      };
    });
  if (rows.length === 0) return;
  await trx
    .insertInto('rm_store_notes_reads')
    .values(rows)
    .onConflict((oc) => oc.columns(['release_id', 'store_id', 'user_id']).doNothing())
    .execute();
}

export async function clearStoreNotesReads(trx: Kysely<ServerSchema>): Promise<void> {
  await trx.deleteFrom('rm_store_notes_reads').execute();
}
