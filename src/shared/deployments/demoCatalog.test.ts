import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog as catalogSchema, type Catalog } from '../catalog/schema.ts';
import { isReleaseApprovedForRing } from './changeRequests.ts';
import { deploymentInconsistencies } from './invariants.ts';
import {
  deploymentCatalogProblems,
  flagValuesFor,
  runbookRuleProblems,
  type CatalogRunbook,
} from './runbook.ts';
import {
  applyAll,
  planDeployment,
  type DeploymentAction,
  type DeploymentPlan,
} from './stateMachine.ts';
import { clock, IN_RING, MAYA, OPEN, TESS } from './testSupport.ts';
import { canStartDeployment } from './windows.ts';

const demo: Catalog = catalogSchema.parse(
  JSON.parse(
    readFileSync(new URL('../../../resources/demo/catalog.json', import.meta.url), 'utf8'),
  ),
);
const runbookOf = (releaseId: string): CatalogRunbook =>
  demo.runbooks!.find((r) => r.releaseId === releaseId)!;
const releaseOf = (releaseId: string) => demo.releases.find((r) => r.id === releaseId)!;

function demoPlan(releaseId: string, storeId: string, attempt: number): DeploymentPlan {
  const release = releaseOf(releaseId);
  const runbook = runbookOf(releaseId);
  return {
    deploymentId: `dep-${attempt}`,
    releaseId,
    storeId,
    targetVersion: release.version,
    terminals: demo.terminals
      .filter((t) => t.storeId === storeId)
      .map((t) => ({
        terminalId: t.id,
        name: t.name,
        fromVersion: t.installed === null ? null : releaseOf(t.installed.releaseId).version,
      })),
    runbook: {
      id: runbook.id,
      strategies: runbook.strategies,
      steps: runbook.steps,
      rollbackSteps: runbook.rollbackSteps,
    },
  };
}

