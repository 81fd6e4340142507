/**
 * The release-health work of a push, in its transaction, after the entries
 * were appended and projected: the webhook notifications of the appended
 * facts (src/server/webhooks/outbox.ts). The one place the push calls into
 * release health, so the read-model write path stays its own.
 */
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import { enqueueForAppended, type AppendedEntry } from '../webhooks/outbox.ts';

export async function afterAppend(
  trx: Kysely<ServerSchema>,
  entries: readonly AppendedEntry[],
  now: Date,
): Promise<void> {
  await enqueueForAppended(trx, entries, now);
}
