/**
 * The support desk's triage as server entries of the central log (desk
 * actions: src/server/desk/actions.ts): each names the acting user in
 * `actedBy` and carries the store of the report or request it is about, so
 * it reaches that store's consoles through their feed. Internal comments
 * carry no store (`*central*`) and never leave the centre.
 *
 * `reduceTriageEntry` turns them into row changes of the same tables the
 * store's own feedback events write (bug_reports, feature_requests,
 * feature_request_votes, feedback_comments): the console applies them to its
 * tables, the server to its read models, so "needs info", "fixed in" and a
 * closed or lowered blocker reach the store and its go / no-go.
 */
import { z } from 'zod';
import { SERVER_DEVICE_ID } from '../audit/serverEntry.ts';
import type { Role } from '../domain/roles.ts';
import { COMMENT_VISIBILITIES } from './types.ts';
import type { RowChange } from '../projection/tables.ts';
import type { Need, ProjectedEvent, Projection, ProjectionView } from '../projection/view.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const TRIAGE_SEVERITIES = ['S1', 'S2', 'S3', 'S4'] as const;
export const REPORT_KINDS = ['bug', 'regression', 'question'] as const;
/** The desk's report statuses (a draft and a discarded one are the store's own). */
export const TRIAGE_REPORT_STATUSES = [
  'new',
  'triaged',
  'in_progress',
  'needs_info',
  'fixed',
  'wont_fix',
  'duplicate',
] as const;
export const REQUEST_STATUSES = ['under_review', 'planned', 'shipped', 'declined'] as const;

/** Who acted at the desk, added by appendDeskAction. */
type ActedBy = { userId: string; role: Role; deskId: string };

const reportTriaged = z
  .object({
    reportId: idText,
    severity: z.enum(TRIAGE_SEVERITIES).optional(),
    kind: z.enum(REPORT_KINDS).optional(),
    assignee: idText.nullable().optional(),
    dueDate: dayText.nullable().optional(),
  })
  .strict();

const reportStatusSet = z
  .object({
    reportId: idText,
    status: z.enum(TRIAGE_REPORT_STATUSES),
    fixedIn: idText.optional(),
    duplicateOf: idText.optional(),
  })
  .strict();

const commentAdded = z
  .object({
    targetId: idText,
    visibility: z.enum(COMMENT_VISIBILITIES),
    text: z.string().trim().min(1).max(4000),
  })
  .strict();

const requestStatusSet = z
  .object({
    requestId: idText,
    status: z.enum(REQUEST_STATUSES),
    plannedFor: idText.optional(),
  })
  .strict();

/** A vote of the merged request, carried over to the one it was merged into. */
const carriedVote = z
  .object({ storeId: idText, votedBy: idText, votedAt: z.string().max(40) })
  .strict();

const requestMerged = z
  .object({
    requestId: idText,
    into: idText,
    /** The stores' votes the merged request had when merged: each store keeps one vote on `into`. */
    carriedVotes: z.array(carriedVote).max(10_000),
  })
  .strict();

const reportMerged = z.object({ reportId: idText, into: idText }).strict();

/** What the desk sends for each action (the route adds `actedBy` and checks the rest). */
export const TRIAGE_ACTIONS = {
  'feedback.report.triaged': reportTriaged,
  'feedback.report.status_set': reportStatusSet,
  'feedback.comment.added': commentAdded,
  'feedback.request.status_set': requestStatusSet,
  'feedback.request.merged': requestMerged,
  'feedback.report.merged': reportMerged,
} as const;
export type TriageEntryType = keyof typeof TRIAGE_ACTIONS;
type TriagePayload<T extends TriageEntryType> = z.infer<(typeof TRIAGE_ACTIONS)[T]> & {
  actedBy: ActedBy;
};

const TYPES = new Set<string>(Object.keys(TRIAGE_ACTIONS));

/** Only the server's own entries are triage: a console cannot record these types (they are no device event). */
export function isTriageEntry(event: Pick<ProjectedEvent, 'type' | 'deviceId'>): boolean {
  return event.deviceId === SERVER_DEVICE_ID && TYPES.has(event.type);
}

