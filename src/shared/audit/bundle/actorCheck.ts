/** Who acted: the actor rule's verdict on every event it covers, against the quarantine lines. Runs after every line was read. */
import {
  actorRuleVerdict,
  CENTRAL_RULE_REASONS,
  versionAt,
  type ActorUserVersion,
  type QuarantineReason,
} from '../actorRule.ts';
import { SERVER_DEVICE_ID } from '../serverEntry.ts';
import { blockRuleVerdict } from '../../releases/blockRule.ts';
import { isObject } from './bytes.ts';
import { Failure } from './failure.ts';
import { parsedBody, type KeptEvent } from './read.ts';

/**
 * With an actor-rule line: every event from its index on is quarantined
 * exactly when it breaks the rule against the catalog versions in force at
 * its index, and with that reason. Returns how many events were judged.
 */
export function checkActorRule(
  actorRule: { fromIndex: number; line: number } | null,
  actorEvents: readonly KeptEvent[],
  users: Map<string, Array<ActorUserVersion & { fromIndex: number }>>,
  terminals: Map<string, Array<{ storeId: string; fromIndex: number }>>,
  marks: ReadonlyMap<number, { reason: QuarantineReason; line: number }>,
): number | null {
  if (actorRule === null) {
    const first = [...marks.values()][0];
    if (first) throw new Failure(first.line, 'a quarantine line without an actor-rule line');
    return null;
  }
  for (const list of users.values()) list.sort((a, b) => a.fromIndex - b.fromIndex);
  for (const list of terminals.values()) list.sort((a, b) => a.fromIndex - b.fromIndex);
  const judged = new Set<number>();
  for (const kept of actorEvents) {
    const { e } = kept;
    if (e.index < actorRule.fromIndex) continue;
    // A server entry is no device event (checkServerEntries proved it is the log's own).
    if (e.event.deviceId === SERVER_DEVICE_ID) continue;
    const body = parsedBody(kept);
    const actor = body.actor;
    if (!isObject(actor) || typeof actor.userId !== 'string' || typeof actor.role !== 'string')
      throw new Failure(e.line, `event ${e.event.id} names no actor`);
    const verdict = actorRuleVerdict(
      {
        actor: { userId: actor.userId, role: actor.role },
        storeId: e.event.storeId,
        type: String(body.type),
        payload: body.payload,
      },
      versionAt(users.get(actor.userId), e.index),
      (terminalId) => versionAt(terminals.get(terminalId), e.index)?.storeId,
    );
    judged.add(e.index);
    const mark = marks.get(e.index);
    // The block rule's mark: the actor rule lets the event count, and it must be a start
    // without a valid bypass (whether the release was blocked then is the desk entries' word).
    if (verdict === null && mark?.reason === 'release_blocked') {
      const own = blockRuleVerdict(
        { type: String(body.type), actor: { role: actor.role }, payload: body.payload },
        true,
      );
      if (own === null)
        throw new Failure(
          mark.line,
          `event ${e.event.id} (log index ${e.index}) is quarantined as release_blocked, but it is no deployment start without a store manager's bypass`,
        );
      continue;
    }
    if (verdict === null && mark && !CENTRAL_RULE_REASONS.includes(mark.reason))
      throw new Failure(
        mark.line,
        `event ${e.event.id} (log index ${e.index}) is quarantined as ${mark.reason}, but the actor rule lets it count`,
      );
    if (verdict !== null && !mark)
      throw new Failure(
        e.line,
        `event ${e.event.id} (log index ${e.index}) breaks the actor rule (${verdict}) but is not quarantined`,
      );
    if (verdict !== null && mark && mark.reason !== verdict)
      throw new Failure(
        mark.line,
        `event ${e.event.id} (log index ${e.index}) is quarantined as ${mark.reason}, but the actor rule says ${verdict}`,
      );
  }
  for (const [index, mark] of marks)
    if (!judged.has(index))
      throw new Failure(
        mark.line,
        `quarantine line for log index ${index}, which is no event of this bundle judged by the actor rule`,
      );
  return judged.size;
}
