import { describe, expect, it } from 'vitest';
import { planDeployment } from '#shared/deployments/stateMachine.ts';
import { fixturePlan, TARGET } from '#shared/deployments/testSupport.ts';
import { defaultCanaryId, plannableReleases } from './planOptions.ts';

describe('what the plan dialog and the start form propose', () => {
  it('never offers a withdrawn release', () => {
    const releases = [
      { id: 'rel-4.3.0', status: 'paused' as const },
      { id: 'rel-4.3.1', status: 'withdrawn' as const },
      { id: 'rel-4.4.0', status: 'rolling_out' as const },
    ];
    expect(plannableReleases(releases).map((r) => r.id)).toEqual(['rel-4.3.0', 'rel-4.4.0']);
  });

  it('proposes as canary the first lane not already on the target release', () => {
    const plan = fixturePlan('canary_first');
    const onTarget = {
      ...plan,
      terminals: plan.terminals.map((t, i) => (i < 2 ? { ...t, fromVersion: TARGET } : t)),
    };
    expect(defaultCanaryId(planDeployment(onTarget))).toBe('t3');
    expect(defaultCanaryId(planDeployment(plan))).toBe('t1');
    const allOnTarget = {
      ...plan,
      terminals: plan.terminals.map((t) => ({ ...t, fromVersion: TARGET })),
    };
    expect(defaultCanaryId(planDeployment(allOnTarget))).toBe('t1');
  });
});
