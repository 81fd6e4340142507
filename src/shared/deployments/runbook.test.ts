import { describe, expect, it } from 'vitest';
import {
  catalogRunbook,
  deploymentCatalogProblems,
  runbookRuleProblems,
  type CatalogRunbook,
  type RunbookStep,
} from './runbook.ts';
import {
  ALL_AT_ONCE_STEPS,
  BLUE_GREEN_ROLLBACK,
  BLUE_GREEN_STEPS,
  CANARY_STEPS,
  ROLLBACK_STEPS,
} from './testSupport.ts';

const runbook = (over: Partial<CatalogRunbook>): CatalogRunbook => ({
  id: 'rb-1',
  releaseId: 'rel-4.4.0',
  title: 'Runbook',
  strategies: ['canary_first'],
  steps: CANARY_STEPS,
  rollbackSteps: ROLLBACK_STEPS,
  ...over,
});
const without = (steps: RunbookStep[], kind: RunbookStep['kind']) =>
  steps.filter((s) => s.kind !== kind);

describe('runbook rules', () => {
  const rows: [name: string, candidate: CatalogRunbook, problem: string | null][] = [
    ['canary first with capture and smoke test', runbook({}), null],
    ['all at once', runbook({ strategies: ['all_at_once'], steps: ALL_AT_ONCE_STEPS }), null],
    [
      'blue-green',
      runbook({
        strategies: ['blue_green'],
        steps: BLUE_GREEN_STEPS,
        rollbackSteps: BLUE_GREEN_ROLLBACK,
      }),
      null,
    ],
    [
      'no version capture',
      runbook({
        strategies: ['all_at_once'],
        steps: without(CANARY_STEPS, 'version_capture').filter((s) => s.kind !== 'checklist'),
      }),
      'capture the version',
    ],
    [
      'rollback without version capture',
      runbook({ rollbackSteps: without(ROLLBACK_STEPS, 'version_capture') }),
      'rollback runbook must capture',
    ],
    [
      'canary first without a smoke test',
      runbook({ steps: without(CANARY_STEPS, 'checklist') }),
      'canary first needs a checklist',
    ],
    [
      'smoke test before the capture',
      runbook({ steps: [CANARY_STEPS[3]!, CANARY_STEPS[2]!] }),
      'smoke test comes after the version capture',
    ],
    [
      'blue-green mixed with another strategy',
      runbook({
        strategies: ['blue_green', 'all_at_once'],
        steps: BLUE_GREEN_STEPS,
        rollbackSteps: BLUE_GREEN_ROLLBACK,
      }),
      'allows blue-green only',
    ],
    [
      'blue-green switch before stage',
      runbook({
        strategies: ['blue_green'],
        steps: [BLUE_GREEN_STEPS[2]!, BLUE_GREEN_STEPS[0]!, BLUE_GREEN_STEPS[3]!],
        rollbackSteps: BLUE_GREEN_ROLLBACK,
      }),
      'one stage step followed by',
    ],
    [
      'blue-green capture before the switch only',
      runbook({
        strategies: ['blue_green'],
        steps: [BLUE_GREEN_STEPS[3]!, BLUE_GREEN_STEPS[0]!, BLUE_GREEN_STEPS[2]!],
        rollbackSteps: BLUE_GREEN_ROLLBACK,
      }),
      'capture the versions after the switch',
    ],
    [
      'blue-green rollback without switch back',
      runbook({
        strategies: ['blue_green'],
        steps: BLUE_GREEN_STEPS,
        rollbackSteps: ROLLBACK_STEPS,
      }),
      'switch (back) step',
    ],
    [
      'stage step outside blue-green',
      runbook({ strategies: ['all_at_once'], steps: [BLUE_GREEN_STEPS[0]!, ...ALL_AT_ONCE_STEPS] }),
      'blue-green runbooks only',
    ],
    [
      'a step id used twice',
      runbook({ rollbackSteps: [{ ...ROLLBACK_STEPS[0]!, id: 'install' }, ROLLBACK_STEPS[1]!] }),
      'used twice',
    ],
  ];
  for (const [name, candidate, problem] of rows) {
    it(`${name} → ${problem ?? 'sound'}`, () => {
      const problems = runbookRuleProblems(candidate);
      if (problem === null) expect(problems).toEqual([]);
      else expect(problems.join('\n')).toContain(problem);
      // The catalog schema applies the same rules.
      expect(catalogRunbook.safeParse(candidate).success).toBe(problem === null);
    });
  }

  it('refuses a wait out of bounds and an unknown step kind', () => {
    expect(
      catalogRunbook.safeParse(
        runbook({
          steps: [
            ...CANARY_STEPS,
            {
              kind: 'wait',
              id: 'w',
              title: 'Wait',
              instructions: '',
              mandatory: false,
              durationMs: 10,
            },
          ],
        }),
      ).success,
    ).toBe(false);
    expect(
      catalogRunbook.safeParse(
        runbook({
          steps: [
            {
              kind: 'reboot',
              id: 'r',
              title: 'Reboot',
              instructions: '',
              mandatory: true,
            } as unknown as RunbookStep,
          ],
        }),
      ).success,
    ).toBe(false);
  });

  it('cross-references the catalog: release, one runbook per release, checklist templates, flag stores', () => {
    const problems = deploymentCatalogProblems({
      releases: [{ id: 'rel-4.4.0' }],
      stores: [{ id: 'st-1' }],
      runbooks: [runbook({}), runbook({ id: 'rb-2' }), runbook({ id: 'rb-3', releaseId: 'rel-9' })],
      featureFlags: [
        {
          releaseId: 'rel-4.4.0',
          key: 'assist-mode',
          description: 'x',
          defaultValue: false,
          byRing: {},
          byStore: { 'st-9': true },
        },
        {
          releaseId: 'rel-4.4.0',
          key: 'assist-mode',
          description: 'x',
          defaultValue: false,
          byRing: {},
          byStore: {},
        },
      ],
      checklistTemplateIds: ['tpl-uat'],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'release rel-4.4.0 has more than one runbook',
        'runbook rb-3 names unknown release rel-9',
        'runbook rb-1 step smoke names unknown checklist template tpl-smoke',
        'flag assist-mode names unknown store st-9',
        'flag assist-mode is defined twice for release rel-4.4.0',
      ]),
    );
  });
});
