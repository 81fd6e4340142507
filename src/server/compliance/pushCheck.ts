/**
 * The server's re-check of go decisions against the compliance rules in
 * force when the decision reaches the central log: a `go` (or go with
 * conditions) in a store whose region a rule binds must carry that rule's
 * criterion, met. A console that signed while its catalog did not have the
 * rule yet (offline when it was published), or an older console that does
 * not know the criterion, therefore cannot validate the release there: the
 * decision is appended and quarantined `compliance_missing`, like an event
 * that breaks the actor rule, so the device's chain stays whole.
 *
 * It reads the decision's own signed criteria rather than the read models:
 * results pushed in the same batch as the decision are not projected yet
 * when the push decides what to quarantine. The compliance report recomputes
 * each check from the read models independently.
 */
import type { Transaction } from 'kysely';
import { complianceCriterionId, ruleApplies } from '../../shared/compliance/rules.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { QuarantinedEvent } from '../sync/actorCheck.ts';
import type { CheckedPush } from '../sync/checkPush.ts';
import { readComplianceRules } from './service.ts';

const GO_DECISIONS: readonly string[] = ['go', 'go-with-conditions'];

type DecisionPayload = {
  releaseId?: unknown;
  decision?: unknown;
  criteria?: unknown;
};

/** `compliance_missing` for each fresh go decision of the push that lacks a met criterion of a rule binding its store. */
export async function complianceVerdict(
  trx: Transaction<ServerSchema>,
  checked: CheckedPush,
  offset: number,
): Promise<QuarantinedEvent[]> {
  const decisions: Array<{ seq: number; payload: DecisionPayload }> = [];
  for (let i = offset; i < checked.types.length; i++) {
    if (checked.types[i] !== 'decision.recorded') continue;
    const payload = (JSON.parse(checked.texts[i]!) as { payload: DecisionPayload }).payload;
    if (GO_DECISIONS.includes(String(payload.decision)))
      decisions.push({ seq: checked.firstSeq + i, payload });
  }
  if (decisions.length === 0) return [];
  const store = await trx
    .selectFrom('stores')
    .select('data')
    .where('id', '=', checked.storeId)
    .executeTakeFirst();
  if (!store) return [];
  const region = (JSON.parse(store.data) as { region: string }).region;
  const rules = (await readComplianceRules(trx)).filter((r) => r.region === region);
  if (rules.length === 0) return [];
  const out: QuarantinedEvent[] = [];
  for (const { seq, payload } of decisions) {
    const criteria = Array.isArray(payload.criteria)
      ? (payload.criteria as Array<{ id?: unknown; isMet?: unknown }>)
      : [];
    const met = new Set(criteria.filter((c) => c.isMet === true).map((c) => String(c.id)));
    const isMissing = rules.some(
      (rule) =>
        ruleApplies(rule, region, String(payload.releaseId)) &&
        !met.has(complianceCriterionId(rule.id)),
    );
    if (isMissing) out.push({ seq, reason: 'compliance_missing' });
  }
  return out;
}
