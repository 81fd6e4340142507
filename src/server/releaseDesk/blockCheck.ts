/**
 * The block rule on the server (src/shared/releases/blockRule.ts): inside the
 * push transaction, after the log lock, a `deployment.started` of a release
 * whose lifecycle is `blocked` (desk entries earlier in the log put it there)
 * without a store manager's bypass is appended and marked `release_blocked`.
 * Costs nothing for a batch without a start: most pushes carry none.
 */
import type { Transaction } from 'kysely';
import { blockRuleVerdict, DEPLOYMENT_STARTED } from '../../shared/releases/blockRule.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { CheckedPush } from '../sync/checkPush.ts';
import type { QuarantinedEvent } from '../sync/actorCheck.ts';

type LoggedEvent = { actor: { role: string }; payload: Record<string, unknown> };

/** The `release_blocked` marks for events [offset, count) of a checked push. */
export async function blockVerdict(
  trx: Transaction<ServerSchema>,
  checked: CheckedPush,
  offset: number,
): Promise<QuarantinedEvent[]> {
  const count = checked.types.length;
  const starts: Array<{ i: number; event: LoggedEvent; deploymentId: string }> = [];
  for (let i = offset; i < count; i++)
    if (checked.types[i] === DEPLOYMENT_STARTED) {
      const event = JSON.parse(checked.texts[i]!) as LoggedEvent;
      starts.push({ i, event, deploymentId: String(event.payload.deploymentId) });
    }
  if (starts.length === 0) return [];
  // The release of each deployment: its plan earlier in this batch, else the read model.
  const releaseOf = new Map<string, string>();
  for (let i = 0; i < count; i++)
    if (checked.types[i] === 'deployment.planned') {
      const planned = JSON.parse(checked.texts[i]!) as LoggedEvent;
      releaseOf.set(String(planned.payload.deploymentId), String(planned.payload.releaseId));
    }
  const unknown = starts.map((s) => s.deploymentId).filter((id) => !releaseOf.has(id));
  if (unknown.length > 0)
    for (const row of await trx
      .selectFrom('rm_deployments')
      .select(['id', 'release_id'])
      .where('id', 'in', unknown)
      .execute())
      releaseOf.set(row.id, row.release_id);
  const releaseIds = [...new Set(starts.map((s) => releaseOf.get(s.deploymentId)))].filter(
    (id): id is string => id !== undefined,
  );
  if (releaseIds.length === 0) return [];
  const blocked = new Set(
    (
      await trx
        .selectFrom('release_lifecycles')
        .select('release_id')
        .where('state', '=', 'blocked')
        .where('release_id', 'in', releaseIds)
        .execute()
    ).map((r) => r.release_id),
  );
  const out: QuarantinedEvent[] = [];
  for (const s of starts) {
    const releaseId = releaseOf.get(s.deploymentId);
    const verdict = blockRuleVerdict(
      { type: DEPLOYMENT_STARTED, actor: s.event.actor, payload: s.event.payload },
      releaseId !== undefined && blocked.has(releaseId),
    );
    if (verdict !== null) out.push({ seq: checked.firstSeq + s.i, reason: verdict });
  }
  return out;
}

/** Both rules' marks, one per event: the actor rule's reason first, as the verifier reads them. */
export function withBlockMarks(
  actor: readonly QuarantinedEvent[],
  block: readonly QuarantinedEvent[],
): QuarantinedEvent[] {
  const bySeq = new Map(block.map((q) => [q.seq, q]));
  for (const q of actor) bySeq.set(q.seq, q);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
