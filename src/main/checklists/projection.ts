/**
 * The checklist, evidence, bug report and decision tables as a projection of
 * the journal: `applyChecklistEvent` is the one place an event changes them,
 * used by the live services (inside the journal transaction) and by
 * `rebuildChecklistProjection` (every event again, in seq order), so a rebuild
 * gives exactly the state the live path left.
 */
import type { AuditEvent } from '../../shared/audit/event.ts';
import { EVENT_TYPES, type EventPayload } from '../../shared/audit/eventTypes.ts';
import { CHECKLIST_EVENT_TYPES } from '../../shared/checklists/eventTypes.ts';
import type { Db } from '../db/open.ts';

export type ChecklistEventType = keyof typeof CHECKLIST_EVENT_TYPES;
export const CHECKLIST_EVENT_TYPE_NAMES = Object.keys(
  CHECKLIST_EVENT_TYPES,
) as ChecklistEventType[];

/** Tables the projection owns (journal-derived), for `db:changed` and the rebuild. */
export const CHECKLIST_PROJECTION_TABLES = [
  'checklist_runs',
  'checklist_results',
  'checklist_waivers',
  'evidence_files',
  'bug_reports',
  'decisions',
] as const;

type Sealed = Pick<AuditEvent, 'id' | 'at' | 'hash' | 'storeId' | 'actor'>;

