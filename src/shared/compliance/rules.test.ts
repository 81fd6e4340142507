import { describe, expect, it } from 'vitest';
import { computeVerdict, type VerdictRun } from '../decisions/verdict.ts';
import {
  complianceRequirements,
  complianceRule,
  ruleApplies,
  type ComplianceRule,
} from './rules.ts';

const FISCAL: ComplianceRule = {
  id: 'fr-fiscal',
  name: 'Fiscal printer certification (NF525)',
  region: 'Europe',
  releaseIds: ['rel-4.4.0'],
  checks: [
    { kind: 'checklist', templateId: 'tpl-fiscal', terminalCount: 2 },
    { kind: 'sign-off', templateId: 'tpl-dpo', terminalCount: 1 },
  ],
};
const EVERY_RELEASE: ComplianceRule = {
  id: 'na-privacy',
  name: 'Data-protection review',
  region: 'North America',
  releaseIds: [],
  checks: [{ kind: 'sign-off', templateId: 'tpl-dpo', terminalCount: 1 }],
};
const NAMES = new Map([
  ['tpl-fiscal', 'Fiscal printer checklist'],
  ['tpl-dpo', 'Data-protection review'],
]);

function run(templateId: string, statuses: Array<'passed' | 'failed' | 'waived'>): VerdictRun {
  return {
    runId: `run-${templateId}`,
    templateId,
    templateName: NAMES.get(templateId)!,
    startedAt: '2026-12-01T09:00:00.000Z',
    terminals: statuses.map((status, i) => ({
      terminalId: `t${i + 1}`,
      terminalName: `Lane ${i + 1}`,
      status,
      failedMandatory: [],
    })),
  };
}

describe('compliance rules', () => {
  it('bind only their region, and only the releases they name (none named: every release)', () => {
    expect(ruleApplies(FISCAL, { region: 'Europe' }, 'rel-4.4.0')).toBe(true);
    expect(ruleApplies(FISCAL, { region: 'North America' }, 'rel-4.4.0')).toBe(false);
    expect(ruleApplies(FISCAL, { region: 'Europe' }, 'rel-5.0.0')).toBe(false);
    expect(ruleApplies(EVERY_RELEASE, { region: 'North America' }, 'rel-5.0.0')).toBe(true);
    const rules = [FISCAL, EVERY_RELEASE];
    expect(complianceRequirements(rules, NAMES, { region: 'Asia Pacific' }, 'rel-4.4.0')).toEqual(
      [],
    );
    expect(complianceRequirements(rules, NAMES, { region: 'Europe' }, 'rel-4.4.0')).toEqual([
      {
        ruleId: 'fr-fiscal',
        ruleName: 'Fiscal printer certification (NF525)',
        checks: [
          {
            kind: 'checklist',
            templateId: 'tpl-fiscal',
            templateName: 'Fiscal printer checklist',
            terminalCount: 2,
          },
          {
            kind: 'sign-off',
            templateId: 'tpl-dpo',
            templateName: 'Data-protection review',
            terminalCount: 1,
          },
        ],
      },
    ]);
  });

  it('bind by country when they name one: a store without a country only by region rules', () => {
    const france: ComplianceRule = { ...FISCAL, id: 'fr-nf525', region: undefined, country: 'FR' };
    delete france.region;
    expect(ruleApplies(france, { region: 'Europe', country: 'FR' }, 'rel-4.4.0')).toBe(true);
    expect(ruleApplies(france, { region: 'Europe', country: 'DE' }, 'rel-4.4.0')).toBe(false);
    expect(ruleApplies(france, { region: 'Europe', country: null }, 'rel-4.4.0')).toBe(false);
    expect(ruleApplies(france, { region: 'Europe' }, 'rel-4.4.0')).toBe(false);
    expect(ruleApplies(france, { region: 'Europe', country: 'FR' }, 'rel-5.0.0')).toBe(false);
    // The region rule still binds a store that has a country.
    expect(ruleApplies(FISCAL, { region: 'Europe', country: 'FR' }, 'rel-4.4.0')).toBe(true);
    expect(
      complianceRequirements(
        [FISCAL, france],
        NAMES,
        { region: 'Europe', country: 'FR' },
        'rel-4.4.0',
      ).map((r) => r.ruleId),
    ).toEqual(['fr-fiscal', 'fr-nf525']);
    expect(complianceRule.safeParse(france).success).toBe(true);
  });

  it('name exactly one of region and country, and only an assigned ISO 3166-1 alpha-2 code', () => {
    const { region: _region, ...noScope } = FISCAL;
    const neither = complianceRule.safeParse(noScope);
    expect(neither.error?.issues[0]?.path).toEqual(['region']);
    const both = complianceRule.safeParse({ ...FISCAL, country: 'FR' });
    expect(both.error?.issues[0]?.path).toEqual(['country']);
    for (const bad of ['UK', 'fr', 'FRA', 'ZZ', 'EU']) {
      const r = complianceRule.safeParse({ ...noScope, country: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]?.path, bad).toEqual(['country']);
    }
    expect(complianceRule.safeParse({ ...noScope, country: 'GB' }).success).toBe(true);
  });

  it('refuse a template required twice and a sign-off on more than one terminal, naming the field', () => {
    const twice = complianceRule.safeParse({
      ...FISCAL,
      checks: [FISCAL.checks[0], FISCAL.checks[0]],
    });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.path).toEqual(['checks', 1, 'templateId']);
    const signOff = complianceRule.safeParse({
      ...EVERY_RELEASE,
      checks: [{ kind: 'sign-off', templateId: 'tpl-dpo', terminalCount: 3 }],
    });
    expect(signOff.error?.issues[0]?.path).toEqual(['checks', 0, 'terminalCount']);
    expect(complianceRule.safeParse({ ...FISCAL, checks: [] }).success).toBe(false);
  });
});

