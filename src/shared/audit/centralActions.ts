/**
 * Central actions in an audit bundle: the server entries that name the
 * administrator who took them (`payload.actedBy.adminId`, written by
 * src/server/admins/actions.ts), listed for a person after the bundle
 * verified: who changed what, and when.
 */
import { SERVER_DEVICE_ID } from './serverEntry.ts';

export type CentralAction = { index: number; at: string; type: string; adminId: string };

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
  const actedBy = (payload as { actedBy?: { adminId?: unknown } } | undefined)?.actedBy;
  if (typeof actedBy?.adminId !== 'string') return null;
  return { index, at, type, adminId: actedBy.adminId };
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