describe('demo catalog: deployments', () => {
  it('holds sound runbooks, flags and windows whose references all resolve', () => {
    expect(demo.runbooks).toBeDefined();
    expect(
      deploymentCatalogProblems({
        ...demo,
        checklistTemplateIds: (demo.checklistTemplates ?? []).map((t) => t.id),
      }),
    ).toEqual([]);
    for (const runbook of demo.runbooks!)
      expect(runbookRuleProblems(runbook), runbook.id).toEqual([]);
    expect(demo.storeWindows!.every((w) => demo.stores.some((s) => s.id === w.storeId))).toBe(true);
  });

  it('has a minor release canary first with an intervention and the smoke test, a hotfix all at once, a major release blue-green with a migration wait', () => {
    const byType = (type: string) =>
      demo.runbooks!.filter((r) => releaseOf(r.releaseId).type === type);
    const [minor] = byType('minor');
    expect(minor?.strategies).toContain('canary_first');
    expect(minor?.steps.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['intervention', 'version_capture', 'checklist']),
    );
    const smokeTemplateIds = minor!.steps.flatMap((s) =>
      s.kind === 'checklist' ? [s.templateId] : [],
    );
    expect(
      demo.checklistTemplates!.filter((t) => smokeTemplateIds.includes(t.id)).map((t) => t.kind),
    ).toEqual(['smoke']);
    expect(byType('hotfix')[0]?.strategies).toEqual(['all_at_once']);
    const major = byType('major')[0]!;
    expect(major.strategies).toEqual(['blue_green']);
    expect(major.steps.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['stage', 'wait', 'switch']),
    );
    expect(major.rollbackSteps.map((s) => s.kind)).toContain('switch');
  });

  it('has a 4-lane store for the end-to-end test, on an older release, in a ring the minor release has reached, open at any hour', () => {
    const fourLane = demo.stores.find((s) => s.id === 'st-lil-01')!;
    const lanes = demo.terminals.filter((t) => t.storeId === fourLane.id);
    expect(lanes).toHaveLength(4);
    expect(lanes.every((t) => t.installed?.releaseId === 'rel-4.2.1')).toBe(true);
    expect(isReleaseApprovedForRing(releaseOf('rel-4.4.0'), fourLane.ring)).toBe(true);
    const windows = demo.storeWindows!.find((w) => w.storeId === fourLane.id) ?? null;
    for (let hour = 0; hour < 24; hour++) {
      const at = Date.UTC(2026, 11, 19, hour, 17);
      expect(
        canStartDeployment(at, fourLane, windows, { releaseId: 'rel-4.4.0' }).clearance,
        `${hour}:17`,
      ).toEqual({ basis: 'open' });
    }
  });

  it('runs the issue scenario on the demo data: the canary fails its smoke test and is rolled back; a second attempt completes on all 4 lanes', () => {
    const at = clock();
    const start = (strategyCanary: string): DeploymentAction =>
      at(TESS, {
        type: 'start',
        strategy: 'canary_first',
        canaryTerminalId: strategyCanary,
        window: OPEN,
        ring: IN_RING,
      });
    const canaryUpdate = (lane: string): DeploymentAction[] => [
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'claim_intervention' }),
      at(TESS, { type: 'proceed_intervention', notes: 'Lane closed, 0 sales waiting' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: lane, version: '4.4.0' }),
      at(TESS, { type: 'complete_step' }),
    ];
    const first = applyAll(planDeployment(demoPlan('rel-4.4.0', 'st-lil-01', 1)), [
      start('st-lil-01-t1'),
      ...canaryUpdate('st-lil-01-t1'),
      at(TESS, { type: 'record_smoke_result', runId: 'run-1', isPassed: false }),
      at(TESS, { type: 'roll_back', reason: 'Card payment fails on the canary' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_version', terminalId: 'st-lil-01-t1', version: '4.2.1' }),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_smoke_result', runId: 'run-2', isPassed: true }),
    ]);
    expect(first.ok ? first.state.status : first.refusal).toBe('rolled_back');

    const others = ['st-lil-01-t2', 'st-lil-01-t3', 'st-lil-01-t4'];
    const second = applyAll(planDeployment(demoPlan('rel-4.4.0', 'st-lil-01', 2)), [
      start('st-lil-01-t1'),
      ...canaryUpdate('st-lil-01-t1'),
      at(TESS, { type: 'record_smoke_result', runId: 'run-3', isPassed: true }),
      at(TESS, { type: 'complete_step' }),
      // The fleet wave walks the same runbook for the three other lanes.
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'claim_intervention' }),
      at(TESS, { type: 'proceed_intervention', notes: '' }),
      at(TESS, { type: 'complete_step' }),
      ...others.map((lane) =>
        at(TESS, { type: 'record_version', terminalId: lane, version: '4.4.0' }),
      ),
      at(TESS, { type: 'complete_step' }),
      at(TESS, { type: 'record_smoke_result', runId: 'run-4', isPassed: true }),
      at(MAYA, { type: 'complete_step' }),
    ]);
    expect(second.ok ? second.state.status : second.refusal).toBe('completed');
    if (second.ok) {
      expect(second.state.terminals.map((t) => t.version)).toEqual([
        '4.4.0',
        '4.4.0',
        '4.4.0',
        '4.4.0',
      ]);
      expect(deploymentInconsistencies(second.state)).toEqual([]);
    }
  });

  it('shows each store its flag values for the release: store over ring over default', () => {
    const flags = demo.featureFlags!;
    const lyon = demo.stores.find((s) => s.id === 'st-lyo-01')!;
    const lille = demo.stores.find((s) => s.id === 'st-lil-01')!;
    const madrid = demo.stores.find((s) => s.id === 'st-mad-01')!;
    expect(flagValuesFor(flags, 'rel-4.4.0', lyon).map((f) => [f.key, f.value, f.source])).toEqual([
      ['assist-mode', false, 'store'],
      ['offline-price-updates', true, 'default'],
    ]);
    expect(
      flagValuesFor(flags, 'rel-4.4.0', lille).find((f) => f.key === 'assist-mode'),
    ).toMatchObject({ value: true, source: 'ring' });
    expect(
      flagValuesFor(flags, 'rel-4.4.0', madrid).find((f) => f.key === 'assist-mode'),
    ).toMatchObject({ value: false, source: 'default' });
    expect(flagValuesFor(flags, 'rel-4.2.0', madrid)).toEqual([]);
  });
});
