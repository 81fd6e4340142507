/**
 * Compliance rules on the server: published by an administrator (API or
 * command line) into the catalog change log, their only storage, like
 * checklist templates; read back for the push's re-check of go decisions
 * (./pushCheck.ts) and for the compliance report (./report.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import { complianceRule, type ComplianceRule } from '../../shared/compliance/rules.ts';
import { recordChanges } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput, ServerError } from '../errors.ts';

type Db = Kysely<ServerSchema> | Transaction<ServerSchema>;

/**
 * Publishes (or replaces) a rule. Every template it requires must have been
 * published and every release it names must exist: otherwise 400 naming the
 * field, and nothing is stored.
 */
export async function setComplianceRule(
  db: Kysely<ServerSchema>,
  input: unknown,
  now: Date,
): Promise<ComplianceRule> {
  const rule = parseInput(complianceRule, input, 'The compliance rule');
  return db.transaction().execute(async (trx) => {
    const templateIds = rule.checks.map((c) => c.templateId);
    const known = new Set(
      (
        await trx
          .selectFrom('catalog_changes')
          .select('entity_id')
          .where('entity', '=', 'checklistTemplate')
          .where('op', '=', 'upsert')
          .where('entity_id', 'in', templateIds)
          .execute()
      ).map((r) => r.entity_id),
    );
    const unknown = rule.checks.findIndex((c) => !known.has(c.templateId));
    if (unknown >= 0)
      throw new ServerError(
        'invalid_input',
        `checks.${unknown}.templateId: there is no checklist template ${rule.checks[unknown]!.templateId}; publish it first. Nothing was stored.`,
      );
    if (rule.releaseIds.length > 0) {
      const releases = new Set(
        (
          await trx.selectFrom('releases').select('id').where('id', 'in', rule.releaseIds).execute()
        ).map((r) => r.id),
      );
      const missing = rule.releaseIds.findIndex((id) => !releases.has(id));
      if (missing >= 0)
        throw new ServerError(
          'invalid_input',
          `releaseIds.${missing}: there is no release ${rule.releaseIds[missing]!}. Nothing was stored.`,
        );
    }
    await recordChanges(
      trx,
      [
        {
          entity: 'complianceRule',
          entity_id: rule.id,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(rule),
        },
      ],
      now,
    );
    return rule;
  });
}

/** Every rule in force: the latest upsert of each id (a later delete removes it). */
export async function readComplianceRules(db: Db): Promise<ComplianceRule[]> {
  const rows = await db
    .selectFrom('catalog_changes')
    .select(['entity_id', 'op', 'value'])
    .where('entity', '=', 'complianceRule')
    .orderBy('cursor')
    .execute();
  const latest = new Map<string, ComplianceRule | null>();
  for (const r of rows)
    latest.set(
      r.entity_id,
      r.op === 'upsert' && r.value !== null ? (JSON.parse(r.value) as ComplianceRule) : null,
    );
  return [...latest.values()]
    .filter((r): r is ComplianceRule => r !== null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
