import { describe, expect, it } from 'vitest';
import {
  assignmentStates,
  type ChecklistAssignment,
  type RunForAssignment,
} from './assignments.ts';

function assignment(id: string, dueAt: string, over: Partial<ChecklistAssignment> = {}) {
  return {
    id,
    storeId: 'S-1',
    templateId: 'uat',
    releaseId: 'rel-1',
    dueAt,
    note: '',
    assignedBy: { userId: 'u-rita', deskId: 'desk-1' },
    assignedAt: '2026-03-01T08:00:00.000Z',
    logIndex: 1,
    ...over,
  } satisfies ChecklistAssignment;
}
function run(over: Partial<RunForAssignment>): RunForAssignment {
  return {
    id: 'run-1',
    storeId: 'S-1',
    templateId: 'uat',
    releaseId: 'rel-1',
    startedAt: '2026-03-02T08:00:00.000Z',
    finishedAt: '2026-03-02T09:00:00.000Z',
    ...over,
  };
}
const NOW = new Date('2026-03-05T12:00:00.000Z');

describe('checklist assignments', () => {
  it('are overdue past their due time, due before it, overdue listed first', () => {
    const states = assignmentStates(
      [assignment('a', '2026-03-06T00:00:00.000Z'), assignment('b', '2026-03-04T00:00:00.000Z')],
      [],
      NOW,
    );
    expect(states.map((s) => [s.id, s.status])).toEqual([
      ['b', 'overdue'],
      ['a', 'due'],
    ]);
  });

  it('a finished run of the template in the store, started after the assignment, completes it', () => {
    const [state] = assignmentStates([assignment('a', '2026-03-04T00:00:00.000Z')], [run({})], NOW);
    expect(state).toMatchObject({
      status: 'done',
      completedBy: { runId: 'run-1', finishedAt: '2026-03-02T09:00:00.000Z' },
    });
  });

  it('an unfinished run, an earlier run, another template, store or release completes nothing', () => {
    const runs = [
      run({ id: 'open', finishedAt: null }),
      run({ id: 'before', startedAt: '2026-02-28T08:00:00.000Z' }),
      run({ id: 'other-template', templateId: 'smoke' }),
      run({ id: 'other-store', storeId: 'S-2' }),
      run({ id: 'other-release', releaseId: 'rel-2' }),
    ];
    const [state] = assignmentStates([assignment('a', '2026-03-06T00:00:00.000Z')], runs, NOW);
    expect(state?.status).toBe('due');
    // An assignment for any release is completed by a run of any release.
    const [anyRelease] = assignmentStates(
      [assignment('a', '2026-03-06T00:00:00.000Z', { releaseId: null })],
      [run({ releaseId: 'rel-2' })],
      NOW,
    );
    expect(anyRelease?.status).toBe('done');
  });
});
