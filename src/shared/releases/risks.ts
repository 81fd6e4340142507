/**
 * A release's risk register: each risk with its likelihood, impact, owner,
 * mitigation and contingency (the contingency names the step of the release's
 * rollback runbook it falls back to). Published by an administrator (API or
 * command line), carried to every console in the catalog, shown on the release
 * desk, and reviewed at go / no-go: the store manager acknowledges every open
 * risk as part of the signed decision.
 */
import { z } from 'zod';

// Not imported from the sync protocol, which imports this module for the catalog pull.
const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** An open risk is reviewed at every go / no-go; a closed one no longer is. */
const RISK_STATUSES = ['open', 'closed'] as const;

const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} is required`).max(max, `${what} is at most ${max} characters`);

/** One risk; its catalog id is its own id (unique across releases). */
export const catalogReleaseRisk = z
  .object({
    id: idText,
    releaseId: idText,
    title: text(200, 'the title'),
    likelihood: z.enum(RISK_LEVELS),
    impact: z.enum(RISK_LEVELS),
    /** Who answers for it: a name or a team a store manager can call. */
    owner: text(120, 'the owner'),
    mitigation: text(2000, 'the mitigation'),
    /** What is done if it happens anyway. */
    contingency: text(2000, 'the contingency'),
    /** The step of the release's rollback runbook the contingency falls back to; null: none. */
    rollbackStepId: idText.nullable(),
    status: z.enum(RISK_STATUSES),
  })
  .strict();
export type CatalogReleaseRisk = z.infer<typeof catalogReleaseRisk>;

/** The release desk's read of a release's register. */
export const deskRisks = z
  .object({
    releaseId: z.string(),
    risks: z.array(catalogReleaseRisk),
    asOf: z.string(),
  })
  .strict();
export type DeskRisks = z.infer<typeof deskRisks>;

export const riskParams = z.object({ releaseId: idText }).strict();

export const RISK_ROUTES = {
  publishRisk: {
    method: 'POST',
    url: '/v1/admin/risks',
    auth: 'admin',
  },
  deskRisks: {
    method: 'GET',
    url: '/v1/desk/releases/:releaseId/risks',
    auth: 'desk',
  },
} as const;

/** Likelihood × impact on a 1–9 scale, for ordering: the worst first. */
function riskScore(risk: Pick<CatalogReleaseRisk, 'likelihood' | 'impact'>): number {
  return (RISK_LEVELS.indexOf(risk.likelihood) + 1) * (RISK_LEVELS.indexOf(risk.impact) + 1);
}

/** A release's open risks, worst first (ties by id), as go / no-go lists them. */
export function openRisksOf(
  risks: readonly CatalogReleaseRisk[],
  releaseId: string,
): CatalogReleaseRisk[] {
  return risks
    .filter((r) => r.releaseId === releaseId && r.status === 'open')
    .sort((a, b) => riskScore(b) - riskScore(a) || a.id.localeCompare(b.id));
}

/**
 * The risks a signed decision saw, carried in its event: each open risk in
 * the words the manager read, and the ids the manager acknowledged.
 */
export const decisionRisks = z
  .object({
    open: z
      .array(
        z
          .object({
            id: idText,
            title: z.string().max(200),
            likelihood: z.enum(RISK_LEVELS),
            impact: z.enum(RISK_LEVELS),
            owner: z.string().max(120),
          })
          .strict(),
      )
      .max(200),
    acknowledged: z.array(idText).max(200),
  })
  .strict()
  // The server re-checks the console's claim: a decision cannot be signed over an unacknowledged risk.
  .refine((r) => r.open.every((risk) => r.acknowledged.includes(risk.id)), {
    message: 'every open risk must be acknowledged before the decision is signed',
    path: ['acknowledged'],
  });
export type DecisionRisks = z.infer<typeof decisionRisks>;
