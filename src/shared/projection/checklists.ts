/**
 * Reducers of checklist runs, results, waivers and evidence, of
 * draft bug reports (feedback) and of go / no-go decisions with their
 * signature evidence: event → row changes, nothing else. The console's
 * `applyChecklistEvent` and the server's read models both apply these.
 */
import type { EventPayload } from '../audit/eventTypes.ts';
import { canonicalJson } from './json.ts';
import type { RowChange } from './tables.ts';
import type { Need, ProjectedEvent, ProjectionView } from './view.ts';

export const CHECKLIST_PROJECTED_TYPES = [
  'checklist.run.started',
  'checklist.run.paused',
  'checklist.run.resumed',
  'checklist.evidence.attached',
  'checklist.result.recorded',
  'checklist.item.waived',
] as const;
export const FEEDBACK_PROJECTED_TYPES = ['feedback.bug_report.drafted'] as const;
export const DECISION_PROJECTED_TYPES = ['decision.recorded'] as const;

function runKey(runId: unknown): { id: string } {
  return { id: String(runId) };
}

export function checklistNeeds(event: ProjectedEvent): Need[] {
  const p = event.payload;
  switch (event.type) {
    case 'checklist.run.paused':
    case 'checklist.run.resumed':
    case 'checklist.item.waived':
      return [{ kind: 'row', table: 'checklist_runs', key: runKey(p['runId']) }];
    case 'checklist.evidence.attached':
      return [{ kind: 'row', table: 'evidence_files', key: { sha256: String(p['sha256']) } }];
    case 'checklist.result.recorded':
      return [
        { kind: 'row', table: 'checklist_runs', key: runKey(p['runId']) },
        // The waiver a new answer replaces, if any (so "no waiver" costs no write).
        {
          kind: 'row',
          table: 'checklist_waivers',
          key: {
            run_id: String(p['runId']),
            terminal_id: String(p['terminalId']),
            item_id: String(p['itemId']),
          },
        },
        {
          kind: 'currentResult',
          runId: String(p['runId']),
          terminalId: String(p['terminalId']),
          itemId: String(p['itemId']),
        },
      ];
    case 'decision.recorded': {
      const signature = p['signature'] as { sha256: string };
      return [{ kind: 'row', table: 'evidence_files', key: { sha256: signature.sha256 } }];
    }
    default:
      return [];
  }
}

function evidenceRow(
  file: {
    sha256: string;
    mimeType: string;
    byteLength: number;
    fileName: string;
    runId: string | null;
  },
  event: ProjectedEvent,
): RowChange {
  // Content-addressed: the same bytes attached twice are one file, the first attachment kept.
  return {
    op: 'putIfAbsent',
    table: 'evidence_files',
    row: {
      sha256: file.sha256,
      mime_type: file.mimeType,
      byte_length: file.byteLength,
      file_name: file.fileName,
      run_id: file.runId,
      event_id: event.id,
      attached_by: event.actor.userId,
      attached_at: event.at,
    },
  };
}

function touchRun(runId: string, at: string): RowChange {
  return { op: 'patch', table: 'checklist_runs', key: { id: runId }, set: { updated_at: at } };
}

