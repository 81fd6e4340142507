/**
 * Compliance rules: what a region's law or policy requires before a release
 * may be validated in its stores (a fiscal-printer certification checklist,
 * a data-protection review). An administrator publishes them; they travel in
 * the catalog like checklist requirements, and the go / no-go rule
 * (src/shared/decisions/verdict.ts) adds one criterion per rule that applies
 * to the store: a store applies a rule when its catalog region is the rule's
 * region, for the releases the rule names (none named: every release).
 *
 * Each required check is a published checklist template:
 * - `checklist`: the template passed on `terminalCount` of the store's terminals;
 * - `sign-off`: a store-level review (one run, on one terminal), whose signer
 *   the compliance report names.
 */
import { z } from 'zod';

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
    /** The region as the catalog's stores spell it (catalogStore.region). */
    region: z.string().min(1).max(60),
    /** The releases it applies to; empty: every release. */
    releaseIds: z.array(idText).max(1000),
    checks: z.array(complianceCheck).min(1).max(20),
  })
  .strict()
  .superRefine((rule, ctx) => {
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

/** Whether the rule binds this release at a store of this region. */
export function ruleApplies(
  rule: Pick<ComplianceRule, 'region' | 'releaseIds'>,
  region: string,
  releaseId: string,
): boolean {
  return (
    rule.region === region && (rule.releaseIds.length === 0 || rule.releaseIds.includes(releaseId))
  );
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

/** The rules binding `releaseId` at a store of `region`, in id order, with template names resolved. */
export function complianceRequirements(
  rules: readonly ComplianceRule[],
  templateNames: ReadonlyMap<string, string>,
  region: string,
  releaseId: string,
): ComplianceRequirement[] {
  return rules
    .filter((r) => ruleApplies(r, region, releaseId))
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
