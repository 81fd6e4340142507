/**
 * The catalog's PIN policy on the console. The catalog (pulled from the
 * server, or the demo fleet) may carry one; it is kept in catalog_meta.
 * Without one, PINs have at least 6 digits. Sign-in refuses a shorter PIN
 * before checking it, with a message that says what to do: the user's PIN is
 * below policy and an administrator must issue a new one.
 */
import {
  DEFAULT_PIN_POLICY,
  catalogPinPolicy,
  type CatalogPinPolicy,
} from '../../shared/catalog/schema.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';

export const PIN_POLICY_META_KEY = 'pin_policy';

/** The policy the loaded catalog declared, or null when it declared none. */
export function readPinPolicy(db: Db): CatalogPinPolicy | null {
  const row = db.sqlite
    .prepare('SELECT value FROM catalog_meta WHERE key = ?')
    .get(PIN_POLICY_META_KEY) as { value: string } | undefined;
  if (!row) return null;
  const parsed = catalogPinPolicy.safeParse(JSON.parse(row.value));
  // A stored policy this version cannot read is treated as the strictest default, never as none.
  return parsed.success ? parsed.data : DEFAULT_PIN_POLICY;
}

/** The policy sign-in enforces: the catalog's, else 6 digits. */
export function effectivePinPolicy(db: Db): CatalogPinPolicy {
  return readPinPolicy(db) ?? DEFAULT_PIN_POLICY;
}

/** Throws `pin_too_short` for a PIN below the policy; nothing is counted or recorded. */
export function assertPinMeetsPolicy(pin: string, policy: CatalogPinPolicy, name: string): void {
  if (pin.length >= policy.minDigits) return;
  throw new AppError(
    'pin_too_short',
    `PINs here have at least ${policy.minDigits} digits. If ${name}'s PIN is shorter, it no longer works: ask an administrator for a new PIN of ${policy.minDigits} digits or more.`,
    { minDigits: policy.minDigits },
  );
}
