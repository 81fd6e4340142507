/**
 * Compliance rules: what a region's law or policy requires before a release
 * may be validated in its stores (a fiscal-printer certification checklist,
 * a data-protection review). An administrator publishes them; they travel in
 * the catalog like checklist requirements, and the go / no-go rule
 * (src/shared/decisions/verdict.ts) adds one criterion per rule that applies
 * to the store. A rule names either a region or a country (exactly one): it
 * binds the stores whose catalog region, or whose country (ISO 3166-1
 * alpha-2), it names, for the releases it names (none named: every release).
 * A store without a country is bound by region rules only.
 *
 * Each required check is a published checklist template:
 * - `checklist`: the template passed on `terminalCount` of the store's terminals;
 * - `sign-off`: a store-level review (one run, on one terminal), whose signer
 *   the compliance report names.
 */
import { z } from 'zod';
import { countryCode } from '../fleet/countries.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const COMPLIANCE_CHECK_KINDS = ['checklist', 'sign-off'] as const;
export type ComplianceCheckKind = (typeof COMPLIANCE_CHECK_KINDS)[number];

const complianceCheck = z
  .object({
    kind: z.enum(COMPLIANCE_CHECK_KINDS),
    templateId: idText,
    terminalCount: z.number().int().min(1).max(100),
  })
  .strict();

export const complianceRule = z
  .object({
    id: idText,
    /** What the store manager reads on the go / no-go screen, e.g. "Fiscal printer certification (NF525)". */
    name: z.string().trim().min(1).max(120),
    /** The region as the catalog's stores spell it (catalogStore.region); or `country`, not both. */
    region: z.string().min(1).max(60).optional(),
    /** The country (ISO 3166-1 alpha-2) of the stores it binds; or `region`, not both. */
    country: countryCode.optional(),
    /** The releases it applies to; empty: every release. */
    releaseIds: z.array(idText).max(1000),
    checks: z.array(complianceCheck).min(1).max(20),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.region !== undefined && rule.country !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: 'a rule names a region or a country, not both',
      });
    if (rule.region === undefined && rule.country === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: 'name the region or the country (ISO 3166-1 alpha-2) whose stores the rule binds',
      });
    const seen = new Set<string>();
    rule.checks.forEach((check, i) => {
      if (seen.has(check.templateId))
        ctx.addIssue({
          code: 'custom',
          path: ['checks', i, 'templateId'],
          message: `template ${check.templateId} is required twice`,
        });
      seen.add(check.templateId);
      if (check.kind === 'sign-off' && check.terminalCount !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['checks', i, 'terminalCount'],
          message: 'a sign-off is signed once per store: terminalCount is 1',
        });
    });
  });
export type ComplianceRule = z.infer<typeof complianceRule>;

/** Where a store is, as rules bind it: its region, and its country when the catalog knows it. */
export type StorePlace = { region: string; country?: string | null | undefined };

/** A rule's scope: exactly one of region and country. */
export type RuleScope = Pick<ComplianceRule, 'region' | 'country'>;

/** Whether the rule binds this release at a store in this place. */
export function ruleApplies(
  rule: RuleScope & Pick<ComplianceRule, 'releaseIds'>,
  place: StorePlace,
  releaseId: string,
): boolean {
  return (
    isInScope(rule, place) && (rule.releaseIds.length === 0 || rule.releaseIds.includes(releaseId))
  );
}

/** Whether a store in this place is inside the rule's region or country (a store without a country: region rules only). */
function isInScope(rule: RuleScope, place: StorePlace): boolean {
  if (rule.country !== undefined) return place.country === rule.country;
  return rule.region === place.region;
}

/** The rule's scope as the central action's log entry names it: `{region}` or `{country}`. */
export function scopeOf(rule: RuleScope): { region: string } | { country: string } {
  return rule.country !== undefined ? { country: rule.country } : { region: rule.region ?? '' };
}

/** The rule's scope in words for a line of text: "Europe" or "country FR". */
export function scopeText(rule: RuleScope): string {
  return rule.country !== undefined ? `country ${rule.country}` : (rule.region ?? '');
}

/** The rule's checks as the go / no-go rule reads them (verdict.ts VerdictComplianceRule). */
export type ComplianceRequirement = {
  ruleId: string;
  ruleName: string;
  checks: Array<{
    kind: ComplianceCheckKind;
    templateId: string;
    templateName: string;
    terminalCount: number;
  }>;
};

/** The rules binding `releaseId` at a store in `place`, in id order, with template names resolved. */
export function complianceRequirements(
  rules: readonly ComplianceRule[],
  templateNames: ReadonlyMap<string, string>,
  place: StorePlace,
  releaseId: string,
): ComplianceRequirement[] {
  return rules
    .filter((r) => ruleApplies(r, place, releaseId))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      ruleId: r.id,
      ruleName: r.name,
      checks: r.checks.map((c) => ({
        kind: c.kind,
        templateId: c.templateId,
        templateName: templateNames.get(c.templateId) ?? c.templateId,
        terminalCount: c.terminalCount,
      })),
    }));
}

/** A compliance criterion's id in the verdict: the server re-checks decisions by it. */
export function complianceCriterionId(ruleId: string): string {
  return `compliance:${ruleId}`;
}