export function applyChecklistEvent(
  db: Db,
  event: Sealed & { type: string; payload: unknown },
): void {
  const type = event.type as ChecklistEventType;
  switch (type) {
    case 'checklist.run.started': {
      const p = event.payload as EventPayload<'checklist.run.started'>;
      db.sqlite
        .prepare(
          `INSERT INTO checklist_runs (id, template_id, template_version, template_data, release_id, store_id, terminal_ids, is_paused,
             started_by, started_role, started_at, updated_at, event_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
        )
        .run(
          p.runId,
          p.template.id,
          p.template.version,
          JSON.stringify(p.template),
          p.releaseId,
          event.storeId,
          JSON.stringify(p.terminalIds),
          event.actor.userId,
          event.actor.role,
          event.at,
          event.at,
          event.id,
        );
      return;
    }
    case 'checklist.run.paused':
    case 'checklist.run.resumed': {
      const p = event.payload as EventPayload<'checklist.run.paused'>;
      db.sqlite
        .prepare('UPDATE checklist_runs SET is_paused = ?, updated_at = ? WHERE id = ?')
        .run(type === 'checklist.run.paused' ? 1 : 0, event.at, p.runId);
      return;
    }
    case 'checklist.evidence.attached': {
      const p = event.payload as EventPayload<'checklist.evidence.attached'>;
      insertEvidence(
        db,
        {
          sha256: p.sha256,
          mimeType: p.mimeType,
          byteLength: p.byteLength,
          fileName: p.fileName,
          runId: p.runId,
        },
        event,
      );
      return;
    }
    case 'checklist.result.recorded': {
      const p = event.payload as EventPayload<'checklist.result.recorded'>;
      db.sqlite
        .prepare(
          'UPDATE checklist_results SET is_current = 0 WHERE run_id = ? AND terminal_id = ? AND item_id = ? AND is_current = 1',
        )
        .run(p.runId, p.terminalId, p.itemId);
      db.sqlite
        .prepare(
          `INSERT INTO checklist_results (event_id, event_hash, run_id, terminal_id, item_id, answer, outcome, note, evidence,
             recorded_by, recorded_role, recorded_at, is_current)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(
          event.id,
          event.hash,
          p.runId,
          p.terminalId,
          p.itemId,
          JSON.stringify(p.answer),
          p.outcome,
          p.note,
          JSON.stringify(p.evidence),
          event.actor.userId,
          event.actor.role,
          event.at,
        );
      // A new answer replaces a waiver: the manager waived the old one, not this one.
      db.sqlite
        .prepare(
          'DELETE FROM checklist_waivers WHERE run_id = ? AND terminal_id = ? AND item_id = ?',
        )
        .run(p.runId, p.terminalId, p.itemId);
      touchRun(db, p.runId, event.at);
      return;
    }
    case 'checklist.item.waived': {
      const p = event.payload as EventPayload<'checklist.item.waived'>;
      db.sqlite
        .prepare(
          `INSERT OR REPLACE INTO checklist_waivers (run_id, terminal_id, item_id, event_id, event_hash, reason, waived_by, waived_role, waived_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          p.runId,
          p.terminalId,
          p.itemId,
          event.id,
          event.hash,
          p.reason,
          event.actor.userId,
          event.actor.role,
          event.at,
        );
      touchRun(db, p.runId, event.at);
      return;
    }
    case 'feedback.bug_report.drafted': {
      const p = event.payload as EventPayload<'feedback.bug_report.drafted'>;
      db.sqlite
        .prepare(
          `INSERT INTO bug_reports (id, status, severity, title, description, release_id, store_id, terminal_id, run_id, item_id,
             answer_text, evidence, reported_by, reported_role, reported_at, event_id)
           VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          p.bugReportId,
          p.severity,
          p.title,
          p.description,
          p.releaseId,
          event.storeId,
          p.terminalId,
          p.runId,
          p.itemId,
          p.answerText,
          JSON.stringify(p.evidence),
          event.actor.userId,
          event.actor.role,
          event.at,
          event.id,
        );
      return;
    }
    case 'decision.recorded': {
      const p = event.payload as EventPayload<'decision.recorded'>;
      insertEvidence(
        db,
        {
          sha256: p.signature.sha256,
          mimeType: p.signature.mimeType,
          byteLength: p.signature.byteLength,
          fileName: 'signature.png',
          runId: null,
        },
        event,
      );
      db.sqlite
        .prepare(
          `INSERT INTO decisions (id, event_id, event_hash, release_id, store_id, decision, reason, conditions, verdict, criteria,
             signature_sha256, basis, digest, signed_by, signed_role, signed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          p.decisionId,
          event.id,
          event.hash,
          p.releaseId,
          event.storeId,
          p.decision,
          p.reason,
          JSON.stringify(p.conditions),
          p.verdict,
          JSON.stringify(p.criteria),
          p.signature.sha256,
          JSON.stringify(p.basis),
          p.digest,
          event.actor.userId,
          event.actor.role,
          event.at,
        );
      return;
    }
    default: {
      const unknownType: never = type;
      throw new Error(`not a checklist event: ${String(unknownType)}`);
    }
  }
}

function insertEvidence(
  db: Db,
  file: {
    sha256: string;
    mimeType: string;
    byteLength: number;
    fileName: string;
    runId: string | null;
  },
  event: Sealed,
): void {
  // Content-addressed: the same bytes attached twice are one file, first attachment kept.
  db.sqlite
    .prepare(
      `INSERT OR IGNORE INTO evidence_files (sha256, mime_type, byte_length, file_name, run_id, event_id, attached_by, attached_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      file.sha256,
      file.mimeType,
      file.byteLength,
      file.fileName,
      file.runId,
      event.id,
      event.actor.userId,
      event.at,
    );
}

function touchRun(db: Db, runId: string, at: string): void {
  db.sqlite.prepare('UPDATE checklist_runs SET updated_at = ? WHERE id = ?').run(at, runId);
}

/** Empties the projection tables and replays every checklist event of the journal in seq order. */
export function rebuildChecklistProjection(db: Db): { replayed: number } {
  const run = db.sqlite.transaction(() => {
    for (const table of [...CHECKLIST_PROJECTION_TABLES].reverse())
      db.sqlite.exec(`DELETE FROM ${table}`);
    const placeholders = CHECKLIST_EVENT_TYPE_NAMES.map(() => '?').join(', ');
    const page = db.sqlite.prepare(
      `SELECT seq, body, hash FROM journal WHERE type IN (${placeholders}) AND seq > ? ORDER BY seq LIMIT 2000`,
    );
    let after = 0;
    let replayed = 0;
    for (;;) {
      const rows = page.all(...CHECKLIST_EVENT_TYPE_NAMES, after) as Array<{
        seq: number;
        body: string;
        hash: string;
      }>;
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      for (const row of rows) {
        const body = JSON.parse(row.body) as Omit<AuditEvent, 'hash'>;
        const spec = EVENT_TYPES[body.type as ChecklistEventType];
        applyChecklistEvent(db, {
          ...body,
          hash: row.hash,
          payload: spec.payload.parse(body.payload),
        });
        replayed += 1;
      }
    }
    return { replayed };
  });
  return run.immediate();
}
