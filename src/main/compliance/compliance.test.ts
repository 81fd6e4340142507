/**
 * The compliance criterion on a console (real SQLite, the real decision
 * service): a Europe store cannot sign go on a release until the region's
 * fiscal-printer checklist passed; a North America store is not bound; a
 * country rule binds only that country's stores; and a compliance rule
 * pulled from the server lands in the console's catalog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../shared/catalog/schema.ts';
import type { ChecklistRunView } from '../../shared/checklists/types.ts';
import type { ChecklistTemplate } from '../../shared/checklists/template.ts';
import type { ComplianceRule } from '../../shared/compliance/rules.ts';
import type { DecisionView, VerdictView } from '../../shared/decisions/types.ts';
import {
  expectOk,
  journalCount,
  MANAGER,
  startTestApp,
  TECH,
  type TestApp,
} from '../app/testSupport.ts';
import { answerTerminal, PNG_1X1 } from '../checklists/testing.ts';
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../fleet/catalog.ts';
import { storeComplianceRequirements } from './catalog.ts';
import { mergeCatalogChanges } from '../sync/catalogChanges.ts';

const RELEASE = 'rel-4.2.1';
const LYON = 'st-lyo-01';
const NEW_YORK = 'st-nyc-01';

const FISCAL_TEMPLATE: ChecklistTemplate = {
  id: 'tpl-fiscal-eu',
  name: 'Fiscal printer certification',
  kind: 'uat',
  version: 1,
  description: 'The receipt printer prints the certified fiscal footer.',
  sections: [
    {
      id: 'fiscal',
      title: 'Fiscal printer',
      items: [
        {
          id: 'footer',
          title: 'Receipt carries the certified fiscal footer',
          instructions: '',
          isMandatory: true,
          answer: { type: 'passFail' },
        },
      ],
    },
  ],
};

const RULE: ComplianceRule = {
  id: 'eu-fiscal',
  name: 'EU fiscal printer certification',
  region: 'Europe',
  releaseIds: [],
  checks: [{ kind: 'sign-off', templateId: FISCAL_TEMPLATE.id, terminalCount: 1 }],
};

/** The demo catalog as consoles load it (with its checklist templates and runbooks). */
function demoCatalog(): Catalog {
  return JSON.parse(
    readFileSync(new URL('../../../resources/demo/catalog.json', import.meta.url), 'utf8'),
  ) as Catalog;
}

function catalogWithRule(): Catalog {
  const demo = demoCatalog();
  return {
    ...demo,
    checklistTemplates: [...(demo.checklistTemplates ?? []), FISCAL_TEMPLATE],
    complianceRules: [RULE],
  };
}

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

async function verdictAt(a: TestApp, storeId: string): Promise<VerdictView> {
  return expectOk(
    await a.dispatch('decisions:verdict', { releaseId: RELEASE, storeId }),
  ) as VerdictView;
}

async function passRun(a: TestApp, templateId: string, terminalIds: string[]): Promise<void> {
  const run = expectOk(
    await a.dispatch('checklists:startRun', { templateId, releaseId: RELEASE, terminalIds }),
  ) as ChecklistRunView;
  for (const terminalId of terminalIds) await answerTerminal(a, run, terminalId);
}

function go(storeId: string) {
  return {
    releaseId: RELEASE,
    storeId,
    decision: 'go' as const,
    reason: 'Checks passed',
    pin: MANAGER.pin,
    signaturePngBase64: PNG_1X1,
  };
}