describe('the go / no-go compliance criterion', () => {
  const compliance = complianceRequirements([FISCAL], NAMES, { region: 'Europe' }, 'rel-4.4.0');

  it('holds no-go and lists the missing checks by name until each has passed', () => {
    const none = computeVerdict({ requirements: [], runs: [], openBlockers: [], compliance });
    expect(none.verdict).toBe('no-go');
    const criterion = none.criteria.find((c) => c.id === 'compliance:fr-fiscal')!;
    expect(criterion).toMatchObject({
      kind: 'compliance_checks',
      isMet: false,
      reason:
        'Fiscal printer certification (NF525): 2 required checks are missing: Fiscal printer checklist, Data-protection review.',
      reasonWords: {
        code: 'compliance_missing',
        params: {
          rule: 'Fiscal printer certification (NF525)',
          missing: 'Fiscal printer checklist, Data-protection review',
          count: 2,
        },
      },
      details: [
        'Fiscal printer checklist: must pass on 2 terminals',
        'Data-protection review: not signed off',
      ],
    });

    // The fiscal checklist passed on one lane of two: still missing, with the review.
    const partly = computeVerdict({
      requirements: [],
      runs: [run('tpl-fiscal', ['passed', 'failed']), run('tpl-dpo', ['passed'])],
      openBlockers: [],
      compliance,
    });
    expect(partly.verdict).toBe('no-go');
    expect(partly.criteria.find((c) => c.kind === 'compliance_checks')!.details).toEqual([
      'Fiscal printer checklist: must pass on 2 terminals',
    ]);

    const done = computeVerdict({
      requirements: [],
      runs: [run('tpl-fiscal', ['passed', 'waived']), run('tpl-dpo', ['passed'])],
      openBlockers: [],
      compliance,
    });
    expect(done.verdict).toBe('go');
    expect(done.criteria.find((c) => c.kind === 'compliance_checks')).toMatchObject({
      isMet: true,
      reasonWords: { code: 'compliance_met' },
      details: [],
    });
  });

  it('adds no criterion where no rule binds the store', () => {
    const verdict = computeVerdict({ requirements: [], runs: [], openBlockers: [] });
    expect(verdict.verdict).toBe('go');
    expect(verdict.criteria.map((c) => c.kind)).not.toContain('compliance_checks');
  });
});
