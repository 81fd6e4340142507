import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { RunStatus } from '#shared/checklists/status.ts';
import type { DecisionView, VerdictView } from '#shared/decisions/types.ts';
import { computeVerdict, CRITERION_REASONS, type VerdictRun } from '#shared/decisions/verdict.ts';
import { changeLanguage } from '../../i18n/index.ts';
import { renderWithApi, type ApiCall } from '../../testing/renderWithApi.tsx';
import { criterionText } from './criterionText.ts';
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
  openRisks: [],
  acknowledgedRiskIds: [],
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

// The first Mantine render in jsdom takes seconds on a loaded 2-core machine: the bound is for hangs.
describe('decision form at a no-go verdict', { timeout: 30_000 }, () => {
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

// jsdom has no 2D canvas: the pad writes a typed name on a recording context and exports a fixed PNG.
const SIGNATURE_PNG = 'iVBORw0KGgo=';
function installCanvas() {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () =>
      ({
        setTransform: () => undefined,
        fillRect: () => undefined,
        fillText: () => undefined,
      }) as unknown as CanvasRenderingContext2D,
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue(
    `data:image/png;base64,${SIGNATURE_PNG}`,
  );
}

const SIGNED = {
  decision: 'no-go',
  releaseVersion: '4.2.1',
  storeName: 'Lyon Part-Dieu',
} as unknown as DecisionView;

function fill(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

function signByTyping(name: string) {
  const typed = screen.getByTestId(`${DECISION_TEST_IDS.signature}-typed`);
  fireEvent.change(typed, { target: { value: name } });
  fireEvent.keyDown(typed, { key: 'Enter' });
}

function recordCalls(calls: ApiCall[]) {
  return calls.filter((call) => call.channel === 'decisions:record');
}

// A Mantine form in jsdom takes seconds on a loaded 2-core machine: the bound is for hangs.
describe("the decision form, judged by the contract's rules", { timeout: 30_000 }, () => {
  beforeEach(installCanvas);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows each broken rule at its field, in the words the back end refuses with, and sends nothing', async () => {
    const { calls } = renderWithApi(<DecisionForm view={NO_GO} />, {
      'decisions:record': () => SIGNED,
    });
    fill(DECISION_TEST_IDS.reason, ' x ');
    fill(DECISION_TEST_IDS.pin, '12');
    fireEvent.click(screen.getByTestId(DECISION_TEST_IDS.submit));
    expect(await screen.findByText('Give a reason (at least 3 characters).')).toBeTruthy();
    expect(screen.getByText('A PIN is 4 to 12 digits.')).toBeTruthy();
    expect(
      screen.getByText('Sign in the box: draw your signature or type your name.'),
    ).toBeTruthy();
    expect(recordCalls(calls)).toEqual([]);
  });

  it('asks for a condition when go with conditions lists none', async () => {
    const { calls } = renderWithApi(<DecisionForm view={NO_GO} />, {
      'decisions:record': () => SIGNED,
    });
    fireEvent.click(choice('Go with conditions'));
    fill(DECISION_TEST_IDS.reason, 'Receipt printer on Lane 2 is slow');
    fill(DECISION_TEST_IDS.pin, '2222');
    signByTyping('Maya Moreau');
    fireEvent.click(screen.getByTestId(DECISION_TEST_IDS.submit));
    expect(
      await screen.findByText('Go with conditions needs at least one condition.'),
    ).toBeTruthy();
    expect(recordCalls(calls)).toEqual([]);
  });

  it('sends exactly the decision, trimmed reason, conditions one per line, PIN and signature', async () => {
    const { calls } = renderWithApi(<DecisionForm view={NO_GO} />, {
      'decisions:record': () => SIGNED,
    });
    fireEvent.click(choice('Go with conditions'));
    fill(DECISION_TEST_IDS.reason, '  Receipt printer on Lane 2 is slow  ');
    fill(DECISION_TEST_IDS.conditions, 'Second printer ready\n\n  Support called by noon ');
    fill(DECISION_TEST_IDS.pin, '2222');
    signByTyping('Maya Moreau');
    fireEvent.click(screen.getByTestId(DECISION_TEST_IDS.submit));
    await waitFor(() => expect(recordCalls(calls)).toHaveLength(1));
    expect(recordCalls(calls)[0]!.input).toEqual({
      releaseId: 'rel-4.2.1',
      storeId: 'st-1',
      decision: 'go-with-conditions',
      reason: 'Receipt printer on Lane 2 is slow',
      conditions: ['Second printer ready', 'Support called by noon'],
      pin: '2222',
      signaturePngBase64: SIGNATURE_PNG,
    });
  });

  it('says the same rules in German', async () => {
    await changeLanguage('de');
    try {
      renderWithApi(<DecisionForm view={NO_GO} />, { 'decisions:record': () => SIGNED });
      fireEvent.click(screen.getByTestId(DECISION_TEST_IDS.submit));
      expect(
        await screen.findByText('Geben Sie eine Begründung an (mindestens 3 Zeichen).'),
      ).toBeTruthy();
      expect(screen.getByText('Eine PIN hat 4 bis 12 Ziffern.')).toBeTruthy();
      // The signing problems that come from the back end, by their code.
      expect(screen.getByTestId(DECISION_TEST_IDS.signingProblem).textContent).toContain(
        'Nicht alle Kriterien sind erfüllt',
      );
    } finally {
      await changeLanguage('en');
    }
  });
});

describe("go / no-go criteria in the console's language", () => {
  const run = (terminals: Array<[string, RunStatus]>, failed = 0): VerdictRun => ({
    runId: 'run-1',
    templateId: 'smoke',
    templateName: 'POS smoke test',
    startedAt: '2026-12-07T09:00:00.000Z',
    terminals: terminals.map(([name, status]) => ({
      terminalId: name,
      terminalName: name,
      status,
      failedMandatory: Array.from({ length: failed }, (_, i) => ({
        itemId: `i${i}`,
        itemTitle: `Item ${i}`,
      })),
    })),
  });
  const blocker = { id: 'bug-1', title: 'Card reader freezes', terminalName: 'Lane 2' };
  const fiscalRule = (terminalCount: number) => ({
    ruleId: 'fiscal',
    ruleName: 'Fiscal printer certification',
    checks: [
      {
        kind: 'checklist' as const,
        templateId: 'smoke',
        templateName: 'POS smoke test',
        terminalCount,
      },
    ],
  });
  const cases = [
    computeVerdict({
      requirements: [{ templateId: 'smoke', templateName: 'POS smoke test', terminalCount: 2 }],
      runs: [],
      openBlockers: [],
      compliance: [fiscalRule(2)],
    }),
    computeVerdict({
      requirements: [{ templateId: 'smoke', templateName: 'POS smoke test', terminalCount: 1 }],
      runs: [run([['Lane 1', 'passed']])],
      openBlockers: [blocker],
      compliance: [fiscalRule(1)],
    }),
    computeVerdict({
      requirements: [{ templateId: 'smoke', templateName: 'POS smoke test', terminalCount: 2 }],
      runs: [run([['Lane 1', 'failed']], 2)],
      openBlockers: [blocker, blocker],
    }),
    ...[[], ['risk-1']].map((acknowledgedIds) =>
      computeVerdict({
        requirements: [],
        runs: [],
        openBlockers: [],
        risks: { open: [{ id: 'risk-1', title: 'Card reader firmware' }], acknowledgedIds },
      }),
    ),
  ].flatMap((verdict) => verdict.criteria);

  it('are, in English, word for word what the back end computed', () => {
    expect(cases.map(criterionText)).toEqual(cases.map((c) => c.reason));
    expect(new Set(cases.map((c) => c.reasonWords.code)).size).toBe(CRITERION_REASONS.length);
  });

  it('are said in German with their counts and the checklist’s name as authored', async () => {
    await changeLanguage('de');
    try {
      const german = cases.map(criterionText);
      expect(german).toContain(
        'POS smoke test wurde noch nicht ausgeführt: muss auf 2 Terminals bestehen.',
      );
      expect(german).toContain('2 Pflichtpunkte sind fehlgeschlagen, ohne Ausnahme.');
      expect(german).toContain(
        'Fiscal printer certification: 1 geforderte Prüfung fehlt: POS smoke test.',
      );
      expect(german).toContain(
        '1 blockierender Fehlerbericht ist für dieses Release in dieser Filiale offen.',
      );
    } finally {
      await changeLanguage('en');
    }
  });
});