/**
 * The rules a status change must follow beyond its shape: a fix names its
 * release, a duplicate the report it duplicates, a plan its release.
 * Returns the field at fault and why, or null.
 */
export function triageFieldError(
  type: TriageEntryType,
  payload: Record<string, unknown>,
): { field: string; message: string } | null {
  if (type === 'feedback.report.status_set') {
    const status = payload['status'];
    if (status === 'fixed' && payload['fixedIn'] === undefined)
      return { field: 'fixedIn', message: 'a fixed report names the release it is fixed in' };
    if (status !== 'fixed' && payload['fixedIn'] !== undefined)
      return { field: 'fixedIn', message: 'only a fixed report names a release' };
    if (status === 'duplicate' && payload['duplicateOf'] === undefined)
      return { field: 'duplicateOf', message: 'a duplicate names the report it duplicates' };
    if (status !== 'duplicate' && payload['duplicateOf'] !== undefined)
      return { field: 'duplicateOf', message: 'only a duplicate names another report' };
    if (payload['duplicateOf'] === payload['reportId'])
      return { field: 'duplicateOf', message: 'a report cannot duplicate itself' };
  }
  if (type === 'feedback.request.status_set') {
    const status = payload['status'];
    if (status === 'planned' && payload['plannedFor'] === undefined)
      return { field: 'plannedFor', message: 'a planned request names its release' };
    if (status !== 'planned' && payload['plannedFor'] !== undefined)
      return { field: 'plannedFor', message: 'only a planned request names a release' };
  }
  if (
    (type === 'feedback.request.merged' || type === 'feedback.report.merged') &&
    payload['into'] === (payload['requestId'] ?? payload['reportId'])
  )
    return { field: 'into', message: 'nothing can be merged into itself' };
  if (type === 'feedback.report.triaged') {
    const keys = ['severity', 'kind', 'assignee', 'dueDate'];
    if (!keys.some((k) => payload[k] !== undefined))
      return {
        field: 'severity',
        message: 'a triage sets at least one of severity, kind, assignee, due date',
      };
  }
  return null;
}

function targetOf(event: ProjectedEvent): string {
  const p = event.payload;
  return String(p['reportId'] ?? p['requestId'] ?? p['targetId']);
}

export function triageNeeds(event: ProjectedEvent): Need[] {
  const target = targetOf(event);
  const needs: Need[] = [
    { kind: 'row', table: 'bug_reports', key: { id: target } },
    { kind: 'row', table: 'feature_requests', key: { id: target } },
  ];
  if (event.type === 'feedback.request.merged' || event.type === 'feedback.report.merged') {
    const into = String(event.payload['into']);
    needs.push({ kind: 'row', table: 'bug_reports', key: { id: into } });
    needs.push({ kind: 'row', table: 'feature_requests', key: { id: into } });
  }
  if (event.type === 'feedback.request.merged') {
    const p = event.payload as TriagePayload<'feedback.request.merged'>;
    for (const v of p.carriedVotes)
      needs.push({
        kind: 'row',
        table: 'feature_request_votes',
        key: { request_id: p.into, store_id: v.storeId },
      });
  }
  return needs;
}

/** A triage entry about a report or request this side does not hold changes nothing. */
const UNKNOWN_TARGET = { changes: [], superseded: null } satisfies Projection;

