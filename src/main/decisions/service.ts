/**
 * Go / no-go for a release at a store: the verdict computed by the shared
 * pure function from the runs, waivers and bug reports on this console; the
 * manager's signed decision (PIN re-checked, drawn signature stored as
 * evidence) bound to every result, waiver and evidence file it rests on; and
 * the binding re-checked whenever a decision is read.
 */
import { BLOCKER_SEVERITIES, CLOSED_REPORT_STATUSES } from '../../shared/feedback/types.ts';
import { readTestResults } from '../releases/extrasCatalog.ts';
import { readOpenRisks } from '../releases/riskCatalog.ts';
import { decisionRisks, type DecisionRisks } from '../../shared/releases/risks.ts';
import { sha256Hex } from '../audit/journal.ts';
import { whereEquals } from '../db/whereEquals.ts';
import { v7 as uuidv7 } from 'uuid';
import {
  basisDigest,
  checkBinding,
  normalizeBasis,
  type BasisEntry,
  type BindingChange,
  type DecisionBasis,
} from '../../shared/decisions/binding.ts';
import {
  DECISIONS,
  signableDecisions,
  signingProblems,
  type Decision,
  type SigningProblem,
} from '../../shared/decisions/signing.ts';
import type { BindingStatus, DecisionView, VerdictView } from '../../shared/decisions/types.ts';
import {
  computeVerdict,
  currentRunTerminals,
  type CriterionKind,
  type Verdict,
  type VerdictResult,
  type VerdictRun,
} from '../../shared/decisions/verdict.ts';
import { AppError, assertNever } from '../../shared/errors.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { Journal } from '../audit/journal.ts';
import type { SessionService } from '../session/service.ts';
import type { Db } from '../db/open.ts';
import { readChecklistRequirements, readChecklistTemplates } from '../checklists/catalog.ts';
import {
  checkEvidenceBytes,
  decodeBase64,
  type EvidenceStore,
} from '../checklists/evidenceStore.ts';
import { applyChecklistEvent, CHECKLIST_PROJECTION_TABLES } from '../checklists/projection.ts';
import {
  deployersOf,
  getEvidenceRef,
  getRunRow,
  listRunRows,
  personOf,
  releaseVersion,
  storeName,
  terminalNames,
} from '../checklists/repository.ts';
import type { Actor, ChecklistService, LoadedRun } from '../checklists/service.ts';
import { templateItems } from '../../shared/checklists/template.ts';
import { storeComplianceRequirements } from '../compliance/catalog.ts';

export type DecisionsService = {
  verdict(
    input: {
      releaseId: string;
      storeId?: string | undefined;
      acknowledgedRiskIds?: string[] | undefined;
    },
    actor: Actor,
  ): VerdictView;
  record(
    input: {
      releaseId: string;
      storeId?: string | undefined;
      decision: Decision;
      reason: string;
      conditions?: string[] | undefined;
      acknowledgedRiskIds?: string[] | undefined;
      pin: string;
      signaturePngBase64: string;
    },
    actor: Actor,
  ): Promise<DecisionView>;
  list(filter: { releaseId?: string | undefined; storeId?: string | undefined }): DecisionView[];
  get(decisionId: string): DecisionView;
  /** The state a decision rests on right now (for the report and the binding check). */
  currentState(
    releaseId: string,
    storeId: string,
    acknowledgedRiskIds?: readonly string[],
  ): { verdict: VerdictResult; basis: DecisionBasis; runs: LoadedRun[]; risks: DecisionRisks };
};

type DecisionRow = {
  id: string;
  event_id: string;
  event_hash: string;
  release_id: string;
  store_id: string;
  decision: Decision;
  reason: string;
  conditions: string;
  verdict: Verdict;
  criteria: string;
  signature_sha256: string;
  basis: string;
  digest: string;
  signed_by: string;
  signed_role: string;
  signed_at: string;
};