describe('the compliance criterion on a console', () => {
  it('holds a Europe store at no-go naming the missing check until it passed, and leaves North America alone', async () => {
    app = await startTestApp({ signInAs: TECH });
    loadCatalog(app.db, catalogWithRule(), { source: 'test', now: app.clock.now });
    await passRun(app, 'tpl-smoke-pos', [`${LYON}-t1`, `${LYON}-t2`]);
    await passRun(app, 'tpl-smoke-pos', [`${NEW_YORK}-t1`, `${NEW_YORK}-t2`]);
    expectOk(await app.dispatch('session:signIn', MANAGER));

    const lyon = await verdictAt(app, LYON);
    expect(lyon.verdict).toBe('no-go');
    expect(lyon.signing.allowed.go).toBe(false);
    expect(lyon.criteria.find((c) => c.kind === 'compliance_checks')).toMatchObject({
      id: 'compliance:eu-fiscal',
      isMet: false,
      reason:
        'EU fiscal printer certification: 1 required check is missing: Fiscal printer certification.',
      details: ['Fiscal printer certification: not signed off'],
    });
    const newYork = await verdictAt(app, NEW_YORK);
    expect(newYork.verdict).toBe('go');
    expect(newYork.criteria.map((c) => c.kind)).not.toContain('compliance_checks');

    // Go is refused at Lyon, with conditions too (they cannot stand in for a regulatory check); nothing is recorded.
    expect(lyon.signing.allowed['go-with-conditions']).toBe(false);
    expect(lyon.signing.problems.map((p) => p.code)).toContain('compliance_missing');
    const before = journalCount(app);
    const refused = await app.dispatch('decisions:record', go(LYON));
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const withConditions = await app.dispatch('decisions:record', {
      ...go(LYON),
      decision: 'go-with-conditions',
      conditions: ['Certify the printer next week'],
    });
    expect(withConditions).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { problems: ['compliance_missing'] } },
    });
    expect(journalCount(app)).toBe(before);

    // The fiscal check signed off on one lane: go opens, and the decision carries the met criterion.
    expectOk(await app.dispatch('session:signIn', TECH));
    await passRun(app, FISCAL_TEMPLATE.id, [`${LYON}-t3`]);
    expectOk(await app.dispatch('session:signIn', MANAGER));
    expect((await verdictAt(app, LYON)).verdict).toBe('go');
    const decision = expectOk(await app.dispatch('decisions:record', go(LYON))) as DecisionView;
    expect(decision.criteriaAtSigning).toContainEqual(
      expect.objectContaining({ id: 'compliance:eu-fiscal', isMet: true }),
    );
  });

  it("binds a country's stores by a country rule: Lyon (FR) but not London (GB), nor a store the catalog gives no country", async () => {
    app = await startTestApp({ signInAs: TECH });
    const france: ComplianceRule = {
      id: 'fr-nf525',
      name: 'NF525 certification',
      country: 'FR',
      releaseIds: [],
      checks: [{ kind: 'sign-off', templateId: FISCAL_TEMPLATE.id, terminalCount: 1 }],
    };
    const catalog = catalogWithRule();
    loadCatalog(
      app.db,
      {
        ...catalog,
        // Paris as imported before countries: region rules only.
        stores: catalog.stores.map((s) => {
          if (s.id !== 'st-par-01') return s;
          const { country: _country, ...rest } = s;
          return rest;
        }),
        complianceRules: [france],
      },
      { source: 'test', now: app.clock.now },
    );
    const ruleIds = (storeId: string) =>
      storeComplianceRequirements(app!.db, storeId, RELEASE).map((r) => r.ruleId);
    expect(ruleIds(LYON)).toEqual(['fr-nf525']);
    expect(ruleIds('st-lon-01')).toEqual([]);
    expect(ruleIds('st-par-01')).toEqual([]);
    const lyon = await verdictAt(app, LYON);
    expect(lyon.criteria.find((c) => c.kind === 'compliance_checks')).toMatchObject({
      id: 'compliance:fr-nf525',
      isMet: false,
    });
    // The console's catalog keeps each store's country (and its absence) for the next pull's merge.
    const stores = app.db.sqlite
      .prepare("SELECT id, country FROM stores WHERE id IN ('st-lyo-01', 'st-par-01') ORDER BY id")
      .all();
    expect(stores).toEqual([
      { id: 'st-lyo-01', country: 'FR' },
      { id: 'st-par-01', country: null },
    ]);
  });

  it('keeps a rule pulled from the server in the catalog, and replaces it when it changes', () => {
    const base = demoCatalog();
    const merged = mergeCatalogChanges(base, [
      { entity: 'checklistTemplate', op: 'upsert', value: FISCAL_TEMPLATE },
      { entity: 'complianceRule', op: 'upsert', value: RULE },
      { entity: 'complianceRule', op: 'upsert', value: { ...RULE, name: 'Renamed' } },
    ]);
    expect(merged.complianceRules).toEqual([{ ...RULE, name: 'Renamed' }]);
    expect(
      mergeCatalogChanges(merged, [{ entity: 'complianceRule', op: 'delete', id: RULE.id }])
        .complianceRules,
    ).toBeUndefined();
  });
});
