/**
 * The console update policy the catalog carries (pulled from the central
 * server with the rest of the catalog), kept in catalog_meta like the PIN
 * policy. Without one, DEFAULT_UPDATE_POLICY: lab alpha, pilot beta, the
 * rest latest, all at once, no pins.
 */
import type { Db } from '../db/open.ts';
import {
  DEFAULT_UPDATE_POLICY,
  consoleUpdatePolicy,
  type ConsoleUpdatePolicy,
} from '../../shared/updates/policy.ts';

export const UPDATE_POLICY_META_KEY = 'console_update_policy';

/** The policy the loaded catalog declared, or null when it declared none. */
export function readCatalogUpdatePolicy(db: Db): ConsoleUpdatePolicy | null {
  const row = db.sqlite
    .prepare('SELECT value FROM catalog_meta WHERE key = ?')
    .get(UPDATE_POLICY_META_KEY) as { value: string } | undefined;
  if (!row) return null;
  const parsed = consoleUpdatePolicy.safeParse(JSON.parse(row.value));
  // A stored policy this version cannot read holds every update back rather than following no pin.
  return parsed.success ? parsed.data : { ...DEFAULT_UPDATE_POLICY, stagedPercent: HELD_BACK };
}

const HELD_BACK = { lab: 0, pilot: 0, early: 0, general: 0 };

/** The policy the updater follows: the catalog's, else the default. */
export function effectiveUpdatePolicy(db: Db): ConsoleUpdatePolicy {
  return readCatalogUpdatePolicy(db) ?? DEFAULT_UPDATE_POLICY;
}
