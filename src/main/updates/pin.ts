/**
 * Pin and controlled downgrade: which version this console may install. A
 * store's own entry wins over its ring's (an administrator can hold one store
 * back, or let it go back, without touching the ring). Pure; the updater
 * wiring asks it about each version the feed offers.
 */
import { gt, lt } from 'semver';
import type { ConsoleStore } from './cohort.ts';
import type { ConsoleUpdatePolicy, PolicyScope } from './policy.ts';

export type InstallDecision =
  | {
      isAllowed: true;
      /** electron-updater's `allowDowngrade` for this offer. */
      allowDowngrade: boolean;
      /** Why, for the log and the audit event (the downgrade's or pin's reason). */
      reason: string | null;
    }
  | {
      isAllowed: false;
      code: 'past_pin' | 'downgrade_not_allowed' | 'same_version' | 'unknown_pin';
      message: string;
    };

/** The entry that applies to this store: its own first, then its ring's. */
function applying<T extends { scope: PolicyScope }>(entries: readonly T[], store: ConsoleStore) {
  return (
    entries.find((e) => 'storeId' in e.scope && e.scope.storeId === store.id) ??
    entries.find((e) => 'ring' in e.scope && e.scope.ring === store.ring) ??
    null
  );
}

export function decideInstall(options: {
  policy: ConsoleUpdatePolicy;
  store: ConsoleStore;
  currentVersion: string;
  offeredVersion: string;
  /** Versions the update feed has published, when known: a pin to another version is refused. */
  publishedVersions?: readonly string[];
}): InstallDecision {
  const { policy, store, currentVersion, offeredVersion } = options;
  if (!gt(offeredVersion, currentVersion) && !lt(offeredVersion, currentVersion)) {
    return {
      isAllowed: false,
      code: 'same_version',
      message: `Console ${currentVersion} is already installed.`,
    };
  }
  const pin = applying(policy.pins, store);
  const where = (s: PolicyScope) => ('storeId' in s ? 'this store' : `the ${s.ring} ring`);
  if (pin && options.publishedVersions && !options.publishedVersions.includes(pin.version)) {
    return {
      isAllowed: false,
      code: 'unknown_pin',
      message: `The console is pinned to ${pin.version} for ${where(pin.scope)}, a version the update feed has never published: updates are held until an administrator corrects the pin.`,
    };
  }
  if (pin && gt(offeredVersion, pin.version)) {
    return {
      isAllowed: false,
      code: 'past_pin',
      message: `Console ${offeredVersion} is not installed: ${where(pin.scope)} is pinned to ${pin.version} by ${pin.by} (${pin.reason}).`,
    };
  }
  if (gt(offeredVersion, currentVersion)) {
    return {
      isAllowed: true,
      allowDowngrade: false,
      reason: pin ? `pinned to ${pin.version}: ${pin.reason}` : null,
    };
  }
  const downgrade = applying(policy.downgrades, store);
  if (downgrade && downgrade.toVersion === offeredVersion) {
    return {
      isAllowed: true,
      allowDowngrade: true,
      reason: `${downgrade.by}: ${downgrade.reason}`,
    };
  }
  return {
    isAllowed: false,
    code: 'downgrade_not_allowed',
    message: downgrade
      ? `Console ${offeredVersion} is older than ${currentVersion}, and ${where(downgrade.scope)} may go back only to ${downgrade.toVersion}.`
      : `Console ${offeredVersion} is older than ${currentVersion}: going back needs an administrator's controlled downgrade to that version.`,
  };
}
