/** Stable data-testid values of the go / no-go screen, for end-to-end tests. */
export const DECISION_TEST_IDS = {
  nav: 'nav-decisions',
  verdict: 'verdict',
  criterion: 'verdict-criterion',
  form: 'decision-form',
  choice: 'decision-choice',
  reason: 'decision-reason',
  conditions: 'decision-conditions',
  pin: 'decision-pin',
  signature: 'decision-signature',
  submit: 'decision-submit',
  error: 'decision-error',
  signingProblem: 'decision-signing-problem',
  list: 'decision-list',
  row: 'decision-row',
  binding: 'decision-binding',
  report: 'decision-report',
} as const;