export function reduceChecklistEvent(event: ProjectedEvent, view: ProjectionView): RowChange[] {
  switch (event.type) {
    case 'checklist.run.started': {
      const p = event.payload as EventPayload<'checklist.run.started'>;
      return [
        {
          op: 'put',
          table: 'checklist_runs',
          row: {
            id: p.runId,
            template_id: p.template.id,
            template_version: p.template.version,
            template_data: canonicalJson(p.template),
            release_id: p.releaseId,
            store_id: event.storeId,
            terminal_ids: canonicalJson(p.terminalIds),
            is_paused: 0,
            started_by: event.actor.userId,
            started_role: event.actor.role,
            started_at: event.at,
            updated_at: event.at,
            event_id: event.id,
          },
        },
      ];
    }
    case 'checklist.run.paused':
    case 'checklist.run.resumed': {
      const p = event.payload as EventPayload<'checklist.run.paused'>;
      return [
        {
          op: 'patch',
          table: 'checklist_runs',
          key: { id: p.runId },
          set: { is_paused: event.type === 'checklist.run.paused' ? 1 : 0, updated_at: event.at },
        },
      ];
    }
    case 'checklist.evidence.attached': {
      const p = event.payload as EventPayload<'checklist.evidence.attached'>;
      return [
        evidenceRow(
          {
            sha256: p.sha256,
            mimeType: p.mimeType,
            byteLength: p.byteLength,
            fileName: p.fileName,
            runId: p.runId,
          },
          event,
        ),
      ];
    }
    case 'checklist.result.recorded': {
      const p = event.payload as EventPayload<'checklist.result.recorded'>;
      const changes: RowChange[] = [];
      const previous = view.currentResult(p.runId, p.terminalId, p.itemId);
      if (previous !== null)
        changes.push({
          op: 'patch',
          table: 'checklist_results',
          key: { event_id: previous },
          set: { is_current: 0 },
        });
      changes.push({
        op: 'put',
        table: 'checklist_results',
        row: {
          event_id: event.id,
          event_hash: event.hash,
          run_id: p.runId,
          terminal_id: p.terminalId,
          item_id: p.itemId,
          answer: canonicalJson(p.answer),
          outcome: p.outcome,
          note: p.note,
          evidence: canonicalJson(p.evidence),
          recorded_by: event.actor.userId,
          recorded_role: event.actor.role,
          recorded_at: event.at,
          is_current: 1,
        },
      });
      // A new answer replaces a waiver: the manager waived the old one, not this one.
      changes.push({
        op: 'remove',
        table: 'checklist_waivers',
        key: { run_id: p.runId, terminal_id: p.terminalId, item_id: p.itemId },
      });
      changes.push(touchRun(p.runId, event.at));
      return changes;
    }
    case 'checklist.item.waived': {
      const p = event.payload as EventPayload<'checklist.item.waived'>;
      return [
        {
          op: 'put',
          table: 'checklist_waivers',
          row: {
            run_id: p.runId,
            terminal_id: p.terminalId,
            item_id: p.itemId,
            event_id: event.id,
            event_hash: event.hash,
            reason: p.reason,
            waived_by: event.actor.userId,
            waived_role: event.actor.role,
            waived_at: event.at,
          },
        },
        touchRun(p.runId, event.at),
      ];
    }
    case 'feedback.bug_report.drafted': {
      const p = event.payload as EventPayload<'feedback.bug_report.drafted'>;
      return [
        {
          op: 'put',
          table: 'bug_reports',
          row: {
            id: p.bugReportId,
            status: 'draft',
            severity: p.severity,
            title: p.title,
            description: p.description,
            release_id: p.releaseId,
            store_id: event.storeId,
            terminal_id: p.terminalId,
            run_id: p.runId,
            item_id: p.itemId,
            answer_text: p.answerText,
            evidence: canonicalJson(p.evidence),
            reported_by: event.actor.userId,
            reported_role: event.actor.role,
            reported_at: event.at,
            event_id: event.id,
            updated_at: event.at,
          },
        },
      ];
    }
    case 'decision.recorded': {
      const p = event.payload as EventPayload<'decision.recorded'>;
      return [
        evidenceRow(
          {
            sha256: p.signature.sha256,
            mimeType: p.signature.mimeType,
            byteLength: p.signature.byteLength,
            fileName: 'signature.png',
            runId: null,
          },
          event,
        ),
        {
          op: 'put',
          table: 'decisions',
          row: {
            id: p.decisionId,
            event_id: event.id,
            event_hash: event.hash,
            release_id: p.releaseId,
            store_id: event.storeId,
            decision: p.decision,
            reason: p.reason,
            conditions: canonicalJson(p.conditions),
            verdict: p.verdict,
            criteria: canonicalJson(p.criteria),
            signature_sha256: p.signature.sha256,
            basis: canonicalJson(p.basis),
            digest: p.digest,
            signed_by: event.actor.userId,
            signed_role: event.actor.role,
            signed_at: event.at,
          },
        },
      ];
    }
    default:
      throw new Error(`not a checklist, feedback or decision event: ${event.type}`);
  }
}
