/**
 * The checklists feature: start, pause and resume runs, record results,
 * attach evidence, waive items. Every change is one journal transaction whose
 * projection is applied by projection.ts; runs live in the database, so a run
 * paused days ago resumes after any number of restarts. Bad input is refused
 * with a clear message before anything is written.
 */
import { requireApprovedRevision } from '../revisions/gate.ts';
import { v7 as uuidv7 } from 'uuid';
import { describeAnswer, judgeAnswer, type Answer } from '../../shared/checklists/answers.ts';
import {
  combineRunStatus,
  evaluateTerminal,
  progressOf,
  type ItemAnswer,
  type TerminalEvaluation,
} from '../../shared/checklists/status.ts';
import {
  templateItems,
  type ChecklistItem,
  type ChecklistTemplate,
} from '../../shared/checklists/template.ts';
import type {
  ChecklistRunSummary,
  ChecklistRunView,
  ChecklistTemplatesView,
  EvidenceFile,
  EvidenceRef,
  RecordResultOutcome,
  RunTerminalView,
} from '../../shared/checklists/types.ts';
import type { EVIDENCE_MIME_TYPES } from '../../shared/contract/checklists.ts';
import type { Session } from '../../shared/contract/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import {
  readChecklistRequirements,
  readChecklistTemplate,
  readChecklistTemplates,
} from './catalog.ts';
import { checkEvidenceBytes, decodeBase64, type EvidenceStore } from './evidenceStore.ts';
import { applyChecklistEvent, CHECKLIST_PROJECTION_TABLES } from './projection.ts';
import {
  bugReportPlaces,
  currentResults,
  getEvidenceRef,
  getRunRow,
  listRunRows,
  personOf,
  releaseVersion,
  storeName,
  terminalNames,
  waiversOf,
  type ResultRow,
  type RunRow,
  type WaiverRow,
} from './repository.ts';

const CHECKLIST_TABLES = CHECKLIST_PROJECTION_TABLES;

/** Everything known about one run, loaded once and evaluated by the shared rules. */
export type LoadedRun = {
  row: RunRow;
  items: Map<string, ChecklistItem & { sectionId: string }>;
  terminalNames: Map<string, string>;
  results: Map<string, Map<string, ResultRow>>;
  waivers: Map<string, Map<string, WaiverRow>>;
  evaluations: Map<string, TerminalEvaluation>;
};

export type Actor = { session: Session; storeIds: readonly string[] };

export type ChecklistService = {
  templates(releaseId?: string): ChecklistTemplatesView;
  listRuns(filter: {
    releaseId?: string | undefined;
    storeId?: string | undefined;
  }): ChecklistRunSummary[];
  getRun(runId: string): ChecklistRunView;
  loadRun(runId: string): LoadedRun;
  startRun(
    input: { templateId: string; releaseId: string; terminalIds: string[] },
    actor: Actor,
  ): ChecklistRunView;
  setPaused(runId: string, isPaused: boolean, actor: Actor): ChecklistRunView;
  recordResult(
    input: {
      runId: string;
      terminalId: string;
      itemId: string;
      answer: Answer;
      note?: string | undefined;
      evidence?: string[] | undefined;
    },
    actor: Actor,
  ): RecordResultOutcome;
  attachEvidence(
    input: {
      runId: string;
      fileName: string;
      mimeType: (typeof EVIDENCE_MIME_TYPES)[number];
      dataBase64: string;
    },
    actor: Actor,
  ): EvidenceRef;
  getEvidence(sha256: string): EvidenceFile;
  waiveItem(
    input: { runId: string; terminalId: string; itemId: string; reason: string },
    actor: Actor,
  ): ChecklistRunView;
  runView(loaded: LoadedRun): ChecklistRunView;
  summary(loaded: LoadedRun): ChecklistRunSummary;
};

