/**
 * The server's re-check of go decisions against the compliance rules in
 * force when the decision reaches the central log. A `go` (or go with
 * conditions) in a store a rule binds (by its region or its country) is
 * appended and quarantined `compliance_missing`, like an event that breaks
 * the actor rule (so the device's chain stays whole), when either:
 * - its own signed criteria lack the rule's criterion met: a console that
 *   signed while its catalog did not have the rule yet, or an older console;
 * - or the central log does not back the rule's checks: the server does not
 *   take the console's word for `isMet`, it re-derives each required check
 *   from the store's accepted checklist events (src/shared/compliance/evidence.ts),
 *   those earlier in the log and those earlier in the same push batch.
 *
 * A run counts only when the template it carries is one the catalog
 * published for that id (any version): a console cannot start a run of a
 * home-made "tpl-fiscal" with nothing mandatory in it and pass that.
 *
 * Earlier in the log is read from the read models (indexed by store and
 * release; they hold exactly the accepted entries), or from the log itself
 * when a server runs without read models. Batch events the actor rule
 * quarantines are not evidence: on PostgreSQL that verdict is known only
 * after the read models' reads, so the check returns a function of it.
 */
import type { Transaction } from 'kysely';
import {
  checksMissingFromEvidence,
  emptyEvidence,
  EVIDENCE_EVENT_TYPES,
  foldEvidence,
  itemKey,
  type ChecklistEvidence,
  type EvidenceEvent,
  type EvidenceRun,
} from '../../shared/compliance/evidence.ts';
import type { Answer, Outcome } from '../../shared/checklists/answers.ts';
import {
  complianceCriterionId,
  complianceRequirements,
  type ComplianceRequirement,
  type StorePlace,
} from '../../shared/compliance/rules.ts';
import { canonicalJson } from '../../shared/projection/json.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { QuarantinedEvent } from '../sync/actorCheck.ts';
import type { CheckedPush } from '../sync/checkPush.ts';
import { readComplianceRules } from './service.ts';

const GO_DECISIONS: readonly string[] = ['go', 'go-with-conditions'];
const EVIDENCE_TYPES: readonly string[] = EVIDENCE_EVENT_TYPES;

type Trx = Transaction<ServerSchema>;

type DecisionPayload = {
  releaseId?: unknown;
  decision?: unknown;
  criteria?: unknown;
};

/** The verdict once the actor rule's marks on the same batch are known. */
export type ComplianceVerdict = (actor: readonly QuarantinedEvent[]) => QuarantinedEvent[];

const NONE: ComplianceVerdict = () => [];

/**
 * Reads what the re-check needs (rules, the store, its evidence so far) and
 * returns the verdict: `compliance_missing` for each fresh go decision of the
 * push that a binding rule's checks do not back.
 */
export async function complianceVerdict(
  trx: Trx,
  checked: CheckedPush,
  offset: number,
  options: { hasReadModels: boolean },
): Promise<ComplianceVerdict> {
  const decisions: Array<{ i: number; releaseId: string; payload: DecisionPayload }> = [];
  for (let i = offset; i < checked.types.length; i++) {
    if (checked.types[i] !== 'decision.recorded') continue;
    const payload = (JSON.parse(checked.texts[i]!) as { payload: DecisionPayload }).payload;
    if (GO_DECISIONS.includes(String(payload.decision)))
      decisions.push({ i, releaseId: String(payload.releaseId), payload });
  }
  if (decisions.length === 0) return NONE;
  const store = await trx
    .selectFrom('stores')
    .select('data')
    .where('id', '=', checked.storeId)
    .executeTakeFirst();
  if (!store) return NONE;
  const place = JSON.parse(store.data) as StorePlace;
  const rules = await readComplianceRules(trx);
  if (rules.length === 0) return NONE;
  const binding = new Map<number, ComplianceRequirement[]>();
  for (const d of decisions) {
    const requirements = complianceRequirements(rules, new Map(), place, d.releaseId);
    if (requirements.length > 0) binding.set(d.i, requirements);
  }
  if (binding.size === 0) return NONE;
  const releaseIds = [
    ...new Set(decisions.filter((d) => binding.has(d.i)).map((d) => d.releaseId)),
  ];
  const templateIds = [
    ...new Set([...binding.values()].flat().flatMap((r) => r.checks.map((c) => c.templateId))),
  ];
  const published = await publishedTemplates(trx, templateIds);
  const earlier = options.hasReadModels
    ? await evidenceFromReadModels(trx, checked.storeId, releaseIds, templateIds, published)
    : await evidenceFromLog(trx, checked.storeId, published);

  return (actor) => {
    const excluded = new Set(actor.map((q) => q.seq));
    // Each decision is judged on a copy: the batch's own events fold onto it in order.
    const evidence: ChecklistEvidence = {
      runs: new Map(earlier.runs),
      answers: new Map(earlier.answers),
      waivers: new Set(earlier.waivers),
    };
    const out: QuarantinedEvent[] = [];
    let next = offset;
    for (const d of decisions) {
      for (; next < d.i; next++) {
        if (!EVIDENCE_TYPES.includes(checked.types[next]!)) continue;
        if (excluded.has(checked.firstSeq + next)) continue;
        foldPublished(evidence, JSON.parse(checked.texts[next]!) as EvidenceEvent, published);
      }
      const requirements = binding.get(d.i);
      if (!requirements) continue;
      const criteria = Array.isArray(d.payload.criteria)
        ? (d.payload.criteria as Array<{ id?: unknown; isMet?: unknown }>)
        : [];
      const met = new Set(criteria.filter((c) => c.isMet === true).map((c) => String(c.id)));
      const isMissing = requirements.some(
        (r) =>
          !met.has(complianceCriterionId(r.ruleId)) ||
          checksMissingFromEvidence(r, evidence, d.releaseId).length > 0,
      );
      if (isMissing) out.push({ seq: checked.firstSeq + d.i, reason: 'compliance_missing' });
    }
    return out;
  };
}