export function reduceTriageEntry(event: ProjectedEvent, view: ProjectionView): Projection {
  const type = event.type as TriageEntryType;
  const at = event.at;
  switch (type) {
    case 'feedback.report.triaged': {
      const p = event.payload as TriagePayload<'feedback.report.triaged'>;
      const row = view.get('bug_reports', { id: p.reportId });
      if (row === null) return UNKNOWN_TARGET;
      const set: Record<string, string | null> = { updated_at: at };
      if (p.severity !== undefined) set['severity_set'] = p.severity;
      if (p.kind !== undefined) set['report_kind'] = p.kind;
      if (p.assignee !== undefined) set['assignee'] = p.assignee;
      if (p.dueDate !== undefined) set['due_date'] = p.dueDate;
      // Looking at a new report is triaging it; a later status stays.
      if (row['status'] === 'new') set['status'] = 'triaged';
      return {
        changes: [{ op: 'patch', table: 'bug_reports', key: { id: p.reportId }, set }],
        superseded: null,
      };
    }
    case 'feedback.report.status_set': {
      const p = event.payload as TriagePayload<'feedback.report.status_set'>;
      if (view.get('bug_reports', { id: p.reportId }) === null) return UNKNOWN_TARGET;
      return {
        changes: [
          {
            op: 'patch',
            table: 'bug_reports',
            key: { id: p.reportId },
            set: {
              status: p.status,
              fixed_in: p.fixedIn ?? null,
              duplicate_of: p.duplicateOf ?? null,
              updated_at: at,
            },
          },
        ],
        superseded: null,
      };
    }
    case 'feedback.report.merged': {
      const p = event.payload as TriagePayload<'feedback.report.merged'>;
      if (view.get('bug_reports', { id: p.reportId }) === null) return UNKNOWN_TARGET;
      return {
        changes: [
          {
            op: 'patch',
            table: 'bug_reports',
            key: { id: p.reportId },
            set: { status: 'duplicate', duplicate_of: p.into, fixed_in: null, updated_at: at },
          },
        ],
        superseded: null,
      };
    }
    case 'feedback.comment.added': {
      const p = event.payload as TriagePayload<'feedback.comment.added'>;
      const report = view.get('bug_reports', { id: p.targetId });
      const request = report === null ? view.get('feature_requests', { id: p.targetId }) : null;
      const target = report ?? request;
      if (target === null) return UNKNOWN_TARGET;
      const table = report !== null ? 'bug_reports' : 'feature_requests';
      const changes: RowChange[] = [
        {
          op: 'put',
          table: 'feedback_comments',
          row: {
            event_id: event.id,
            target_id: p.targetId,
            // An internal comment's entry is central: the row still belongs to the report's store.
            store_id: String(target['store_id']),
            author: p.actedBy.userId,
            author_role: p.actedBy.role,
            visibility: p.visibility,
            text: p.text,
            at,
          },
        },
        { op: 'patch', table, key: { id: p.targetId }, set: { updated_at: at } },
      ];
      return { changes, superseded: null };
    }
    case 'feedback.request.status_set': {
      const p = event.payload as TriagePayload<'feedback.request.status_set'>;
      if (view.get('feature_requests', { id: p.requestId }) === null) return UNKNOWN_TARGET;
      return {
        changes: [
          {
            op: 'patch',
            table: 'feature_requests',
            key: { id: p.requestId },
            set: { status: p.status, planned_for: p.plannedFor ?? null, updated_at: at },
          },
        ],
        superseded: null,
      };
    }
    case 'feedback.request.merged': {
      const p = event.payload as TriagePayload<'feedback.request.merged'>;
      const changes: RowChange[] = [];
      if (view.get('feature_requests', { id: p.requestId }) !== null)
        changes.push({
          op: 'patch',
          table: 'feature_requests',
          key: { id: p.requestId },
          set: { status: 'merged', merged_into: p.into, updated_at: at },
        });
      if (view.get('feature_requests', { id: p.into }) !== null) {
        // Votes are stores, not clicks: a store that voted for both keeps one vote.
        for (const v of p.carriedVotes)
          changes.push({
            op: 'putIfAbsent',
            table: 'feature_request_votes',
            row: {
              request_id: p.into,
              store_id: v.storeId,
              voted_by: v.votedBy,
              voted_at: v.votedAt,
              event_id: event.id,
            },
          });
        changes.push({
          op: 'patch',
          table: 'feature_requests',
          key: { id: p.into },
          set: { updated_at: at },
        });
      }
      return { changes, superseded: null };
    }
    default:
      throw new Error(`not a triage entry: ${String(type)}`);
  }
}
