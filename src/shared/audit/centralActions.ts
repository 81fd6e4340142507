/**
 * Central actions in an audit bundle: the server entries that name the
 * administrator who took them, listed for a person after the bundle
 * verified: who changed what, and when. An administrator acts either through
 * the admin API or command line (`payload.actedBy.adminId`, written by
 * src/server/admins/actions.ts) or at a release desk (`payload.actedBy` of a
 * desk action, src/server/desk/actions.ts, with role `admin`: a release
 * blocked, a lifecycle moved, a committee set…).
 */
import { SERVER_DEVICE_ID } from './serverEntry.ts';

/**
 * Every kind of central action the log records; an auditor reads them by
 * these names, and the console translates each one (a type missing from its
 * texts fails the typecheck).
 */
export const ADMIN_ACTION_TYPES = [
  'admin.fleet.imported',
  'admin.release.published',
  'admin.ringTarget.set',
  'admin.user.created',
  'admin.user.revoked',
  'admin.enrollmentCode.issued',
  'admin.device.revoked',
  'admin.auditorToken.issued',
  'admin.adminToken.issued',
  'admin.adminToken.revoked',
  'admin.runbook.published',
  'admin.featureFlag.published',
  'admin.storeWindows.set',
  'admin.checklistTemplate.published',
  'admin.checklistRequirement.set',
  'admin.complianceRule.set',
  'admin.updatePolicy.set',
  'admin.revision.approved',
  'admin.risk.published',
  'admin.storeNotes.published',
  'admin.deskEnrollmentCode.issued',
  'admin.desk.revoked',
  'admin.webhook.created',
  'admin.webhook.deleted',
  'admin.webhook.paused',
  'admin.webhook.resumed',
  'admin.webhook.replayed',
  'admin.releasePlan.set',
  'admin.testResults.imported',
  'admin.commsPlan.set',
] as const;
export type AdminActionType = (typeof ADMIN_ACTION_TYPES)[number];

/**
 * Every type a central action's entry may have: the `admin.*` ones, plus two
 * server entries that name their administrator under their own type (consoles
 * read them by it): a console update manifest published, and a ring target
 * moved past its gate.
 */
export const CENTRAL_ACTION_TYPES = [
  ...ADMIN_ACTION_TYPES,
  'console.update.published',
  'release.promotion.overridden',
  // What an administrator does at a release desk (desk actions naming an acting user of role admin).
  'release.lifecycle.moved',
  'release.blocked',
  'release.unblocked',
  'release.promoted',
  'release.rollout.staged',
  'release.window.scheduled',
  'release.committee.set',
  'release.committee.signed_off',
  'release.ring_policy.set',
  'checklist.assigned',
  'revision.approved',
] as const;
export type CentralActionType = (typeof CENTRAL_ACTION_TYPES)[number];

type Underscored<S extends string> = S extends `${infer Head}.${infer Tail}`
  ? `${Head}_${Underscored<Tail>}`
  : S;
/** A central action type as a key of the console's texts (their key separator is the dot). */
export type CentralActionTypeKey = Underscored<CentralActionType>;

export function centralActionTypeKey<T extends CentralActionType>(type: T): Underscored<T> {
  return type.replaceAll('.', '_') as Underscored<T>;
}

export function isCentralActionType(type: string): type is CentralActionType {
  return (CENTRAL_ACTION_TYPES as readonly string[]).includes(type);
}

/**
 * What a central action is about, read from its payload: the first of these
 * keys it carries. Its kind is a word the screens translate; `null` when the
 * action names none of them (a chain-wide policy).
 */
export const CENTRAL_ACTION_SUBJECT_KEYS = [
  ['storeId', 'store'],
  ['deviceId', 'device'],
  ['deskId', 'desk'],
  ['userId', 'user'],
  ['releaseId', 'release'],
  ['templateId', 'template'],
  ['ruleId', 'rule'],
  ['subscriptionId', 'webhook'],
  ['channel', 'channel'],
  ['scope', 'scope'],
  ['label', 'label'],
] as const;
export type CentralActionSubjectKind = (typeof CENTRAL_ACTION_SUBJECT_KEYS)[number][1];
export type CentralActionSubject = { kind: CentralActionSubjectKind; id: string };

export function centralActionSubject(payload: unknown): CentralActionSubject | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const fields = payload as Record<string, unknown>;
  for (const [key, kind] of CENTRAL_ACTION_SUBJECT_KEYS) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return { kind, id: value };
  }
  return null;
}

export type CentralAction = { index: number; at: string; type: string; adminId: string };

/**
 * The administrator a server entry's payload names, and how they acted; null
 * for an entry that is no central action (a support desk's triage, a
 * manifest without an actor).
 */
export function centralActorOf(
  payload: unknown,
): { adminId: string; via: string; deskId: string | null } | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const actedBy = (payload as { actedBy?: unknown }).actedBy;
  if (typeof actedBy !== 'object' || actedBy === null) return null;
  const a = actedBy as {
    adminId?: unknown;
    via?: unknown;
    userId?: unknown;
    role?: unknown;
    deskId?: unknown;
  };
  if (typeof a.adminId === 'string')
    return { adminId: a.adminId, via: typeof a.via === 'string' ? a.via : 'token', deskId: null };
  if (a.role === 'admin' && typeof a.userId === 'string' && typeof a.deskId === 'string')
    return { adminId: a.userId, via: 'desk', deskId: a.deskId };
  return null;
}

/** The bundle's central actions in log order; other lines are skipped. */
export function centralActionsOf(lines: Iterable<unknown>): CentralAction[] {
  const actions: CentralAction[] = [];
  for (const raw of lines) {
    // Cheap filter first: a 100,000-event bundle holds few server entries.
    if (typeof raw === 'string' && !raw.includes('"actedBy"')) continue;
    let line: unknown = raw;
    if (typeof raw === 'string') {
      try {
        line = JSON.parse(raw);
      } catch {
        continue;
      }
    }
    const action = centralActionOf(line);
    if (action) actions.push(action);
  }
  return actions;
}

function centralActionOf(line: unknown): CentralAction | null {
  if (typeof line !== 'object' || line === null) return null;
  const { kind, index, event } = line as { kind?: unknown; index?: unknown; event?: unknown };
  if (kind !== 'event' || typeof index !== 'number' || typeof event !== 'object' || !event)
    return null;
  const { deviceId, at, type, payload } = event as Record<string, unknown>;
  if (deviceId !== SERVER_DEVICE_ID || typeof at !== 'string' || typeof type !== 'string')
    return null;
  const actor = centralActorOf(payload);
  if (actor === null) return null;
  return { index, at, type, adminId: actor.adminId };
}

/** "3 central actions: ada 2 (last 2026-…), bob 1 (last …)" for the verifier's report; empty when none. */
export function describeCentralActions(actions: readonly CentralAction[]): string {
  if (actions.length === 0) return '';
  const byAdmin = new Map<string, { count: number; last: string }>();
  for (const a of actions) {
    const seen = byAdmin.get(a.adminId);
    byAdmin.set(a.adminId, { count: (seen?.count ?? 0) + 1, last: a.at });
  }
  const who = [...byAdmin]
    .map(([adminId, { count, last }]) => `${adminId} ${count} (last ${last})`)
    .join(', ');
  return `${actions.length} central action${actions.length === 1 ? '' : 's'} by named administrators: ${who}`;
}
