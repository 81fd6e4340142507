/**
 * Reducers of the store side of the support desk: reports filed from the
 * form, drafts sent or discarded by their author, feature requests, votes
 * (one per store) and the store's replies. The console applies them to its
 * tables (its own journal and the feed), the server to its read models.
 */
import type { EventPayload } from '../audit/eventTypes.ts';
import { FEEDBACK_EVENT_TYPES } from '../feedback/events.ts';
import { canonicalJson } from './json.ts';
import type { RowChange } from './tables.ts';
import type { Need, ProjectedEvent, Projection, ProjectionView } from './view.ts';

export const FEEDBACK_STORE_PROJECTED_TYPES = Object.keys(FEEDBACK_EVENT_TYPES) as Array<
  keyof typeof FEEDBACK_EVENT_TYPES
>;
const TYPES = new Set<string>(FEEDBACK_STORE_PROJECTED_TYPES);

export function isFeedbackStoreEventType(type: string): boolean {
  return TYPES.has(type);
}

/** Refusal codes of a draft change that loses to the state (recorded, shown as superseded). */
export const DRAFT_NOT_OPEN = 'draft_not_open';
export const NOT_DRAFT_AUTHOR = 'not_draft_author';

export function feedbackNeeds(event: ProjectedEvent): Need[] {
  const p = event.payload;
  switch (event.type) {
    case 'feedback.bug_report.sent':
    case 'feedback.bug_report.discarded':
      return [{ kind: 'row', table: 'bug_reports', key: { id: String(p['reportId']) } }];
    case 'feedback.bug_report.filed': {
      const attachments = p['attachments'] as Array<{ sha256: string }>;
      return attachments.map((a) => ({
        kind: 'row' as const,
        table: 'evidence_files' as const,
        key: { sha256: a.sha256 },
      }));
    }
    case 'feedback.feature_request.voted':
      return [
        {
          kind: 'row',
          table: 'feature_request_votes',
          key: { request_id: String(p['requestId']), store_id: event.storeId },
        },
      ];
    case 'feedback.reply.added': {
      const target = String(p['reportId'] ?? p['requestId']);
      return [
        { kind: 'row', table: 'bug_reports', key: { id: target } },
        { kind: 'row', table: 'feature_requests', key: { id: target } },
      ];
    }
    default:
      return [];
  }
}

function draftChange(
  event: ProjectedEvent,
  view: ProjectionView,
  reportId: string,
  status: 'new' | 'discarded',
): Projection {
  const row = view.get('bug_reports', { id: reportId });
  if (row === null || row['status'] !== 'draft')
    return { changes: [], superseded: { reason: DRAFT_NOT_OPEN, wonBy: null } };
  // Only the person who drafted it decides: a colleague's click elsewhere must not withdraw it.
  if (row['reported_by'] !== event.actor.userId)
    return { changes: [], superseded: { reason: NOT_DRAFT_AUTHOR, wonBy: null } };
  return {
    changes: [
      {
        op: 'patch',
        table: 'bug_reports',
        key: { id: reportId },
        set: { status, updated_at: event.at },
      },
    ],
    superseded: null,
  };
}

export function reduceFeedbackEvent(event: ProjectedEvent, view: ProjectionView): Projection {
  switch (event.type) {
    case 'feedback.bug_report.sent':
    case 'feedback.bug_report.discarded': {
      const p = event.payload as EventPayload<'feedback.bug_report.sent'>;
      return draftChange(
        event,
        view,
        p.reportId,
        event.type === 'feedback.bug_report.sent' ? 'new' : 'discarded',
      );
    }
    case 'feedback.bug_report.filed': {
      const p = event.payload as EventPayload<'feedback.bug_report.filed'>;
      const changes: RowChange[] = p.attachments.map((a) => ({
        // Content-addressed, as checklist evidence: the same bytes are one file, the first kept.
        op: 'putIfAbsent',
        table: 'evidence_files',
        row: {
          sha256: a.sha256,
          mime_type: a.mime,
          byte_length: a.size,
          file_name: a.name,
          run_id: p.runId ?? null,
          event_id: event.id,
          attached_by: event.actor.userId,
          attached_at: event.at,
        },
      }));
      changes.push({
        op: 'put',
        table: 'bug_reports',
        row: {
          id: p.reportId,
          status: 'new',
          severity: p.severitySuggestion,
          title: p.title,
          description: p.happened,
          release_id: p.releaseId ?? null,
          store_id: event.storeId,
          terminal_id: p.terminalId ?? null,
          run_id: p.runId ?? null,
          item_id: p.itemId ?? null,
          answer_text: '',
          evidence: canonicalJson(p.attachments.map((a) => a.sha256)),
          reported_by: event.actor.userId,
          reported_role: event.actor.role,
          reported_at: event.at,
          event_id: event.id,
          severity_set: null,
          report_kind: null,
          assignee: null,
          due_date: null,
          fixed_in: null,
          duplicate_of: null,
          expected: p.expected,
          screen: p.screen,
          context: canonicalJson(p.context),
          attachments: canonicalJson(p.attachments),
          updated_at: event.at,
        },
      });
      return { changes, superseded: null };
    }
    case 'feedback.feature_request.filed': {
      const p = event.payload as EventPayload<'feedback.feature_request.filed'>;
      return {
        changes: [
          {
            op: 'put',
            table: 'feature_requests',
            row: {
              id: p.requestId,
              store_id: event.storeId,
              title: p.title,
              description: p.description,
              category: p.category,
              status: 'open',
              planned_for: null,
              merged_into: null,
              filed_by: event.actor.userId,
              filed_role: event.actor.role,
              filed_at: event.at,
              updated_at: event.at,
              event_id: event.id,
            },
          },
          // Filing is the store's vote too, so a request counts the stores that want it.
          {
            op: 'putIfAbsent',
            table: 'feature_request_votes',
            row: {
              request_id: p.requestId,
              store_id: event.storeId,
              voted_by: event.actor.userId,
              voted_at: event.at,
              event_id: event.id,
            },
          },
        ],
        superseded: null,
      };
    }
    case 'feedback.feature_request.voted': {
      const p = event.payload as EventPayload<'feedback.feature_request.voted'>;
      return {
        changes: [
          {
            op: 'putIfAbsent',
            table: 'feature_request_votes',
            row: {
              request_id: p.requestId,
              store_id: event.storeId,
              voted_by: event.actor.userId,
              voted_at: event.at,
              event_id: event.id,
            },
          },
        ],
        superseded: null,
      };
    }
    case 'feedback.reply.added': {
      const p = event.payload as EventPayload<'feedback.reply.added'>;
      const target = 'reportId' in p ? p.reportId : p.requestId;
      const table = 'reportId' in p ? 'bug_reports' : 'feature_requests';
      const changes: RowChange[] = [
        {
          op: 'put',
          table: 'feedback_comments',
          row: {
            event_id: event.id,
            target_id: target,
            store_id: event.storeId,
            author: event.actor.userId,
            author_role: event.actor.role,
            visibility: 'store',
            text: p.text,
            at: event.at,
          },
        },
      ];
      if (view.get(table, { id: target }) !== null)
        changes.push({ op: 'patch', table, key: { id: target }, set: { updated_at: event.at } });
      return { changes, superseded: null };
    }
    default:
      throw new Error(`not a store feedback event: ${event.type}`);
  }
}
