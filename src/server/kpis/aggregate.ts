/**
 * Maintains the KPI aggregates (./migrations.ts) from appended log entries,
 * in the caller's transaction, after the read models were projected (the
 * deployment facts read the projected deployment state). Called by the push
 * (./afterAppend.ts) and, page by page, by the read-model rebuild, so both
 * write the same sums. Quarantined entries count nowhere.
 */
import type { Kysely } from 'kysely';
import type { DeploymentState } from '../../shared/deployments/stateMachine.ts';
import { deploymentMetrics } from '../../shared/deployments/timeline.ts';
import type { ServerSchema } from '../db/schema.ts';
import { KPI_TABLES } from './migrations.ts';

/** The fields of an appended log entry the aggregates read. */
export type KpiEntry = {
  type: string;
  store_id: string;
  body: string;
  quarantine_reason?: string | null;
};

/** Counter names in rm_kpi_daily. */
export const KPI_METRICS = [
  'decision_go',
  'decision_no_go',
  'bug',
  'install',
  'result',
  'result_pass',
  'item_first',
  'item_first_pass',
] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];

type Counter = ServerSchema['rm_kpi_daily'];
type Body = { at: string; payload: Record<string, unknown> };

/**
 * An install is a deployment recording its target version; a version merely
 * observed (`fleet.version.recorded`) is not, which also keeps the busiest
 * push (fleet versions) free of any KPI work.
 */
const RELEVANT = new Set([
  'decision.recorded',
  'feedback.bug_report.drafted',
  'checklist.result.recorded',
]);

function isKpiRelevant(e: KpiEntry): boolean {
  return e.quarantine_reason == null && (RELEVANT.has(e.type) || e.type.startsWith('deployment.'));
}

