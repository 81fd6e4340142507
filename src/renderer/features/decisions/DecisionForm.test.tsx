import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import type { VerdictView } from '#shared/decisions/types.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import { DECISION_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

const NO_GO: VerdictView = {
  releaseId: 'rel-4.2.1',
  releaseVersion: '4.2.1',
  storeId: 'st-1',
  storeName: 'Lyon Part-Dieu',
  verdict: 'no-go',
  criteria: [],
  signing: {
    allowed: { go: false, 'go-with-conditions': true, 'no-go': true },
    problems: [
      {
        code: 'verdict_is_no_go',
        message:
          'The criteria are not all met, so the decision cannot be a plain go. Choose no-go, or go with conditions and list them.',
      },
    ],
  },
  computedAt: '2026-12-07T09:00:00.000Z',
};

function choice(label: string): HTMLInputElement {
  return within(screen.getByTestId(DECISION_TEST_IDS.choice)).getByLabelText(label);
}

describe('decision form at a no-go verdict', () => {
  it('offers go with conditions and no-go, not a plain go', () => {
    renderWithApi(<DecisionForm view={NO_GO} />);
    expect(choice('Go').disabled).toBe(true);
    expect(choice('Go with conditions').disabled).toBe(false);
    expect(choice('No-go').disabled).toBe(false);
    expect(choice('No-go').checked).toBe(true);
  });

  it('does not say "You cannot sign here" when no-go and go with conditions can be signed', () => {
    renderWithApi(<DecisionForm view={NO_GO} />);
    const alert = screen.getByTestId(DECISION_TEST_IDS.signingProblem);
    expect(alert.textContent).not.toMatch(/You cannot sign here/);
    expect(alert.textContent).toMatch(/Not every decision is open to you/);
  });

  it('says "You cannot sign here" when nothing can be signed', () => {
    renderWithApi(
      <DecisionForm
        view={{
          ...NO_GO,
          signing: {
            allowed: { go: false, 'go-with-conditions': false, 'no-go': false },
            problems: [
              {
                code: 'not_assigned_to_store',
                message: 'You are not assigned to this store, so you cannot sign its decision.',
              },
            ],
          },
        }}
      />,
    );
    expect(screen.getByTestId(DECISION_TEST_IDS.signingProblem).textContent).toMatch(
      /You cannot sign here/,
    );
    expect(screen.getByTestId<HTMLButtonElement>(DECISION_TEST_IDS.submit).disabled).toBe(true);
  });
});
