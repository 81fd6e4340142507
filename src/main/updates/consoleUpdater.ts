/**
 * The console's updater, wired: electron-updater's `autoUpdater` (or, in
 * tests, a plain object with the same fields) gets the store's channel and
 * the pin / downgrade / cohort hook (updateGate.ts), holds every download
 * until its signed manifest and file hash check out (verifiedInstall.ts),
 * reports progress and refusals for the status bar, records every refusal
 * and every verified update as an audit event, and installs only when
 * safeToInstall says so. No 'electron' import: src/main/electron/updater.ts
 * hands it the real autoUpdater.
 */
import type { Logger } from '../log.ts';
import type { UpdateStatus } from '../../shared/contract/updates.ts';
import { AppError } from '../../shared/errors.ts';
import type { UpdateRefusalReason } from '../../shared/updates/events.ts';
import type { UpdateManifest } from './manifest.ts';
import type { UpdateChannel } from './policy.ts';
import type { InstallVerdict } from './safeToInstall.ts';
import { decideOffer, gateUpdater, type GatedUpdater, type UpdateContext } from './updateGate.ts';
import { holdUntilVerified, type DownloadingUpdater } from './verifiedInstall.ts';

/** What each electron-updater event hands its listener (only the fields read here). */
export type UpdaterEvents = {
  'update-available': { version: string };
  'download-progress': { percent: number };
  'update-downloaded': { version: string; downloadedFile: string };
  error: unknown;
};

/** The slice of electron-updater's AppUpdater the console uses. */
export type WiredUpdater = GatedUpdater &
  DownloadingUpdater & {
    autoDownload: boolean;
    on<E extends keyof UpdaterEvents>(event: E, listener: (arg: UpdaterEvents[E]) => void): unknown;
    quitAndInstall(): void;
  };

export type UpdateAuditEvent =
  | {
      type: 'console.update.refused';
      payload: {
        fromVersion: string;
        version: string;
        channel: UpdateChannel;
        reason: UpdateRefusalReason;
        message: string;
      };
    }
  | {
      type: 'console.update.verified';
      payload: {
        fromVersion: string;
        version: string;
        channel: UpdateChannel;
        isDowngrade: boolean;
        policyReason: string | null;
        /** Where the central log holds the installed manifest (null if not logged). */
        logIndex: number | null;
      };
    };

export type UpdateController = {
  status(): UpdateStatus;
  /** Installs the verified update now; refuses (`conflict`, with every reason) while it is not safe. */
  restartNow(): UpdateStatus;
  /** At quit: install only a verified update, and only when it is safe. */
  beforeQuit(): void;
  /** Resolves when the check of the last download has decided. */
  settled(): Promise<void>;
};