export function createChecklistService(options: {
  db: Db;
  journal: Journal;
  evidence: EvidenceStore;
}): ChecklistService {
  const { db, journal, evidence } = options;

  function loadRun(runId: string): LoadedRun {
    const row = getRunRow(db, runId);
    if (!row)
      throw new AppError(
        'not_found',
        'This checklist run does not exist on this console. Refresh the list of runs.',
      );
    const items = new Map(templateItems(row.template).map((i) => [i.id, i]));
    const names = terminalNames(db, row.terminalIds);
    const results = new Map<string, Map<string, ResultRow>>();
    const waivers = new Map<string, Map<string, WaiverRow>>();
    for (const t of row.terminalIds) {
      results.set(t, new Map());
      waivers.set(t, new Map());
    }
    for (const r of currentResults(db, runId)) results.get(r.terminalId)?.set(r.itemId, r);
    for (const w of waiversOf(db, runId)) waivers.get(w.terminalId)?.set(w.itemId, w);
    const evaluations = new Map<string, TerminalEvaluation>();
    for (const t of row.terminalIds) {
      const answers = new Map<string, ItemAnswer>();
      for (const [itemId, r] of results.get(t)!)
        answers.set(itemId, { answer: r.answer, outcome: r.outcome });
      evaluations.set(t, evaluateTerminal(row.template, answers, new Set(waivers.get(t)!.keys())));
    }
    return {
      row,
      items,
      terminalNames: new Map(row.terminalIds.map((t) => [t, names.get(t)?.name ?? t])),
      results,
      waivers,
      evaluations,
    };
  }

  function summary(loaded: LoadedRun): ChecklistRunSummary {
    const { row } = loaded;
    const terminals = row.terminalIds.map((id) => ({
      id,
      name: loaded.terminalNames.get(id) ?? id,
      status: loaded.evaluations.get(id)!.status,
    }));
    const shown = [...loaded.evaluations.values()].flatMap((e) =>
      e.items.filter((i) => i.isVisible),
    );
    // The same items and the same rule as each terminal's score (score.ts): the counts add up.
    const progress = progressOf(shown);
    return {
      id: row.id,
      templateId: row.template.id,
      templateName: row.template.name,
      templateKind: row.template.kind,
      templateVersion: row.template.version,
      releaseId: row.releaseId,
      releaseVersion: releaseVersion(db, row.releaseId) ?? row.releaseId,
      storeId: row.storeId,
      storeName: storeName(db, row.storeId) ?? row.storeId,
      terminals,
      status: combineRunStatus(terminals.map((t) => t.status)),
      isPaused: row.isPaused,
      startedBy: personOf(db, row.startedBy, row.startedRole),
      startedAt: row.startedAt,
      updatedAt: row.updatedAt,
      score: progress.score,
      completion: progress.completion,
    };
  }

  function terminalView(
    loaded: LoadedRun,
    terminalId: string,
    bugs: Map<string, string[]>,
  ): RunTerminalView {
    const evaluation = loaded.evaluations.get(terminalId)!;
    const results = loaded.results.get(terminalId)!;
    const waivers = loaded.waivers.get(terminalId)!;
    return {
      terminalId,
      terminalName: loaded.terminalNames.get(terminalId) ?? terminalId,
      status: evaluation.status,
      score: evaluation.score,
      completion: evaluation.completion,
      counts: evaluation.counts,
      items: evaluation.items.map((i) => {
        const r = results.get(i.itemId);
        const w = waivers.get(i.itemId);
        const spec = loaded.items.get(i.itemId)!.answer;
        return {
          itemId: i.itemId,
          sectionId: i.sectionId,
          isVisible: i.isVisible,
          status: i.status,
          result: r
            ? {
                eventId: r.eventId,
                eventHash: r.eventHash,
                answer: r.answer,
                answerText: describeAnswer(r.answer, spec),
                outcome: r.outcome,
                note: r.note,
                evidence: r.evidence.map(
                  (sha) =>
                    getEvidenceRef(db, sha) ?? {
                      sha256: sha,
                      mimeType: 'application/octet-stream',
                      byteLength: 0,
                      fileName: 'missing',
                    },
                ),
                recordedBy: personOf(db, r.recordedBy, r.recordedRole),
                recordedAt: r.recordedAt,
              }
            : null,
          waiver: w
            ? {
                eventId: w.eventId,
                eventHash: w.eventHash,
                reason: w.reason,
                waivedBy: personOf(db, w.waivedBy, w.waivedRole),
                waivedAt: w.waivedAt,
              }
            : null,
          bugReportIds: bugs.get(`${terminalId}\u0000${i.itemId}`) ?? [],
        };
      }),
    };
  }

  function bugMap(runId: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const b of bugReportPlaces(db, runId)) {
      const key = `${b.terminalId}\u0000${b.itemId}`;
      out.set(key, [...(out.get(key) ?? []), b.id]);
    }
    return out;
  }

  function runView(loaded: LoadedRun): ChecklistRunView {
    const bugs = bugMap(loaded.row.id);
    return {
      run: summary(loaded),
      template: loaded.row.template,
      terminals: loaded.row.terminalIds.map((t) => terminalView(loaded, t, bugs)),
    };
  }

  function requireStoreAccess(actor: Actor, storeId: string) {
    if (actor.storeIds.length > 0 && !actor.storeIds.includes(storeId)) {
      throw new AppError(
        'forbidden',
        `You are not assigned to ${storeName(db, storeId) ?? 'this store'}, so you cannot work on its checklists.`,
      );
    }
  }

  function requireOpenRun(loaded: LoadedRun, actor: Actor) {
    requireStoreAccess(actor, loaded.row.storeId);
    if (loaded.row.isPaused)
      throw new AppError('conflict', 'This run is paused. Resume it first. Nothing was recorded.');
  }

  function requireTerminal(loaded: LoadedRun, terminalId: string) {
    if (!loaded.row.terminalIds.includes(terminalId)) {
      throw new AppError(
        'invalid_input',
        'This terminal is not part of the run. Nothing was recorded.',
      );
    }
  }

  const actorOf = (a: Actor) => ({ userId: a.session.user.id, role: a.session.user.role });

  return {
    loadRun,
    runView,
    summary,
    templates(releaseId) {
      const templates = readChecklistTemplates(db);
      const names = new Map(templates.map((t) => [t.id, t.name]));
      return {
        templates,
        requirements: readChecklistRequirements(db, releaseId).map((r) => ({
          ...r,
          templateName: names.get(r.templateId) ?? r.templateId,
          releaseVersion: releaseVersion(db, r.releaseId) ?? r.releaseId,
        })),
      };
    },
    listRuns(filter) {
      return listRunRows(db, filter).map((row) => summary(loadRun(row.id)));
    },
    getRun(runId) {
      return runView(loadRun(runId));
    },
    startRun(input, actor) {
      const template: ChecklistTemplate | null = readChecklistTemplate(db, input.templateId);
      if (!template)
        throw new AppError(
          'not_found',
          'This checklist template is not in the catalog. Sync to get the latest catalog.',
        );
      requireApprovedRevision(db, {
        kind: 'checklistTemplate',
        docId: template.id,
        content: template,
      });
      if (releaseVersion(db, input.releaseId) === null) {
        throw new AppError(
          'unknown_release',
          'This release is not in the catalog. Sync to get the latest catalog. Nothing was started.',
        );
      }
      const terminalIds = [...new Set(input.terminalIds)];
      if (terminalIds.length !== input.terminalIds.length)
        throw new AppError('invalid_input', 'A terminal is picked twice. Nothing was started.');
      const found = terminalNames(db, terminalIds);
      const missing = terminalIds.filter((t) => !found.has(t));
      if (missing.length > 0)
        throw new AppError(
          'not_found',
          `Terminal ${missing[0]} is not in the catalog. Nothing was started.`,
        );
      const storeIds = new Set([...found.values()].map((t) => t.storeId));
      if (storeIds.size !== 1)
        throw new AppError(
          'invalid_input',
          'A run covers terminals of one store. Pick terminals of a single store. Nothing was started.',
        );
      const storeId = [...storeIds][0]!;
      requireStoreAccess(actor, storeId);
      const runId = uuidv7();
      journal.record({
        type: 'checklist.run.started',
        storeId,
        actor: actorOf(actor),
        payload: { runId, releaseId: input.releaseId, terminalIds, template },
        tables: CHECKLIST_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      return runView(loadRun(runId));
    },
    setPaused(runId, isPaused, actor) {
      const loaded = loadRun(runId);
      requireStoreAccess(actor, loaded.row.storeId);
      if (loaded.row.isPaused === isPaused) return runView(loaded);
      journal.record({
        type: isPaused ? 'checklist.run.paused' : 'checklist.run.resumed',
        storeId: loaded.row.storeId,
        actor: actorOf(actor),
        payload: { runId },
        tables: CHECKLIST_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      return runView(loadRun(runId));
    },
    recordResult(input, actor) {
      const loaded = loadRun(input.runId);
      requireOpenRun(loaded, actor);
      requireTerminal(loaded, input.terminalId);
      const item = loaded.items.get(input.itemId);
      if (!item)
        throw new AppError(
          'invalid_input',
          'This item is not in the run’s checklist. Nothing was recorded.',
        );
      const evaluation = loaded.evaluations.get(input.terminalId)!;
      if (!evaluation.items.find((i) => i.itemId === item.id)?.isVisible) {
        throw new AppError(
          'invalid_input',
          `"${item.title}" does not apply given the earlier answers on this terminal, so it cannot be answered. Nothing was recorded.`,
        );
      }
      const cited = [...new Set(input.evidence ?? [])];
      for (const sha of cited) {
        if (!getEvidenceRef(db, sha) || evidence.read(sha) === null) {
          throw new AppError(
            'invalid_input',
            'An attached file is not on this console. Attach the photo again. Nothing was recorded.',
          );
        }
      }
      const judgement = judgeAnswer(item, input.answer, cited.length);
      if (!judgement.ok)
        throw new AppError('invalid_input', `${judgement.message} Nothing was recorded.`);
      const { event } = journal.record({
        type: 'checklist.result.recorded',
        storeId: loaded.row.storeId,
        actor: actorOf(actor),
        payload: {
          runId: input.runId,
          terminalId: input.terminalId,
          itemId: item.id,
          answer: input.answer,
          outcome: judgement.outcome,
          note: input.note && input.note.length > 0 ? input.note : null,
          evidence: cited,
        },
        tables: CHECKLIST_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      const after = loadRun(input.runId);
      return {
        run: summary(after),
        terminal: terminalView(after, input.terminalId, bugMap(input.runId)),
        eventId: event.id,
      };
    },
    attachEvidence(input, actor) {
      const loaded = loadRun(input.runId);
      requireOpenRun(loaded, actor);
      const bytes = decodeBase64(input.dataBase64, 'The file');
      checkEvidenceBytes(bytes, input.mimeType, 'The file');
      // The file is on disk (fsynced) before the event that cites it commits.
      const sha256 = evidence.put(bytes);
      const existing = getEvidenceRef(db, sha256);
      if (existing) return existing;
      journal.record({
        type: 'checklist.evidence.attached',
        storeId: loaded.row.storeId,
        actor: actorOf(actor),
        payload: {
          runId: input.runId,
          sha256,
          mimeType: input.mimeType,
          byteLength: bytes.length,
          fileName: input.fileName,
        },
        tables: CHECKLIST_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      return getEvidenceRef(db, sha256)!;
    },
    getEvidence(sha256) {
      const ref = getEvidenceRef(db, sha256);
      const bytes = ref ? evidence.read(sha256) : null;
      if (!ref || !bytes)
        throw new AppError('not_found', 'This evidence file is not on this console.');
      return { ...ref, dataUrl: `data:${ref.mimeType};base64,${bytes.toString('base64')}` };
    },
    waiveItem(input, actor) {
      const loaded = loadRun(input.runId);
      requireOpenRun(loaded, actor);
      requireTerminal(loaded, input.terminalId);
      const item = loaded.items.get(input.itemId);
      if (!item)
        throw new AppError(
          'invalid_input',
          'This item is not in the run’s checklist. Nothing was waived.',
        );
      const state = loaded.evaluations
        .get(input.terminalId)!
        .items.find((i) => i.itemId === item.id)!;
      if (!state.isVisible)
        throw new AppError(
          'invalid_input',
          `"${item.title}" does not apply on this terminal, so there is nothing to waive.`,
        );
      if (state.status === 'passed' || state.status === 'na' || state.status === 'waived') {
        throw new AppError(
          'conflict',
          `"${item.title}" is already ${state.status === 'na' ? 'not applicable' : state.status}: there is nothing to waive.`,
        );
      }
      journal.record({
        type: 'checklist.item.waived',
        storeId: loaded.row.storeId,
        actor: actorOf(actor),
        payload: {
          runId: input.runId,
          terminalId: input.terminalId,
          itemId: item.id,
          reason: input.reason,
        },
        tables: CHECKLIST_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      return runView(loadRun(input.runId));
    },
  };
}