/** The canonical text (RFC 8785) of every version the catalog published of these templates. */
async function publishedTemplates(
  trx: Trx,
  templateIds: readonly string[],
): Promise<ReadonlySet<string>> {
  const rows = await trx
    .selectFrom('catalog_changes')
    .select('value')
    .where('entity', '=', 'checklistTemplate')
    .where('op', '=', 'upsert')
    .where('entity_id', 'in', templateIds)
    .execute();
  return new Set(
    rows.filter((r) => r.value !== null).map((r) => canonicalJson(JSON.parse(r.value!))),
  );
}

/** Folds the event, leaving out a run whose template the catalog never published. */
function foldPublished(
  evidence: ChecklistEvidence,
  event: EvidenceEvent,
  published: ReadonlySet<string>,
): void {
  if (
    event.type === 'checklist.run.started' &&
    !published.has(canonicalJson(event.payload['template']))
  )
    return;
  foldEvidence(evidence, event);
}

/** The store's runs of the required templates for these releases, with their current answers and waivers. */
async function evidenceFromReadModels(
  trx: Trx,
  storeId: string,
  releaseIds: readonly string[],
  templateIds: readonly string[],
  published: ReadonlySet<string>,
): Promise<ChecklistEvidence> {
  const evidence = emptyEvidence();
  const runs = await trx
    .selectFrom('rm_checklist_runs')
    .select(['id', 'release_id', 'template_data', 'terminal_ids', 'started_at'])
    .where('store_id', '=', storeId)
    .where('release_id', 'in', releaseIds)
    .where('template_id', 'in', templateIds)
    .execute();
  const counted = runs.filter((r) => published.has(r.template_data));
  if (counted.length === 0) return evidence;
  for (const r of counted)
    evidence.runs.set(r.id, {
      runId: r.id,
      releaseId: r.release_id,
      template: JSON.parse(r.template_data) as EvidenceRun['template'],
      terminalIds: JSON.parse(r.terminal_ids) as string[],
      startedAt: r.started_at,
    });
  const runIds = counted.map((r) => r.id);
  const results = await trx
    .selectFrom('rm_checklist_results')
    .select(['run_id', 'terminal_id', 'item_id', 'answer', 'outcome'])
    .where('run_id', 'in', runIds)
    .where('is_current', '=', 1)
    .execute();
  for (const r of results)
    evidence.answers.set(itemKey(r.run_id, r.terminal_id, r.item_id), {
      answer: JSON.parse(r.answer) as Answer,
      outcome: r.outcome as Outcome,
    });
  const waivers = await trx
    .selectFrom('rm_checklist_waivers')
    .select(['run_id', 'terminal_id', 'item_id'])
    .where('run_id', 'in', runIds)
    .execute();
  for (const w of waivers) evidence.waivers.add(itemKey(w.run_id, w.terminal_id, w.item_id));
  return evidence;
}

/** Without read models: the store's accepted checklist events, folded in log order. */
async function evidenceFromLog(
  trx: Trx,
  storeId: string,
  published: ReadonlySet<string>,
): Promise<ChecklistEvidence> {
  const evidence = emptyEvidence();
  const rows = await trx
    .selectFrom('log_entries')
    .select('body')
    .where('store_id', '=', storeId)
    .where('type', 'in', EVIDENCE_TYPES)
    .where('quarantine_reason', 'is', null)
    .orderBy('idx')
    .execute();
  for (const r of rows) foldPublished(evidence, JSON.parse(r.body) as EvidenceEvent, published);
  return evidence;
}
