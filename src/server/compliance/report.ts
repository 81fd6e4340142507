/**
 * The compliance report for one release and one region or country, from the
 * read models (quarantined entries are never in them): for each store of the
 * region or country, each check the rules binding that store require (its
 * region's and its country's), judged exactly as the
 * console's go / no-go judges it (the current run per terminal, shared
 * evaluateTerminal), with the signer, the evidence hashes, and the inclusion
 * proof of the result event it rests on in the report's signed tree head.
 */
import type { Kysely } from 'kysely';
import type { ItemAnswer } from '../../shared/checklists/status.ts';
import { evaluateTerminal, isPassingStatus } from '../../shared/checklists/status.ts';
import type { ChecklistTemplate } from '../../shared/checklists/template.ts';
import type {
  ComplianceReport,
  ComplianceReportCheck,
  ComplianceReportQuery,
  ComplianceReportStore,
} from '../../shared/compliance/protocol.ts';
import { ruleApplies } from '../../shared/compliance/rules.ts';
import { isRegionInScope } from '../../shared/desk/protocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import { ServerError } from '../errors.ts';
import { inclusionProof, latestTreeHead } from '../log/merkleLog.ts';
import type { LogKey } from '../log/keys.ts';
import { readComplianceRules } from './service.ts';

type Db = Kysely<ServerSchema>;
type StoreData = { id: string; name: string; region: string; country?: string };
type Person = { userId: string; name: string; role: string };

/**
 * A desk reads the report of a region inside its scope only, and of a country
 * whose stores all lie inside it; auditors and admins read every region and country.
 */
function checkReportScope(
  principal: DeskPrincipal,
  query: ComplianceReportQuery,
  stores: readonly StoreData[],
): void {
  if (query.region !== undefined && !isRegionInScope(principal.scope, query.region))
    throw new ServerError('scope_denied', `Region "${query.region}" is outside this desk's scope.`);
  const outside = stores.filter((s) => !isRegionInScope(principal.scope, s.region));
  if (query.country !== undefined && outside.length > 0)
    throw new ServerError(
      'scope_denied',
      `Country ${query.country} has stores outside this desk's scope (${outside
        .slice(0, 3)
        .map((s) => s.id)
        .join(', ')}${outside.length > 3 ? ', …' : ''}).`,
    );
}

