/**
 * What the release desk's rules read: the stores of a ring, their latest
 * decisions for a release, the open S1/S2 bug reports against it (one
 * function, so the support desk's richer read model can replace the query in
 * one place), each ring's policy, the lifecycle and the committee.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  DEFAULT_MIN_GO_PERCENT,
  evaluatePromotion,
  previousRing,
  type GateEvidence,
  type GateVerdict,
  type OpenBlocker,
} from '../../shared/releases/gate.ts';
import {
  INITIAL_LIFECYCLE,
  type LifecycleState,
  type ReleaseLifecycle,
} from '../../shared/releases/lifecycle.ts';
import {
  releaseCommittee,
  signOffEvidenceDigest,
  type ReleaseCommittee,
  type SignOffEvidence,
} from '../../shared/releases/committee.ts';
import type { Ring } from '../../shared/domain/releases.ts';
import type { ServerSchema } from '../db/schema.ts';
import { BLOCKER_SEVERITIES, CLOSED_REPORT_STATUSES } from '../../shared/feedback/types.ts';
import { sha256Hex } from '../log/keys.ts';

type Db = Kysely<ServerSchema> | Transaction<ServerSchema>;
export type DeskStore = { id: string; name: string; region: string; ring: Ring; timezone: string };

/** The default committee's row key. */
export const DEFAULT_COMMITTEE_ID = '*default*';

/** Decisions that let a store count as go. */
export const GO_DECISIONS = ['go', 'go-with-conditions'];
export async function catalogStores(db: Db): Promise<DeskStore[]> {
  const rows = await db.selectFrom('stores').select('data').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.data) as DeskStore);
}

/**
 * The open S1/S2 bug reports against the release, in every store: by the
 * same rule as the go / no-go's `no_open_blocker` (src/shared/feedback/types.ts):
 * a blocker as the support desk triaged it (severity_set) or, before triage,
 * as reported; open unless the desk closed it or its author discarded it.
 */
export async function openBlockingBugs(db: Db, releaseId: string): Promise<OpenBlocker[]> {
  const rows = await db
    .selectFrom('rm_bug_reports')
    .select((eb) => [
      'id',
      'store_id',
      'title',
      eb.fn.coalesce('severity_set', 'severity').as('severity'),
    ])
    .where('release_id', '=', releaseId)
    .where((eb) => eb(eb.fn.coalesce('severity_set', 'severity'), 'in', [...BLOCKER_SEVERITIES]))
    .where('status', 'not in', [...CLOSED_REPORT_STATUSES])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    reportId: r.id,
    severity: r.severity,
    storeId: r.store_id,
    title: r.title,
  }));
}

/** Each store's latest decision for the release (central log order). */
async function latestDecisions(
  db: Db,
  releaseId: string,
  storeIds: readonly string[],
): Promise<Map<string, { decision: string; eventHash: string }>> {
  const latest = new Map<string, { decision: string; eventHash: string }>();
  if (storeIds.length === 0) return latest;
  for (let i = 0; i < storeIds.length; i += 500) {
    const rows = await db
      .selectFrom('rm_decisions')
      .select(['store_id', 'decision', 'event_hash', 'log_idx'])
      .where('release_id', '=', releaseId)
      .where('store_id', 'in', storeIds.slice(i, i + 500))
      .orderBy('log_idx')
      .execute();
    for (const r of rows) latest.set(r.store_id, { decision: r.decision, eventHash: r.event_hash });
  }
  return latest;
}

async function ringPolicy(db: Db, ring: Ring): Promise<number> {
  const row = await db
    .selectFrom('ring_policies')
    .select('min_go_percent')
    .where('ring', '=', ring)
    .executeTakeFirst();
  return row ? Number(row.min_go_percent) : DEFAULT_MIN_GO_PERCENT;
}

export type RingGate = GateEvidence & GateVerdict;

/** The evidence for moving `ring`'s target to the release, and the verdict on it. */
export async function ringGate(
  db: Db,
  releaseId: string,
  ring: Ring,
  context: { stores: readonly DeskStore[]; openBlockers: readonly OpenBlocker[] },
): Promise<RingGate> {
  const previous = previousRing(ring);
  const stores = previous === null ? [] : context.stores.filter((s) => s.ring === previous);
  const decisions = await latestDecisions(
    db,
    releaseId,
    stores.map((s) => s.id),
  );
  const goStores = [...decisions.values()].filter((d) => GO_DECISIONS.includes(d.decision)).length;
  const evidence: GateEvidence = {
    ring,
    releaseId,
    previousRing: previous,
    previousRingStores: stores.length,
    goStores,
    openBlockers: context.openBlockers,
    minGoPercent: await ringPolicy(db, ring),
  };
  return { ...evidence, ...evaluatePromotion(evidence) };
}

export async function lifecycleOf(db: Db, releaseId: string): Promise<ReleaseLifecycle> {
  const row = await db
    .selectFrom('release_lifecycles')
    .select(['state', 'blocked_from', 'block_reason'])
    .where('release_id', '=', releaseId)
    .executeTakeFirst();
  if (!row) return INITIAL_LIFECYCLE;
  return {
    state: row.state as LifecycleState,
    blockedFrom: row.blocked_from as LifecycleState | null,
    blockReason: row.block_reason,
  };
}

/** The release's own committee, else the default one, else none. */
export async function committeeFor(
  db: Db,
  releaseId: string,
): Promise<{ committee: ReleaseCommittee; isDefault: boolean } | null> {
  const rows = await db
    .selectFrom('release_committees')
    .select(['release_id', 'data'])
    .where('release_id', 'in', [releaseId, DEFAULT_COMMITTEE_ID])
    .execute();
  const own = rows.find((r) => r.release_id === releaseId);
  const chosen = own ?? rows.find((r) => r.release_id === DEFAULT_COMMITTEE_ID);
  if (!chosen) return null;
  return {
    committee: releaseCommittee.parse(JSON.parse(chosen.data)),
    isDefault: own === undefined,
  };
}

/** What a committee sign-off binds now: the decisions of the ring before general and the open blockers. */
export async function currentSignOffEvidence(
  db: Db,
  releaseId: string,
  context: { stores: readonly DeskStore[]; openBlockers: readonly OpenBlocker[] },
): Promise<{ evidence: SignOffEvidence; digest: string }> {
  const ring = previousRing('general')!;
  const stores = context.stores.filter((s) => s.ring === ring);
  const decisions = await latestDecisions(
    db,
    releaseId,
    stores.map((s) => s.id),
  );
  const evidence: SignOffEvidence = {
    releaseId,
    ring,
    decisions: [...decisions.entries()].map(([storeId, d]) => ({
      storeId,
      decision: d.decision,
      eventHash: d.eventHash,
    })),
    openBlockers: context.openBlockers.map((b) => ({ reportId: b.reportId, severity: b.severity })),
  };
  return { evidence, digest: signOffEvidenceDigest(evidence, sha256Hex) };
}
