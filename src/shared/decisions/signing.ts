/**
 * Who may sign a go / no-go decision (issue 4, separation of duties):
 * - only a store manager signs (a technician cannot sign as manager; support
 *   and admin do not sign store decisions);
 * - the manager must be assigned to the store (or be regional: no store list);
 * - whoever deployed the release at this store cannot sign GO for it (until
 *   deployments exist, the people who recorded this release's installs at the
 *   store); they may still sign no-go;
 * - a plain "go" needs a go verdict; "go with conditions" needs at least one
 *   condition (the manager accepts the unmet criteria under them); conditions
 *   belong to that decision only;
 * - no go of either kind while a compliance rule of the store's region has a
 *   check missing: conditions cannot stand in for a regulatory check.
 * - every open risk of the release's risk register is acknowledged, whatever
 *   the decision (the risks are reviewed at go / no-go).
 */
import type { Role } from '../domain/roles.ts';
import type { Verdict } from './verdict.ts';

export const DECISIONS = ['go', 'no-go', 'go-with-conditions'] as const;
export type Decision = (typeof DECISIONS)[number];

export const SIGNING_PROBLEMS = [
  'not_manager',
  'not_assigned_to_store',
  'deployed_this_release',
  'verdict_is_no_go',
  'conditions_missing',
  'conditions_not_allowed',
  'compliance_missing',
  'risks_not_acknowledged',
] as const;
export type SigningProblemCode = (typeof SIGNING_PROBLEMS)[number];
/** A rule the signing breaks: a stable code the console translates by, the English words, and what they name. */
export type SigningProblem = {
  code: SigningProblemCode;
  message: string;
  params?: Record<string, string>;
};

export type SigningRequest = {
  signer: { userId: string; role: Role; storeIds: readonly string[] };
  storeId: string;
  decision: Decision;
  conditions: readonly string[];
  verdict: Verdict;
  /** Users who deployed (recorded installs of) this release at this store. */
  deployerUserIds: readonly string[];
  /** Compliance rules of the store's region with a check missing (their names); absent: none. */
  missingCompliance?: readonly string[];
  /** How many open risks of the release the signer has not acknowledged (absent: none). */
  unacknowledgedRisks?: number;
};

function isGoDecision(decision: Decision): boolean {
  return decision === 'go' || decision === 'go-with-conditions';
}

/** Every rule the request breaks, in the order above; empty means it may be signed. */
export function signingProblems(request: SigningRequest): SigningProblem[] {
  const problems: SigningProblem[] = [];
  const { signer, decision } = request;
  if (signer.role !== 'manager') {
    problems.push({
      code: 'not_manager',
      message: `Only a store manager can sign a go / no-go decision; you are signed in as ${signer.role}.`,
      params: { role: signer.role },
    });
  }
  if (signer.storeIds.length > 0 && !signer.storeIds.includes(request.storeId)) {
    problems.push({
      code: 'not_assigned_to_store',
      message: 'You are not assigned to this store, so you cannot sign its decision.',
    });
  }
  if (isGoDecision(decision) && request.deployerUserIds.includes(signer.userId)) {
    problems.push({
      code: 'deployed_this_release',
      message:
        'You deployed this release at this store, so another manager must sign go for it (you may still sign no-go).',
    });
  }
  if (decision === 'go' && request.verdict !== 'go') {
    problems.push({
      code: 'verdict_is_no_go',
      message:
        'The criteria are not all met, so the decision cannot be a plain go. Choose no-go, or go with conditions and list them.',
    });
  }
  const missing = request.missingCompliance ?? [];
  if (isGoDecision(decision) && missing.length > 0) {
    problems.push({
      code: 'compliance_missing',
      message: `The compliance checks this store's region or country requires are not all passed (${missing.join(', ')}), so no go can be signed, not even with conditions. Sign no-go, or complete the checks first.`,
      params: { rules: missing.join(', ') },
    });
  }
  problems.push(...conditionProblems(decision, request.conditions));
  const unacknowledged = request.unacknowledgedRisks ?? 0;
  if (unacknowledged > 0)
    problems.push({
      code: 'risks_not_acknowledged',
      message: `Acknowledge each open risk of this release before signing: ${unacknowledged} not acknowledged yet.`,
      params: { missing: String(unacknowledged) },
    });
  return problems;
}

/** The conditions rule alone: the decision form checks it as it is typed, with the words signing refuses with. */
export function conditionProblems(
  decision: Decision,
  conditions: readonly string[],
): SigningProblem[] {
  if (decision === 'go-with-conditions' && conditions.length === 0)
    return [
      { code: 'conditions_missing', message: 'Go with conditions needs at least one condition.' },
    ];
  if (decision !== 'go-with-conditions' && conditions.length > 0)
    return [
      { code: 'conditions_not_allowed', message: 'Conditions go with "go with conditions" only.' },
    ];
  return [];
}

/** What the signer may sign here before typing anything: one entry per decision, each with the rules it breaks. */
export type SignableDecisions = Record<Decision, SigningProblem[]>;

/**
 * Which decisions the signer may choose at all, judged by the same rules as
 * signing itself. "Go with conditions" is judged as if its conditions were
 * listed (they are typed after choosing it): otherwise a no-go verdict, the
 * very case it exists for, would make it look forbidden.
 */
export function signableDecisions(
  request: Omit<SigningRequest, 'decision' | 'conditions'>,
): SignableDecisions {
  const judge = (decision: Decision) =>
    signingProblems({
      ...request,
      decision,
      conditions: decision === 'go-with-conditions' ? ['(listed when signing)'] : [],
    });
  return {
    go: judge('go'),
    'go-with-conditions': judge('go-with-conditions'),
    'no-go': judge('no-go'),
  };
}