const dayOf = (iso: string) => iso.slice(0, 10);
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function aggregateKpis(
  db: Kysely<ServerSchema>,
  entries: readonly KpiEntry[],
): Promise<void> {
  const relevant = entries.filter(isKpiRelevant);
  if (relevant.length === 0) return;
  const counters = new Map<string, Counter>();
  const bump = (day: string, releaseId: string, storeId: string, metric: KpiMetric, ms = 0) => {
    const key = `${day}\u001f${releaseId}\u001f${storeId}\u001f${metric}`;
    const c = counters.get(key);
    if (c) {
      c.n += 1;
      c.total_ms += ms;
    } else
      counters.set(key, {
        day,
        release_id: releaseId,
        store_id: storeId,
        metric,
        n: 1,
        total_ms: ms,
      });
  };
  const deploymentIds = new Set<string>();
  const results: Array<{ body: Body; storeId: string }> = [];
  const installs: Array<{
    releaseId: string | null;
    deploymentId: string | null;
    version: string | null;
    at: string;
    storeId: string;
  }> = [];
  for (const e of relevant) {
    const body = JSON.parse(e.body) as Body;
    const p = body.payload;
    const day = dayOf(body.at);
    switch (e.type) {
      case 'decision.recorded':
        bump(
          day,
          String(p['releaseId']),
          e.store_id,
          p['decision'] === 'no-go' ? 'decision_no_go' : 'decision_go',
        );
        break;
      case 'feedback.bug_report.drafted':
        bump(day, String(p['releaseId']), e.store_id, 'bug');
        break;
      case 'checklist.result.recorded':
        results.push({ body, storeId: e.store_id });
        break;
      default: {
        const id = String(p['deploymentId']);
        deploymentIds.add(id);
        if (e.type === 'deployment.version.recorded')
          installs.push({
            releaseId: null,
            deploymentId: id,
            version: String(p['version']),
            at: body.at,
            storeId: e.store_id,
          });
      }
    }
  }

  // Deployments: their state after this batch (projected in this transaction).
  const deployments = new Map<
    string,
    { store_id: string; release_id: string; state: DeploymentState }
  >();
  for (const part of chunks([...deploymentIds]))
    for (const r of await db
      .selectFrom('rm_deployments')
      .select(['id', 'store_id', 'release_id', 'state'])
      .where('id', 'in', part)
      .execute())
      deployments.set(r.id, {
        store_id: r.store_id,
        release_id: r.release_id,
        state: JSON.parse(r.state) as DeploymentState,
      });
  const facts: Array<ServerSchema['rm_kpi_deployments']> = [];
  for (const [id, d] of deployments) {
    const m = deploymentMetrics(d.state);
    if (m.outcome === null || d.state.finishedAt === null) continue;
    const rollback = d.state.history.find((h) => h.action === 'roll_back');
    facts.push({
      deployment_id: id,
      store_id: d.store_id,
      release_id: d.release_id,
      day: dayOf(new Date(d.state.finishedAt).toISOString()),
      outcome: m.outcome,
      time_to_deploy_ms: m.timeToDeployMs,
      intervention_ms: m.interventionMs,
      restore_ms: m.outcome === 'rolled_back' && rollback ? d.state.finishedAt - rollback.at : null,
    });
  }
  for (const part of chunks(facts))
    await db
      .insertInto('rm_kpi_deployments')
      .values(part)
      .onConflict((oc) =>
        oc.column('deployment_id').doUpdateSet((eb) => ({
          store_id: eb.ref('excluded.store_id'),
          release_id: eb.ref('excluded.release_id'),
          day: eb.ref('excluded.day'),
          outcome: eb.ref('excluded.outcome'),
          time_to_deploy_ms: eb.ref('excluded.time_to_deploy_ms'),
          intervention_ms: eb.ref('excluded.intervention_ms'),
          restore_ms: eb.ref('excluded.restore_ms'),
        })),
      )
      .execute();

  // Installs: lead time from the release's publish time (its first catalog change).
  for (const i of installs)
    if (i.deploymentId !== null) {
      const d = deployments.get(i.deploymentId);
      // Only a terminal recorded on the deployment's target counts as installed.
      i.releaseId = d && d.state.plan.targetVersion === i.version ? d.release_id : null;
    }
  const releaseIds = [...new Set(installs.flatMap((i) => (i.releaseId ? [i.releaseId] : [])))];
  const publishedAt = new Map<string, string>();
  for (const part of chunks(releaseIds))
    for (const r of await db
      .selectFrom('catalog_changes')
      .select(['entity_id', (eb) => eb.fn.min('at').as('at')])
      .where('entity', '=', 'release')
      .where('entity_id', 'in', part)
      .groupBy('entity_id')
      .execute())
      publishedAt.set(r.entity_id, String(r.at));
  for (const i of installs) {
    if (i.releaseId === null) continue;
    const published = publishedAt.get(i.releaseId);
    if (published === undefined) continue;
    const ms = Date.parse(i.at) - Date.parse(published);
    if (ms >= 0) bump(dayOf(i.at), i.releaseId, i.storeId, 'install', ms);
  }

  // Checklist results: every result counts; the first result of each item decides "first time".
  if (results.length > 0) {
    const runIds = [...new Set(results.map((r) => String(r.body.payload['runId'])))];
    const releaseOfRun = new Map<string, string>();
    const seen = new Set<string>();
    for (const part of chunks(runIds)) {
      for (const r of await db
        .selectFrom('rm_checklist_runs')
        .select(['id', 'release_id'])
        .where('id', 'in', part)
        .execute())
        releaseOfRun.set(r.id, r.release_id);
      for (const r of await db
        .selectFrom('rm_kpi_checklist_items')
        .select(['run_id', 'terminal_id', 'item_id'])
        .where('run_id', 'in', part)
        .execute())
        seen.add(`${r.run_id}\u001f${r.terminal_id}\u001f${r.item_id}`);
    }
    const firsts: Array<ServerSchema['rm_kpi_checklist_items']> = [];
    for (const { body, storeId } of results) {
      const p = body.payload;
      const runId = String(p['runId']);
      const releaseId = releaseOfRun.get(runId);
      if (releaseId === undefined) continue; // a result for a run the log never started
      const day = dayOf(body.at);
      const isPass = p['outcome'] === 'pass';
      bump(day, releaseId, storeId, 'result');
      if (isPass) bump(day, releaseId, storeId, 'result_pass');
      const key = `${runId}\u001f${String(p['terminalId'])}\u001f${String(p['itemId'])}`;
      if (seen.has(key)) continue;
      seen.add(key);
      firsts.push({
        run_id: runId,
        terminal_id: String(p['terminalId']),
        item_id: String(p['itemId']),
        store_id: storeId,
        release_id: releaseId,
        day,
        first_outcome: String(p['outcome']),
      });
      bump(day, releaseId, storeId, 'item_first');
      if (isPass) bump(day, releaseId, storeId, 'item_first_pass');
    }
    for (const part of chunks(firsts))
      await db
        .insertInto('rm_kpi_checklist_items')
        .values(part)
        .onConflict((oc) => oc.columns(['run_id', 'terminal_id', 'item_id']).doNothing())
        .execute();
  }

  // The same counters summed over stores (reports over every store read these).
  const rolled = new Map<string, ServerSchema['rm_kpi_daily_all']>();
  for (const c of counters.values()) {
    const key = `${c.day}\u001f${c.release_id}\u001f${c.metric}`;
    const r = rolled.get(key);
    if (r) {
      r.n += c.n;
      r.total_ms += c.total_ms;
    } else
      rolled.set(key, {
        day: c.day,
        release_id: c.release_id,
        metric: c.metric,
        n: c.n,
        total_ms: c.total_ms,
      });
  }
  for (const part of chunks([...rolled.values()]))
    await db
      .insertInto('rm_kpi_daily_all')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['day', 'release_id', 'metric']).doUpdateSet((eb) => ({
          n: eb('rm_kpi_daily_all.n', '+', eb.ref('excluded.n')),
          total_ms: eb('rm_kpi_daily_all.total_ms', '+', eb.ref('excluded.total_ms')),
        })),
      )
      .execute();
  for (const part of chunks([...counters.values()]))
    await db
      .insertInto('rm_kpi_daily')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['day', 'release_id', 'store_id', 'metric']).doUpdateSet((eb) => ({
          n: eb('rm_kpi_daily.n', '+', eb.ref('excluded.n')),
          total_ms: eb('rm_kpi_daily.total_ms', '+', eb.ref('excluded.total_ms')),
        })),
      )
      .execute();
}

/** Empties the aggregates before a rebuild refills them from the log. */
export async function clearKpiAggregates(db: Kysely<ServerSchema>): Promise<void> {
  for (const table of KPI_TABLES) await db.deleteFrom(table).execute();
}
