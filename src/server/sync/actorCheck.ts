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
import { actorFactsOf, currentActorFacts, type ActorFacts } from '../quarantine/catalog.ts';
import type { Query } from '../readModels/project.ts';
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
  const { userIds, terminalIds } = actorIdsOf(checked, offset);
  return verdictOf(checked, offset, await currentActorFacts(trx, userIds, terminalIds));
}

/** The distinct actors and terminals of events [offset, count): what the verdict reads of the catalog. */
function actorIdsOf(
  checked: CheckedPush,
  offset: number,
): { userIds: string[]; terminalIds: string[] } {
  const count = checked.hashes.length;
  const userIds = new Set<string>();
  const terminalIds = new Set<string>();
  for (let i = offset; i < count; i++) {
    userIds.add(checked.actorUserIds[i]!);
    for (const t of checked.terminalIds[i]!) terminalIds.add(t);
  }
  return { userIds: [...userIds], terminalIds: [...terminalIds] };
}

function verdictOf(checked: CheckedPush, offset: number, facts: ActorFacts): QuarantinedEvent[] {
  const count = checked.hashes.length;
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

/**
 * The same verdict as `actorVerdict`, with the catalog read as one more read
 * of the read models' fold (readModels/project.ts `alsoRead`): on PostgreSQL
 * the push then pays one round trip under the log lock for both, not two.
 * `verdict()` is ready once the fold's reads have run.
 */
export function actorVerdictRead(
  checked: CheckedPush,
  offset: number,
): { read: Query | null; verdict: () => QuarantinedEvent[] } {
  const { userIds, terminalIds } = actorIdsOf(checked, offset);
  let facts: ActorFacts | null = null;
  const verdict = () => {
    if (facts === null) throw new Error('actorVerdictRead: the catalog was not read yet');
    return verdictOf(checked, offset, facts);
  };
  if (userIds.length === 0 && terminalIds.length === 0) {
    facts = { users: new Map(), terminals: new Map() };
    return { read: null, verdict };
  }
  const read: Query = {
    write(s) {
      s.text('SELECT entity, entity_id, data, from_index FROM actor_catalog WHERE ');
      const parts: Array<[string, string[]]> = [];
      if (userIds.length > 0) parts.push(['user', userIds]);
      if (terminalIds.length > 0) parts.push(['terminal', terminalIds]);
      parts.forEach(([entity, ids], i) => {
        s.text(i === 0 ? '(entity = ' : ' OR (entity = ')
          .param(entity)
          .text(' AND entity_id IN ')
          .tuple(ids)
          .text(')');
      });
    },
    accept(rows) {
      // Oldest first, so the last row read for an id is the version in force now.
      const sorted = (
        rows as Array<{
          entity: string;
          entity_id: string;
          data: string;
          from_index: number | string;
        }>
      )
        .slice()
        .sort((a, b) => Number(a.from_index) - Number(b.from_index));
      facts = actorFactsOf(sorted);
    },
  };
  return { read, verdict };
}