export async function complianceReportOf(
  db: Db,
  key: LogKey,
  query: ComplianceReportQuery,
  now: () => Date,
  /** A desk's principal: the report is refused outside its scope. Absent: an auditor or admin. */
  desk?: DeskPrincipal,
): Promise<ComplianceReport> {
  if (desk && query.region !== undefined) checkReportScope(desk, query, []);
  const release = await db
    .selectFrom('releases')
    .select('data')
    .where('id', '=', query.releaseId)
    .executeTakeFirst();
  if (!release) throw new ServerError('not_found', `There is no release ${query.releaseId}.`);
  const version = (JSON.parse(release.data) as { version: string }).version;
  const stores = (await db.selectFrom('stores').select('data').orderBy('id').execute())
    .map((r) => JSON.parse(r.data) as StoreData)
    .filter((s) =>
      query.country !== undefined ? s.country === query.country : s.region === query.region,
    );
  if (desk) checkReportScope(desk, query, stores);
  const allRules = await readComplianceRules(db);
  const rulesOf = (store: StoreData) =>
    allRules.filter((r) => ruleApplies(r, store, query.releaseId));
  const rules = allRules.filter((r) => stores.some((s) => ruleApplies(r, s, query.releaseId)));
  // One tree head for the whole report: every proof is computed in it.
  const treeHead = await latestTreeHead(db, key, now);
  const size = treeHead.treeHead.size;
  const names = await userNames(db);
  const personOf = (userId: string, role: string): Person => ({
    userId,
    name: names.get(userId) ?? userId,
    role,
  });
  const templateNames = await templateNamesOf(db);
  const storeIds = stores.map((s) => s.id);
  const templateIds = [...new Set(rules.flatMap((r) => r.checks.map((c) => c.templateId)))];
  const runs =
    storeIds.length === 0 || templateIds.length === 0
      ? []
      : await db
          .selectFrom('rm_checklist_runs')
          .select(['id', 'template_id', 'template_data', 'store_id', 'terminal_ids', 'started_at'])
          .where('release_id', '=', query.releaseId)
          .where('store_id', 'in', storeIds)
          .where('template_id', 'in', templateIds)
          .execute();
  const runIds = runs.map((r) => r.id);
  const results =
    runIds.length === 0
      ? []
      : await db
          .selectFrom('rm_checklist_results')
          .select([
            'event_id',
            'event_hash',
            'run_id',
            'terminal_id',
            'item_id',
            'answer',
            'outcome',
            'evidence',
            'recorded_by',
            'recorded_role',
            'recorded_at',
          ])
          .where('run_id', 'in', runIds)
          .where('is_current', '=', 1)
          .execute();
  const waivers =
    runIds.length === 0
      ? []
      : await db
          .selectFrom('rm_checklist_waivers')
          .select(['run_id', 'terminal_id', 'item_id'])
          .where('run_id', 'in', runIds)
          .execute();

  // The current run per (store, template, terminal): latest start wins, ties by run id.
  type Current = { runId: string; startedAt: string };
  const current = new Map<string, Current>();
  for (const run of runs) {
    for (const terminalId of JSON.parse(run.terminal_ids) as string[]) {
      const k = `${run.store_id}\u0000${run.template_id}\u0000${terminalId}`;
      const seen = current.get(k);
      if (
        !seen ||
        run.started_at > seen.startedAt ||
        (run.started_at === seen.startedAt && run.id > seen.runId)
      )
        current.set(k, { runId: run.id, startedAt: run.started_at });
    }
  }
  const runById = new Map(runs.map((r) => [r.id, r]));
  const resultsOf = Map.groupBy(results, (r) => `${r.run_id}\u0000${r.terminal_id}`);
  const waiversOf = Map.groupBy(waivers, (w) => `${w.run_id}\u0000${w.terminal_id}`);

  const reportStores: ComplianceReportStore[] = [];
  const proofsWanted: Array<{ storeId: string; eventHash: string }> = [];
  const pending: Array<{
    check: ComplianceReportCheck;
    storeId: string;
    eventHash: string | null;
  }> = [];
  for (const store of stores) {
    const checks: ComplianceReportCheck[] = [];
    for (const rule of rulesOf(store)) {
      for (const check of rule.checks) {
        const terminals = [...current.entries()]
          .filter(([k]) => k.startsWith(`${store.id}\u0000${check.templateId}\u0000`))
          .map(([k, v]) => ({ terminalId: k.split('\u0000')[2]!, runId: v.runId }));
        let passed = 0;
        let waived = false;
        let anyFailed = false;
        const evidence = new Set<string>();
        let last: (typeof results)[number] | null = null;
        for (const t of terminals) {
          const run = runById.get(t.runId)!;
          const template = JSON.parse(run.template_data) as ChecklistTemplate;
          const rows = resultsOf.get(`${t.runId}\u0000${t.terminalId}`) ?? [];
          const answers = new Map<string, ItemAnswer>(
            rows.map((r) => [
              r.item_id,
              {
                answer: JSON.parse(r.answer) as ItemAnswer['answer'],
                outcome: r.outcome as ItemAnswer['outcome'],
              },
            ]),
          );
          const waivedIds = new Set(
            (waiversOf.get(`${t.runId}\u0000${t.terminalId}`) ?? []).map((w) => w.item_id),
          );
          const evaluation = evaluateTerminal(template, answers, waivedIds);
          if (isPassingStatus(evaluation.status)) {
            passed++;
            if (evaluation.status === 'waived') waived = true;
            for (const r of rows) {
              for (const sha of JSON.parse(r.evidence) as string[]) evidence.add(sha);
              if (
                last === null ||
                r.recorded_at > last.recorded_at ||
                (r.recorded_at === last.recorded_at && r.event_id > last.event_id)
              )
                last = r;
            }
          } else if (evaluation.status === 'failed' || evaluation.status === 'blocked')
            anyFailed = true;
        }
        const isMet = passed >= check.terminalCount;
        const entry: ComplianceReportCheck = {
          ruleId: rule.id,
          ruleName: rule.name,
          kind: check.kind,
          templateId: check.templateId,
          templateName: templateNames.get(check.templateId) ?? check.templateId,
          terminalCount: check.terminalCount,
          result: isMet
            ? waived
              ? 'passed_with_waivers'
              : 'passed'
            : anyFailed
              ? 'failed'
              : 'missing',
          passedTerminals: passed,
          signer: isMet && last ? personOf(last.recorded_by, last.recorded_role) : null,
          signedAt: isMet && last ? last.recorded_at : null,
          evidence: isMet ? [...evidence].sort() : [],
          proof: null,
        };
        checks.push(entry);
        const eventHash = isMet && last ? last.event_hash : null;
        pending.push({ check: entry, storeId: store.id, eventHash });
        if (eventHash) proofsWanted.push({ storeId: store.id, eventHash });
      }
    }
    reportStores.push({
      storeId: store.id,
      storeName: store.name,
      region: store.region,
      country: store.country ?? null,
      checks,
      isCompliant: checks.every((c) => c.result === 'passed' || c.result === 'passed_with_waivers'),
      decision: null,
    });
  }

  // Log positions of the result events and of each store's latest decision.
  const decisions =
    storeIds.length === 0
      ? []
      : await db
          .selectFrom('rm_decisions')
          .select([
            'store_id',
            'event_id',
            'event_hash',
            'decision',
            'signed_by',
            'signed_role',
            'signed_at',
            'log_idx',
          ])
          .where('release_id', '=', query.releaseId)
          .where('store_id', 'in', storeIds)
          .where('log_idx', '<', size)
          .execute();
  const latestDecision = new Map<string, (typeof decisions)[number]>();
  for (const d of decisions) {
    const seen = latestDecision.get(d.store_id);
    if (!seen || Number(d.log_idx) > Number(seen.log_idx)) latestDecision.set(d.store_id, d);
  }
  const positions = await logPositions(db, proofsWanted, size);
  const proofOf = async (eventHash: string, index: number) => ({
    eventId: positions.ids.get(eventHash) ?? '',
    eventHash,
    proof: await inclusionProof(db, index, size),
  });
  for (const p of pending) {
    if (p.eventHash === null) continue;
    const index = positions.index.get(p.eventHash);
    if (index !== undefined) p.check.proof = await proofOf(p.eventHash, index);
  }
  for (const store of reportStores) {
    const d = latestDecision.get(store.storeId);
    if (!d) continue;
    store.decision = {
      decision: d.decision,
      signer: personOf(d.signed_by, d.signed_role),
      signedAt: d.signed_at,
      proof: {
        eventId: d.event_id,
        eventHash: d.event_hash,
        proof: await inclusionProof(db, Number(d.log_idx), size),
      },
    };
  }
  return {
    releaseId: query.releaseId,
    releaseVersion: version,
    ...(query.country !== undefined ? { country: query.country } : { region: query.region }),
    rules,
    stores: reportStores,
    treeHead,
    generatedAt: now().toISOString(),
  };
}