export function wireConsoleUpdater(options: {
  updater: WiredUpdater;
  currentVersion: string;
  /** Read at each check: the catalog's policy and the store may change between checks. */
  context: () => UpdateContext;
  /** The central log's key from enrollment; null before. */
  logKey: () => { logId: string; publicKey: string } | null;
  fetchManifest: (version: string, channel: string) => Promise<unknown>;
  installVerdict: () => InstallVerdict;
  audit: (event: UpdateAuditEvent) => void;
  log: Logger;
}): UpdateController {
  const { updater, currentVersion, log } = options;
  let state: Omit<UpdateStatus, 'notNow' | 'canRestartNow' | 'currentVersion'> = {
    phase: 'idle',
    version: null,
    percent: null,
    message: null,
  };
  // One audit event per refused version and reason: the feed is checked every few hours.
  const auditedRefusals = new Set<string>();
  const { channel } = gateUpdater({
    updater,
    currentVersion,
    context: options.context,
    onRefused: (refusal) => {
      state = {
        phase: 'refused',
        version: refusal.version,
        percent: null,
        message: refusal.message,
      };
      refused(refusal.version, refusal.code as UpdateRefusalReason, refusal.message);
    },
  });
  updater.autoDownload = true;

  function refused(version: string, reason: UpdateRefusalReason, message: string): void {
    log.warn({ version, reason }, 'console update refused; the running version stays');
    const key = `${version}\n${reason}`;
    if (auditedRefusals.has(key)) return;
    auditedRefusals.add(key);
    options.audit({
      type: 'console.update.refused',
      payload: { fromVersion: currentVersion, version, channel, reason, message },
    });
  }

  updater.on('update-available', (info) => {
    state = { phase: 'downloading', version: info.version, percent: 0, message: null };
  });
  updater.on('download-progress', (progress) => {
    if (state.phase !== 'downloading') return;
    state = { ...state, percent: Math.max(0, Math.min(100, Math.floor(progress.percent))) };
  });
  updater.on('update-downloaded', (info) => {
    state = { phase: 'verifying', version: info.version, percent: 100, message: null };
  });
  updater.on('error', (error) => {
    log.warn({ err: error }, 'update failed; the console keeps running');
    if (state.phase === 'downloading' || state.phase === 'verifying') {
      state = {
        ...state,
        phase: 'failed',
        percent: null,
        message: 'The update could not be downloaded; the console tries again later.',
      };
    }
  });
  const hold = holdUntilVerified({
    updater,
    channel: () => channel,
    logKey: options.logKey,
    fetchManifest: options.fetchManifest,
    onVerified: (manifest: UpdateManifest, logIndex: number | null) => {
      state = { phase: 'ready', version: manifest.version, percent: null, message: null };
      const offer = decideOffer(options.context(), currentVersion, manifest.version);
      log.info(
        { version: manifest.version },
        'console update verified against its signed manifest',
      );
      options.audit({
        type: 'console.update.verified',
        payload: {
          fromVersion: currentVersion,
          version: manifest.version,
          channel,
          isDowngrade: offer.take && offer.allowDowngrade,
          policyReason: offer.take ? (offer.reason?.slice(0, 600) ?? null) : null,
          logIndex,
        },
      });
    },
    onRefused: (refusal) => {
      state = {
        phase: 'refused',
        version: refusal.version,
        percent: null,
        message: refusal.message,
      };
      refused(refusal.version, refusal.reason, refusal.message);
    },
  });

  function status(): UpdateStatus {
    const base = { ...state, currentVersion };
    if (state.phase !== 'ready' || hold.verifiedVersion() !== state.version) {
      return { ...base, notNow: [], canRestartNow: false };
    }
    const verdict = safeVerdict();
    return verdict.isSafe
      ? { ...base, notNow: [], canRestartNow: true }
      : { ...base, notNow: verdict.reasons.map((r) => r.message), canRestartNow: false };
  }

  function safeVerdict(): InstallVerdict {
    try {
      return options.installVerdict();
    } catch (error) {
      log.warn({ err: error }, 'could not decide whether the update may install');
      return {
        isSafe: false,
        reasons: [
          {
            reason: 'unsynced_events',
            message: 'The console could not check that nothing is in progress.',
          },
        ],
      };
    }
  }

  return {
    status,
    settled: () => hold.settled(),
    restartNow() {
      const current = status();
      if (current.phase !== 'ready') {
        throw new AppError('unavailable', 'No verified update is waiting to be installed.');
      }
      if (!current.canRestartNow) {
        throw new AppError(
          'conflict',
          `The update cannot install now: ${current.notNow.join(' ')}`,
          { notNow: current.notNow },
        );
      }
      log.info({ version: current.version }, 'restarting to install the console update');
      updater.quitAndInstall();
      return current;
    },
    beforeQuit() {
      const isVerified = state.phase === 'ready' && hold.verifiedVersion() === state.version;
      const verdict = isVerified ? safeVerdict() : null;
      updater.autoInstallOnAppQuit = verdict?.isSafe === true;
      if (verdict && !verdict.isSafe)
        log.info({ reasons: verdict.reasons }, 'update waits: not safe to install');
    },
  };
}
