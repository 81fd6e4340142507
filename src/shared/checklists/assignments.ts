/**
 * Checklist assignments: the release desk asks stores to run a checklist
 * template (a UAT, a compliance check) by a due date. The assignment reaches
 * each store's console through the catalog pull (one per store); a run of
 * that template in that store, started after the assignment and finished,
 * completes it. Pure rules, the same on the console and the server.
 */
import { z } from 'zod';

// Not imported from the sync protocol, which imports this module for the catalog pull.
const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');
const isoTime = z.iso.datetime({ offset: false });

/** One store's assignment, as the catalog pull carries it. */
export const checklistAssignment = z
  .object({
    id: idText,
    storeId: idText,
    templateId: idText,
    /** The release the run is for; null: any release. */
    releaseId: idText.nullable(),
    dueAt: isoTime,
    note: z.string().max(500),
    /** The catalog user at the desk, and the desk. */
    assignedBy: z.object({ userId: idText, deskId: idText }).strict(),
    assignedAt: isoTime,
    /** The central log index of the desk action that assigned it. */
    logIndex: z.number().int().min(0),
  })
  .strict();
export type ChecklistAssignment = z.infer<typeof checklistAssignment>;

/** The most stores one assignment may name: a desk assigns to a region, not to a fleet of 100,000 at once. */
const MAX_ASSIGNMENT_STORES = 5_000;

/** What the desk sends: one template, a due date, the stores (each checked against the desk's scope). */
export const assignChecklistRequest = z
  .object({
    templateId: idText,
    releaseId: idText.nullable().default(null),
    storeIds: z.array(idText).min(1).max(MAX_ASSIGNMENT_STORES),
    dueAt: isoTime,
    note: z.string().max(500).default(''),
    /** The catalog user acting at the desk (the desk token names the desk, not who sits at it). */
    actedBy: idText,
  })
  .strict();

export const assignChecklistResponse = z
  .object({ assignmentIds: z.array(z.string()), storeIds: z.array(z.string()) })
  .strict();

export const ASSIGNMENT_ROUTES = {
  assignChecklist: { method: 'POST', url: '/v1/desk/checklist-assignments', auth: 'desk' },
} as const;

export const ASSIGNMENT_STATUSES = ['done', 'overdue', 'due'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** A checklist run as far as assignments care. */
export type RunForAssignment = {
  id: string;
  storeId: string;
  templateId: string;
  releaseId: string;
  startedAt: string;
  finishedAt: string | null;
};

export type AssignmentState = ChecklistAssignment & {
  status: AssignmentStatus;
  /** The run that completed it. */
  completedBy: { runId: string; finishedAt: string } | null;
};

/** What the console's checklists screen lists. */
export type AssignmentView = AssignmentState & {
  templateName: string;
  assignedByName: string;
  /** The release's version; null when the assignment is for any release. */
  releaseVersion: string | null;
};

/**
 * Each assignment's state at `now`: done once a run of its template in its
 * store (and of its release, when it names one), started after it was
 * assigned, has finished; otherwise overdue past its due time, else due.
 * Sorted with overdue first, then by due time.
 */
export function assignmentStates(
  assignments: readonly ChecklistAssignment[],
  runs: readonly RunForAssignment[],
  now: Date,
): AssignmentState[] {
  const order: Record<AssignmentStatus, number> = { overdue: 0, due: 1, done: 2 };
  return assignments
    .map((a): AssignmentState => {
      const run = runs
        .filter(
          (r) =>
            r.finishedAt !== null &&
            r.storeId === a.storeId &&
            r.templateId === a.templateId &&
            (a.releaseId === null || r.releaseId === a.releaseId) &&
            Date.parse(r.startedAt) >= Date.parse(a.assignedAt),
        )
        .sort((x, y) => (x.finishedAt! < y.finishedAt! ? -1 : 1))[0];
      if (run)
        return {
          ...a,
          status: 'done',
          completedBy: { runId: run.id, finishedAt: run.finishedAt! },
        };
      return {
        ...a,
        status: Date.parse(a.dueAt) < now.getTime() ? 'overdue' : 'due',
        completedBy: null,
      };
    })
    .sort((x, y) =>
      order[x.status] !== order[y.status]
        ? order[x.status] - order[y.status]
        : x.dueAt < y.dueAt
          ? -1
          : x.dueAt > y.dueAt
            ? 1
            : x.id < y.id
              ? -1
              : 1,
    );
}
