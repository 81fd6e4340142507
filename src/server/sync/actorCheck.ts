/**
 * The server's actor check (DESIGN.md "Who acted"): inside the push
 * transaction, after the log lock and before anything is projected, each
 * fresh event is judged by the actor rule (src/shared/audit/actorRule.ts)
 * against the catalog in force at that point of the log (quarantine/catalog.ts).
 * An event that fails is appended like any other, with its reason in the
 * same insert: the device's chain stays whole and its later events still flow.
 */
import type { Transaction } from 'kysely';
import { actorRuleVerdict, type QuarantineReason } from '../../shared/audit/actorRule.ts';
import type { ServerSchema } from '../db/schema.ts';
import { currentActorFacts } from '../quarantine/catalog.ts';
import type { CheckedPush } from './checkPush.ts';

export type QuarantinedEvent = { seq: number; reason: QuarantineReason };

/**
 * The verdict for events [offset, count) of a checked push, as `{seq, reason}`
 * for each event that breaks the rule (empty: all may count). Reads the
 * catalog once per push: the distinct actors and terminals of the batch.
 */
export async function actorVerdict(
  trx: Transaction<ServerSchema>,
  checked: CheckedPush,
  offset: number,
): Promise<QuarantinedEvent[]> {
  const count = checked.hashes.length;
  const userIds = new Set<string>();
  const terminalIds = new Set<string>();
  for (let i = offset; i < count; i++) {
    userIds.add(checked.actorUserIds[i]!);
    for (const t of checked.terminalIds[i]!) terminalIds.add(t);
  }
  const facts = await currentActorFacts(trx, [...userIds], [...terminalIds]);
  const terminalStore = (id: string) => facts.terminals.get(id);
  const out: QuarantinedEvent[] = [];
  for (let i = offset; i < count; i++) {
    const terminals = checked.terminalIds[i]!;
    const reason = actorRuleVerdict(
      {
        actor: { userId: checked.actorUserIds[i]!, role: checked.actorRoles[i]! },
        storeId: checked.storeId,
        type: checked.types[i]!,
        // The rule reads only the terminals of the payload, already extracted.
        payload: { terminalIds: terminals },
      },
      facts.users.get(checked.actorUserIds[i]!),
      terminalStore,
    );
    if (reason !== null) out.push({ seq: checked.firstSeq + i, reason });
  }
  return out;
}
