/**
 * The checklists the release desk assigned to this console's store(s), with
 * their state now: done once a run of the template, started after the
 * assignment, has finished (passed, failed or waived), else due or overdue.
 */
import {
  assignmentStates,
  type AssignmentView,
  type RunForAssignment,
} from '../../shared/checklists/assignments.ts';
import type { ChecklistRunSummary } from '../../shared/checklists/types.ts';
import type { Db } from '../db/open.ts';
import { readAssignments } from '../releases/extrasCatalog.ts';
import type { ChecklistService } from './service.ts';

const FINISHED: ReadonlySet<ChecklistRunSummary['status']> = new Set([
  'passed',
  'failed',
  'waived',
]);

export function listAssignments(
  db: Db,
  checklists: ChecklistService,
  storeIds: readonly string[] | null,
  now: Date,
): AssignmentView[] {
  const all = readAssignments(db, null);
  const assignments = storeIds === null ? all : all.filter((a) => storeIds.includes(a.storeId));
  if (assignments.length === 0) return [];
  const runs: RunForAssignment[] = [];
  for (const storeId of new Set(assignments.map((a) => a.storeId)))
    for (const run of checklists.listRuns({ storeId }))
      runs.push({
        id: run.id,
        storeId: run.storeId,
        templateId: run.templateId,
        releaseId: run.releaseId,
        startedAt: run.startedAt,
        finishedAt: FINISHED.has(run.status) ? run.updatedAt : null,
      });
  const names = new Map(checklists.templates().templates.map((t) => [t.id, t.name]));
  const name = db.sqlite.prepare('SELECT name FROM users WHERE id = ?').pluck();
  const version = db.sqlite.prepare('SELECT version FROM releases WHERE id = ?').pluck();
  return assignmentStates(assignments, runs, now).map((a) => ({
    ...a,
    templateName: names.get(a.templateId) ?? a.templateId,
    // A central administrator is not in a store console's users: their id is shown then.
    assignedByName: (name.get(a.assignedBy.userId) as string | undefined) ?? a.assignedBy.userId,
    releaseVersion:
      a.releaseId === null
        ? null
        : ((version.get(a.releaseId) as string | undefined) ?? a.releaseId),
  }));
}
