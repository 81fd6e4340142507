import { describe, expect, it } from 'vitest';
import {
  signableDecisions,
  signingProblems,
  type SigningProblemCode,
  type SigningRequest,
} from './signing.ts';

const base: SigningRequest = {
  signer: { userId: 'u-maya', role: 'manager', storeIds: [] },
  storeId: 'st-1',
  decision: 'go',
  conditions: [],
  verdict: 'go',
  deployerUserIds: ['u-tess'],
};

const TABLE: Array<{
  name: string;
  change: Partial<SigningRequest>;
  problems: SigningProblemCode[];
}> = [
  { name: 'a manager signs go on a go verdict', change: {}, problems: [] },
  {
    name: 'a technician cannot sign as manager',
    change: { signer: { userId: 'u-tess', role: 'technician', storeIds: [] } },
    problems: ['not_manager', 'deployed_this_release'],
  },
  {
    name: 'a technician cannot sign no-go either',
    change: { decision: 'no-go', signer: { userId: 'u-leo', role: 'technician', storeIds: [] } },
    problems: ['not_manager'],
  },
  {
    name: 'support does not sign store decisions',
    change: { signer: { userId: 'u-sam', role: 'support', storeIds: [] } },
    problems: ['not_manager'],
  },
  {
    name: 'admin does not sign store decisions',
    change: { signer: { userId: 'u-ada', role: 'admin', storeIds: [] } },
    problems: ['not_manager'],
  },
  {
    name: 'a manager of another store',
    change: { signer: { userId: 'u-maya', role: 'manager', storeIds: ['st-2'] } },
    problems: ['not_assigned_to_store'],
  },
  {
    name: 'a manager assigned to the store',
    change: { signer: { userId: 'u-maya', role: 'manager', storeIds: ['st-2', 'st-1'] } },
    problems: [],
  },
  {
    name: 'the manager who deployed cannot sign go',
    change: { deployerUserIds: ['u-maya'] },
    problems: ['deployed_this_release'],
  },
  {
    name: 'the manager who deployed cannot sign go with conditions',
    change: {
      deployerUserIds: ['u-maya'],
      decision: 'go-with-conditions',
      conditions: ['Watch refunds'],
      verdict: 'no-go',
    },
    problems: ['deployed_this_release'],
  },
  {
    name: 'the manager who deployed may sign no-go',
    change: { deployerUserIds: ['u-maya'], decision: 'no-go', verdict: 'no-go' },
    problems: [],
  },
  {
    name: 'plain go on a no-go verdict',
    change: { verdict: 'no-go' },
    problems: ['verdict_is_no_go'],
  },
  {
    name: 'go with conditions on a no-go verdict, conditions listed',
    change: {
      verdict: 'no-go',
      decision: 'go-with-conditions',
      conditions: ['Refund by hand until 4.2.2'],
    },
    problems: [],
  },
  {
    name: 'go with conditions without any condition',
    change: { decision: 'go-with-conditions' },
    problems: ['conditions_missing'],
  },
  {
    name: 'conditions on a plain go',
    change: { conditions: ['x y z'] },
    problems: ['conditions_not_allowed'],
  },
  {
    name: 'no-go on a go verdict is the manager’s call',
    change: { decision: 'no-go' },
    problems: [],
  },
];

describe('signingProblems (separation of duties)', () => {
  it.each(TABLE)('$name', ({ change, problems }) => {
    const found = signingProblems({ ...base, ...change });
    expect(found.map((p) => p.code)).toEqual(problems);
    for (const p of found) expect(p.message).toMatch(/\.$/);
  });
});

describe('signableDecisions (what the decision form lets a manager choose)', () => {
  const codes = (request: Omit<SigningRequest, 'decision' | 'conditions'>) =>
    Object.fromEntries(
      Object.entries(signableDecisions(request)).map(([d, problems]) => [
        d,
        problems.map((p) => p.code),
      ]),
    );

  it('at a no-go verdict a manager may choose no-go or go with conditions, not a plain go', () => {
    expect(codes({ ...base, verdict: 'no-go' })).toEqual({
      go: ['verdict_is_no_go'],
      'go-with-conditions': [],
      'no-go': [],
    });
  });

  it('whoever deployed may choose only no-go', () => {
    expect(codes({ ...base, deployerUserIds: ['u-maya'], verdict: 'no-go' })).toEqual({
      go: ['deployed_this_release', 'verdict_is_no_go'],
      'go-with-conditions': ['deployed_this_release'],
      'no-go': [],
    });
  });

  it('a technician may choose nothing', () => {
    const found = codes({ ...base, signer: { userId: 'u-leo', role: 'technician', storeIds: [] } });
    expect(Object.values(found).every((c) => c.includes('not_manager'))).toBe(true);
  });
});
