/**
 * The demo fleet's release communication: the general ring's release carries
 * a small risk register (two open risks the store manager reviews at go /
 * no-go, one closed) and plain-language notes for store staff, shown once to
 * each person after a terminal of their store moves to it. generate.ts writes
 * them into catalog.json.
 */
import type { Catalog } from '../../src/shared/catalog/schema.ts';

const RELEASE = 'rel-4.2.0';

export function demoRiskCommsCatalogParts(): Pick<Catalog, 'releaseRisks' | 'storeNotes'> {
  return {
    releaseRisks: [
      {
        id: 'risk-4.2.0-eod',
        releaseId: RELEASE,
        title: 'End-of-day close may run long on stores with more than 5,000 sales',
        likelihood: 'medium',
        impact: 'high',
        owner: 'Back-office team (Inès Roussel)',
        mitigation:
          'The close was timed on the three busiest pilot stores; it stays under 4 minutes.',
        contingency:
          'If the close runs past 15 minutes, stop it and roll the lanes back to 4.1.1; the close then runs as before.',
        rollbackStepId: null,
      },
      {
        id: 'risk-4.2.0-printer',
        releaseId: RELEASE,
        title: 'Older receipt printers may cut the new loyalty line',
        likelihood: 'low',
        impact: 'medium',
        owner: 'Store hardware desk',
        mitigation: 'Printer firmware 2.8 or later is checked by the smoke test.',
        contingency: 'Turn the loyalty line off with its feature flag; no rollback needed.',
        rollbackStepId: null,
      },
      {
        id: 'risk-4.2.0-tax',
        releaseId: RELEASE,
        title: 'New tax table for gift cards',
        likelihood: 'low',
        impact: 'high',
        owner: 'Finance systems',
        mitigation: 'Checked with the fiscal auditor before the pilot.',
        contingency: 'Roll back to 4.1.1.',
        rollbackStepId: null,
      },
    ].map((risk) => ({
      ...risk,
      likelihood: risk.likelihood as 'low' | 'medium' | 'high',
      impact: risk.impact as 'low' | 'medium' | 'high',
      status: risk.id === 'risk-4.2.0-tax' ? ('closed' as const) : ('open' as const),
    })),
    storeNotes: [
      {
        releaseId: RELEASE,
        markdown: [
          '**Closing the day is faster.** The end-of-day report is ready in about a minute instead of five.',
          '',
          '- Receipts show the customer’s loyalty points under the total.',
          '- A refund without a receipt now asks for the manager’s PIN.',
          '',
          'Nothing changes in how you sell.',
        ].join('\n'),
      },
    ],
  };
}