/** Each wanted event's log index (only those inside the report's tree) and id, read per store by its (store_id, idx) index. */
async function logPositions(
  db: Db,
  wanted: ReadonlyArray<{ storeId: string; eventHash: string }>,
  size: number,
): Promise<{ index: Map<string, number>; ids: Map<string, string> }> {
  const index = new Map<string, number>();
  const ids = new Map<string, string>();
  for (const [storeId, list] of Map.groupBy(wanted, (w) => w.storeId)) {
    const hashes = [...new Set(list.map((w) => w.eventHash))];
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await db
        .selectFrom('log_entries')
        .select(['idx', 'hash', 'body'])
        .where('store_id', '=', storeId)
        .where('hash', 'in', hashes.slice(i, i + 500))
        .where('idx', '<', size)
        .execute();
      for (const r of rows) {
        index.set(r.hash, Number(r.idx));
        ids.set(r.hash, (JSON.parse(r.body) as { id: string }).id);
      }
    }
  }
  return { index, ids };
}

async function userNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['id', 'data']).execute();
  return new Map(rows.map((r) => [r.id, (JSON.parse(r.data) as { name: string }).name]));
}

async function templateNamesOf(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('catalog_changes')
    .select(['entity_id', 'value'])
    .where('entity', '=', 'checklistTemplate')
    .where('op', '=', 'upsert')
    .orderBy('cursor')
    .execute();
  return new Map(
    rows
      .filter((r) => r.value !== null)
      .map((r) => [r.entity_id, (JSON.parse(r.value!) as { name: string }).name]),
  );
}
