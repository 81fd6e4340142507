/**
 * Puts the console's update rules on electron-updater: the channel from the
 * store's ring, and one `isUserWithinRollout` hook that, for each version the
 * feed offers, applies the pin / controlled downgrade policy and the store's
 * staged cohort, and sets `allowDowngrade` for exactly that offer. Works on
 * the slice of `autoUpdater` below, so it is tested with a plain object.
 */
import { channelFor, isStoreWithinRollout, type ConsoleStore } from './cohort.ts';
import { decideInstall } from './pin.ts';
import type { ConsoleUpdatePolicy, UpdateChannel } from './policy.ts';

/** The fields of electron-updater's AppUpdater this touches. */
export type GatedUpdater = {
  channel: string | null;
  allowDowngrade: boolean;
  // Method syntax: electron-updater's hook takes its full UpdateInfo, of which only the version is read here.
  isUserWithinRollout(info: { version: string }): boolean | Promise<boolean>;
};

export type UpdateContext = {
  policy: ConsoleUpdatePolicy;
  /** The console's store; null before enrollment (general ring rules, no cohort). */
  store: ConsoleStore | null;
  /** The release desk's staged percentage for the offered version, when it has one. */
  rolloutPercent?: number | null;
  publishedVersions?: readonly string[];
};

export type OfferDecision =
  | { take: true; allowDowngrade: boolean; reason: string | null }
  | { take: false; why: 'not_in_cohort_yet' }
  | {
      take: false;
      why: 'refused';
      code: 'past_pin' | 'downgrade_not_allowed' | 'same_version' | 'unknown_pin';
      message: string;
    };

export function decideOffer(
  context: UpdateContext,
  currentVersion: string,
  offeredVersion: string,
): OfferDecision {
  const store = context.store ?? { id: '', ring: 'general' as const };
  const install = decideInstall({
    policy: context.policy,
    store,
    currentVersion,
    offeredVersion,
    publishedVersions: context.publishedVersions,
  });
  if (!install.isAllowed) {
    return { take: false, why: 'refused', code: install.code, message: install.message };
  }
  // A controlled downgrade is an administrator's decision for this store: not staged.
  const isWithin =
    install.allowDowngrade ||
    (context.store
      ? isStoreWithinRollout(context.policy, context.store, offeredVersion, context.rolloutPercent)
      : (context.rolloutPercent ?? context.policy.stagedPercent.general) >= 100);
  if (!isWithin) return { take: false, why: 'not_in_cohort_yet' };
  return { take: true, allowDowngrade: install.allowDowngrade, reason: install.reason };
}

export function gateUpdater(options: {
  updater: GatedUpdater;
  currentVersion: string;
  /** Read at each check: the catalog and the store may change between checks. */
  context: () => UpdateContext;
  /** A refused offer (past a pin, an unallowed downgrade): for the status bar and the audit journal. */
  onRefused: (refusal: { version: string; code: string; message: string }) => void;
}): { channel: UpdateChannel } {
  const { updater } = options;
  const context = options.context();
  const channel = channelFor(context.policy, context.store?.ring ?? 'general');
  updater.channel = channel;
  // electron-updater's channel setter turns allowDowngrade on; only a named downgrade may.
  updater.allowDowngrade = false;
  updater.isUserWithinRollout = (info) => {
    const decision = decideOffer(options.context(), options.currentVersion, info.version);
    updater.allowDowngrade = decision.take && decision.allowDowngrade;
    if (!decision.take && decision.why === 'refused') {
      options.onRefused({ version: info.version, code: decision.code, message: decision.message });
    }
    return decision.take;
  };
  return { channel };
}