/** The rules whose compliance criterion is unmet, by name (the criterion's reason names them). */
function missingCompliance(verdict: VerdictResult): string[] {
  return verdict.criteria
    .filter((c) => c.kind === 'compliance_checks' && !c.isMet)
    .map((c) => String(c.reasonWords.params['rule'] ?? c.id));
}

export function createDecisionsService(options: {
  db: Db;
  journal: Journal;
  sessions: SessionService;
  evidence: EvidenceStore;
  checklists: ChecklistService;
  now: () => Date;
}): DecisionsService {
  const { db, journal, sessions, evidence, checklists, now } = options;

  function resolveStore(storeId: string | undefined, actor: Actor): string {
    const chosen = storeId ?? (actor.storeIds.length === 1 ? actor.storeIds[0] : undefined);
    if (chosen === undefined)
      throw new AppError('invalid_input', 'Pick the store the decision is for.');
    if (storeName(db, chosen) === null)
      throw new AppError(
        'not_found',
        'This store is not in the catalog. Sync to get the latest catalog.',
      );
    return chosen;
  }

  function requireRelease(releaseId: string): string {
    const version = releaseVersion(db, releaseId);
    if (version === null)
      throw new AppError(
        'unknown_release',
        'This release is not in the catalog. Sync to get the latest catalog.',
      );
    return version;
  }

  function currentState(
    releaseId: string,
    storeId: string,
    acknowledgedRiskIds: readonly string[] = [],
  ) {
    const templates = new Map(readChecklistTemplates(db).map((t) => [t.id, t.name]));
    const requirements = readChecklistRequirements(db, releaseId).map((r) => ({
      templateId: r.templateId,
      templateName: templates.get(r.templateId) ?? r.templateId,
      terminalCount: r.terminalCount,
    }));
    const runs = listRunRows(db, { releaseId, storeId }, 10_000).map((row) =>
      checklists.loadRun(row.id),
    );
    const verdictRuns: VerdictRun[] = runs.map((loaded) => ({
      runId: loaded.row.id,
      templateId: loaded.row.template.id,
      templateName: loaded.row.template.name,
      startedAt: loaded.row.startedAt,
      terminals: loaded.row.terminalIds.map((terminalId) => {
        const evaluation = loaded.evaluations.get(terminalId)!;
        return {
          terminalId,
          terminalName: loaded.terminalNames.get(terminalId) ?? terminalId,
          status: evaluation.status,
          failedMandatory: evaluation.items
            .filter((i) => i.isVisible && i.isMandatory && i.status === 'failed')
            .map((i) => ({
              itemId: i.itemId,
              itemTitle: loaded.items.get(i.itemId)?.title ?? i.itemId,
            })),
        };
      }),
    }));
    const openBlockers = (
      db.sqlite
        .prepare(
          // Open unless closed by the desk or discarded by its author; a blocker as triaged
          // (severity_set) or, before triage, as reported (src/shared/feedback/types.ts isOpenBlocker).
          `SELECT id, title, terminal_id AS terminalId FROM bug_reports
           WHERE release_id = ? AND store_id = ?
             AND status NOT IN (${CLOSED_REPORT_STATUSES.map(() => '?').join(', ')})
             AND coalesce(severity_set, severity) IN (${BLOCKER_SEVERITIES.map(() => '?').join(', ')})
           ORDER BY reported_at, id`,
        )
        .all(releaseId, storeId, ...CLOSED_REPORT_STATUSES, ...BLOCKER_SEVERITIES) as Array<{
        id: string;
        title: string;
        terminalId: string | null;
      }>
    ).map((b) => ({
      id: b.id,
      title: b.title,
      terminalName:
        b.terminalId === null
          ? ''
          : (terminalNames(db, [b.terminalId]).get(b.terminalId)?.name ?? b.terminalId),
    }));
    const openRisks = readOpenRisks(db, releaseId);
    // Only acknowledgements of risks open now count; a closed risk needs none.
    const acknowledged = openRisks
      .map((r) => r.id)
      .filter((riskId) => acknowledgedRiskIds.includes(riskId));
    const verdict = computeVerdict({
      requirements,
      runs: verdictRuns,
      openBlockers,
      compliance: storeComplianceRequirements(db, storeId, releaseId),
      risks: { open: openRisks, acknowledgedIds: acknowledged },
    });

    // The basis: what the current run of each template on each terminal holds now.
    const byId = new Map(runs.map((r) => [r.row.id, r]));
    const results: BasisEntry[] = [];
    const waivers: BasisEntry[] = [];
    const files: string[] = [];
    for (const current of currentRunTerminals(verdictRuns)) {
      const loaded = byId.get(current.runId)!;
      const visible = new Set(
        loaded.evaluations
          .get(current.terminalId)!
          .items.filter((i) => i.isVisible)
          .map((i) => i.itemId),
      );
      for (const [itemId, r] of loaded.results.get(current.terminalId)!) {
        if (!visible.has(itemId)) continue;
        results.push({
          runId: r.runId,
          terminalId: r.terminalId,
          itemId,
          eventId: r.eventId,
          hash: r.eventHash,
        });
        files.push(...r.evidence);
      }
      for (const [itemId, w] of loaded.waivers.get(current.terminalId)!) {
        if (visible.has(itemId))
          waivers.push({
            runId: w.runId,
            terminalId: w.terminalId,
            itemId,
            eventId: w.eventId,
            hash: w.eventHash,
          });
      }
    }
    const tests = readTestResults(db, releaseId);
    return {
      verdict,
      basis: normalizeBasis({
        results,
        waivers,
        evidence: files,
        ...(tests ? { testResults: tests } : {}),
      }),
      runs,
      risks: {
        open: openRisks.map((r) => ({
          id: r.id,
          title: r.title,
          likelihood: r.likelihood,
          impact: r.impact,
          owner: r.owner,
        })),
        acknowledged,
      },
    };
  }

  function problemsFor(
    actor: Actor,
    storeId: string,
    releaseId: string,
    decision: Decision,
    conditions: readonly string[],
    verdict: VerdictResult,
    risks: DecisionRisks,
  ): SigningProblem[] {
    return signingProblems({
      signer: {
        userId: actor.session.user.id,
        role: actor.session.user.role,
        storeIds: actor.storeIds,
      },
      storeId,
      decision,
      conditions,
      verdict: verdict.verdict,
      deployerUserIds: deployersOf(db, releaseId, storeId),
      missingCompliance: missingCompliance(verdict),
      unacknowledgedRisks: risks.open.length - risks.acknowledged.length,
    });
  }

  /** The risks a decision event carried (null: signed before the register, or not on this console). */
  function risksOf(eventId: string): DecisionRisks | null {
    const body = (db.sqlite.prepare('SELECT body FROM journal WHERE id = ?').pluck().get(eventId) ??
      db.sqlite
        .prepare('SELECT body FROM foreign_events WHERE event_id = ?')
        .pluck()
        .get(eventId)) as string | null | undefined;
    if (!body) return null;
    const risks = (JSON.parse(body) as { payload?: { risks?: unknown } }).payload?.risks;
    const parsed = decisionRisks.safeParse(risks);
    return parsed.success ? parsed.data : null;
  }

  function describeChange(change: BindingChange): string {
    const run = change.runId ? getRunRow(db, change.runId) : null;
    const item =
      run && change.itemId
        ? templateItems(run.template).find((i) => i.id === change.itemId)
        : undefined;
    const terminal = change.terminalId
      ? (terminalNames(db, [change.terminalId]).get(change.terminalId)?.name ?? change.terminalId)
      : '';
    const where = `"${item?.title ?? change.itemId ?? ''}" on ${terminal}${run ? ` (${run.template.name})` : ''}`;
    const file = change.sha256
      ? `${getEvidenceRef(db, change.sha256)?.fileName ?? 'an evidence file'} (${change.sha256.slice(0, 12)}…)`
      : '';
    switch (change.kind) {
      case 'result_replaced':
        if (!change.runId)
          return 'The stored decision no longer matches the digest it was signed with: this console’s database was altered.';
        return `${where} was answered again after signing.`;
      case 'result_added':
        return `${where} has an answer that was not there at signing.`;
      case 'result_removed':
        return `${where} no longer counts (a newer run or a changed earlier answer replaced it).`;
      case 'waiver_added':
        return `${where} was waived after signing.`;
      case 'waiver_removed':
        return `The waiver of ${where} is no longer in force.`;
      case 'evidence_altered':
        return `Evidence file ${file} was changed on this console after signing.`;
      case 'evidence_missing':
        return `Evidence file ${file} is missing from this console.`;
      case 'evidence_added':
        return `Evidence file ${file} is cited now but was not at signing.`;
      case 'test_results_changed':
        return 'The release’s automated test results were imported again after signing: the decision did not see these.';
      default:
        return assertNever(change.kind, 'binding change');
    }
  }

  function bindingOf(row: DecisionRow): BindingStatus {
    const recorded = JSON.parse(row.basis) as DecisionBasis;
    const state = currentState(row.release_id, row.store_id);
    const fileHashes = new Map<string, string | null>();
    for (const sha of new Set([...recorded.evidence, ...state.basis.evidence]))
      fileHashes.set(sha, evidence.rehash(sha));
    const check = checkBinding(recorded, { basis: state.basis, fileHashes });
    const changes = [...check.changes];
    const signature = evidence.rehash(row.signature_sha256);
    if (signature !== row.signature_sha256)
      changes.push({
        kind: signature === null ? 'evidence_missing' : 'evidence_altered',
        sha256: row.signature_sha256,
      });
    // The event's digest must still be the digest of its basis (a tampered projection row would not be).
    if (basisDigest(recorded, sha256Hex) !== row.digest) changes.push({ kind: 'result_replaced' });
    return {
      matches: changes.length === 0,
      changes: changes.map((c) => ({ ...c, message: describeChange(c) })),
    };
  }

  function toView(row: DecisionRow): DecisionView {
    const basis = JSON.parse(row.basis) as DecisionBasis;
    return {
      id: row.id,
      eventId: row.event_id,
      eventHash: row.event_hash,
      releaseId: row.release_id,
      releaseVersion: releaseVersion(db, row.release_id) ?? row.release_id,
      storeId: row.store_id,
      storeName: storeName(db, row.store_id) ?? row.store_id,
      decision: row.decision,
      reason: row.reason,
      conditions: JSON.parse(row.conditions) as string[],
      verdictAtSigning: row.verdict,
      criteriaAtSigning: JSON.parse(row.criteria) as Array<{
        id: string;
        kind: CriterionKind;
        isMet: boolean;
        reason: string;
      }>,
      signedBy: personOf(db, row.signed_by, row.signed_role as Role),
      signedAt: row.signed_at,
      signature: getEvidenceRef(db, row.signature_sha256) ?? {
        sha256: row.signature_sha256,
        mimeType: 'image/png',
        byteLength: 0,
        fileName: 'signature.png',
      },
      digest: row.digest,
      resultCount: basis.results.length,
      evidenceCount: basis.evidence.length,
      testResults: basis.testResults ?? null,
      risks: risksOf(row.event_id),
      binding: bindingOf(row),
    };
  }

  function get(decisionId: string): DecisionView {
    const row = db.sqlite.prepare('SELECT * FROM decisions WHERE id = ?').get(decisionId) as
      DecisionRow | undefined;
    if (!row) throw new AppError('not_found', 'This decision does not exist on this console.');
    return toView(row);
  }

  return {
    currentState,
    get,
    verdict(input, actor) {
      const version = requireRelease(input.releaseId);
      const storeId = resolveStore(input.storeId, actor);
      const { verdict, risks } = currentState(input.releaseId, storeId, input.acknowledgedRiskIds);
      // Judged as if the risks were acknowledged (they are ticked while signing), like conditions.
      const signable = signableDecisions({
        signer: {
          userId: actor.session.user.id,
          role: actor.session.user.role,
          storeIds: actor.storeIds,
        },
        storeId,
        verdict: verdict.verdict,
        deployerUserIds: deployersOf(db, input.releaseId, storeId),
        missingCompliance: missingCompliance(verdict),
      });
      const unacknowledged = signingProblems({
        signer: { userId: '', role: 'manager', storeIds: [] },
        storeId,
        decision: 'no-go',
        conditions: [],
        verdict: 'no-go',
        deployerUserIds: [],
        unacknowledgedRisks: risks.open.length - risks.acknowledged.length,
      });
      // Each problem once, though it may close several choices.
      const problems = [
        ...new Map(
          [...DECISIONS.flatMap((d) => signable[d]), ...unacknowledged].map((p) => [p.code, p]),
        ).values(),
      ];
      return {
        releaseId: input.releaseId,
        releaseVersion: version,
        storeId,
        storeName: storeName(db, storeId) ?? storeId,
        verdict: verdict.verdict,
        criteria: verdict.criteria,
        openRisks: readOpenRisks(db, input.releaseId),
        acknowledgedRiskIds: risks.acknowledged,
        signing: {
          allowed: {
            go: signable.go.length === 0,
            'go-with-conditions': signable['go-with-conditions'].length === 0,
            'no-go': signable['no-go'].length === 0,
          },
          problems,
        },
        computedAt: now().toISOString(),
      };
    },
    async record(input, actor) {
      requireRelease(input.releaseId);
      const storeId = resolveStore(input.storeId, actor);
      // The PIN first: a sign-off is the signer's own act, whatever else is wrong.
      await sessions.confirmPin(actor.session.user.id, input.pin);
      const conditions = input.conditions ?? [];
      const state = currentState(input.releaseId, storeId, input.acknowledgedRiskIds);
      const problems = problemsFor(
        actor,
        storeId,
        input.releaseId,
        input.decision,
        conditions,
        state.verdict,
        state.risks,
      );
      const first = problems[0];
      if (first) {
        const isRoleProblem =
          first.code === 'not_manager' ||
          first.code === 'not_assigned_to_store' ||
          first.code === 'deployed_this_release';
        throw new AppError(
          isRoleProblem ? 'forbidden' : 'conflict',
          `${first.message} Nothing was signed.`,
          { problems: problems.map((p) => p.code) },
        );
      }
      const signatureBytes = decodeBase64(input.signaturePngBase64, 'The signature');
      checkEvidenceBytes(signatureBytes, 'image/png', 'The signature');
      // Written (fsynced) before the decision event that cites it commits.
      const signatureSha = evidence.put(signatureBytes);
      const decisionId = uuidv7();
      journal.record({
        type: 'decision.recorded',
        storeId,
        actor: { userId: actor.session.user.id, role: actor.session.user.role },
        payload: {
          decisionId,
          releaseId: input.releaseId,
          decision: input.decision,
          reason: input.reason,
          conditions,
          verdict: state.verdict.verdict,
          criteria: state.verdict.criteria.map((c) => ({
            id: c.id,
            kind: c.kind,
            isMet: c.isMet,
            reason: c.reason.slice(0, 500),
          })),
          signature: {
            sha256: signatureSha,
            mimeType: 'image/png',
            byteLength: signatureBytes.length,
          },
          basis: state.basis,
          digest: basisDigest(state.basis, sha256Hex),
          // Which risks were open and which the signer acknowledged (all of them, or it was refused above).
          ...(state.risks.open.length > 0 ? { risks: state.risks } : {}),
        },
        tables: CHECKLIST_PROJECTION_TABLES,
        apply: (e) => applyChecklistEvent(db, e),
      });
      return get(decisionId);
    },
    list(filter) {
      const where = whereEquals({ release_id: filter.releaseId, store_id: filter.storeId });
      const rows = db.sqlite
        .prepare(`SELECT * FROM decisions ${where.sql} ORDER BY signed_at DESC, id DESC LIMIT 200`)
        .all(...where.args) as DecisionRow[];
      return rows.map(toView);
    },
  };
}
