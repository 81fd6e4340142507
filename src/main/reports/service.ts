/**
 * What the printable run report and decision record show: results, failed
 * items, evidence thumbnails (data URLs of the stored files), who signed, and
 * the journal events with their hashes, so a reader can match the paper to the
 * audit log.
 */
import type { ChecklistRunView, EvidenceFile } from '../../shared/checklists/types.ts';
import type { DecisionReport, JournalEntryRef, RunReport } from '../../shared/decisions/types.ts';
import type { Db } from '../db/open.ts';
import type { ChecklistService } from '../checklists/service.ts';
import type { DecisionsService } from '../decisions/service.ts';

export type ReportsService = {
  runReport(runId: string): RunReport;
  decisionReport(decisionId: string): DecisionReport;
};

export function createReportsService(options: {
  db: Db;
  checklists: ChecklistService;
  decisions: DecisionsService;
  now: () => Date;
}): ReportsService {
  const { db, checklists, decisions, now } = options;

  function evidenceOf(views: ChecklistRunView[]): EvidenceFile[] {
    const seen = new Set<string>();
    const files: EvidenceFile[] = [];
    for (const view of views) {
      for (const terminal of view.terminals) {
        for (const item of terminal.items) {
          for (const ref of item.result?.evidence ?? []) {
            if (seen.has(ref.sha256)) continue;
            seen.add(ref.sha256);
            try {
              files.push(checklists.getEvidence(ref.sha256));
            } catch {
              // A missing file still appears in the report, without a thumbnail.
              files.push({ ...ref, dataUrl: '' });
            }
          }
        }
      }
    }
    return files;
  }

  function journalEntries(eventIds: readonly string[]): JournalEntryRef[] {
    const get = db.sqlite.prepare(
      'SELECT seq, id, type, at, hash, actor_user_id FROM journal WHERE id = ?',
    );
    const entries: JournalEntryRef[] = [];
    for (const id of new Set(eventIds)) {
      const row = get.get(id) as
        | { seq: number; id: string; type: string; at: string; hash: string; actor_user_id: string }
        | undefined;
      if (row)
        entries.push({
          seq: row.seq,
          eventId: row.id,
          type: row.type,
          at: row.at,
          hash: row.hash,
          actor: row.actor_user_id,
        });
    }
    return entries.sort((a, b) => a.seq - b.seq);
  }

  function runEventIds(runId: string): string[] {
    // Every journal event of the run: start, pauses, evidence, results, waivers, bug reports.
    return db.sqlite
      .prepare(
        `SELECT id FROM journal WHERE (type LIKE 'checklist.%' OR type LIKE 'feedback.%')
         AND json_extract(body, '$.payload.runId') = ? ORDER BY seq`,
      )
      .pluck()
      .all(runId) as string[];
  }

  return {
    runReport(runId) {
      const run = checklists.getRun(runId);
      return {
        run,
        evidence: evidenceOf([run]),
        journal: journalEntries(runEventIds(runId)),
        generatedAt: now().toISOString(),
      };
    },
    decisionReport(decisionId) {
      const decision = decisions.get(decisionId);
      const basis = JSON.parse(
        db.sqlite
          .prepare('SELECT basis FROM decisions WHERE id = ?')
          .pluck()
          .get(decisionId) as string,
      ) as {
        results: Array<{ runId: string; eventId: string }>;
        waivers: Array<{ runId: string; eventId: string }>;
      };
      const runIds = [...new Set([...basis.results, ...basis.waivers].map((e) => e.runId))];
      const runs = runIds.flatMap((id) => {
        try {
          return [checklists.getRun(id)];
        } catch {
          return [];
        }
      });
      const failedItems: DecisionReport['failedItems'] = [];
      for (const view of runs) {
        const titles = new Map(
          view.template.sections.flatMap((s) => s.items.map((i) => [i.id, i.title] as const)),
        );
        for (const terminal of view.terminals) {
          for (const item of terminal.items) {
            const isFailed = item.result?.outcome === 'fail' || item.result?.outcome === 'blocked';
            if (!item.isVisible || !isFailed) continue;
            failedItems.push({
              runId: view.run.id,
              templateName: view.run.templateName,
              terminalName: terminal.terminalName,
              itemTitle: titles.get(item.itemId) ?? item.itemId,
              answerText: item.result?.answerText ?? '',
              isWaived: item.waiver !== null,
              waiverReason: item.waiver?.reason ?? null,
            });
          }
        }
      }
      let signature: EvidenceFile;
      try {
        signature = checklists.getEvidence(decision.signature.sha256);
      } catch {
        signature = { ...decision.signature, dataUrl: '' };
      }
      return {
        decision,
        runs,
        failedItems,
        evidence: evidenceOf(runs),
        signature,
        journal: journalEntries([
          decision.eventId,
          ...basis.results.map((e) => e.eventId),
          ...basis.waivers.map((e) => e.eventId),
        ]),
        generatedAt: now().toISOString(),
      };
    },
  };
}
