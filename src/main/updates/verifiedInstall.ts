/**
 * Holds a downloaded update until its second signature checks out: on
 * electron-updater's `update-downloaded`, install-at-quit is switched off,
 * the update manifest is fetched (signed with the central log's key), and the
 * downloaded file is checked against it. Only a verified download may
 * install; a refusal is reported (status bar, audit) and the running version
 * stays. Works on the slice of `autoUpdater` below, so it is tested with a
 * plain object; consoleUpdater.ts wires it with the server's manifest route
 * (GET /v1/updates/:channel/:version/manifest).
 */
import {
  verifyDownloadedFile,
  verifyUpdateManifest,
  type ManifestRefusal,
  type UpdateManifest,
} from './manifest.ts';
import { AppError } from '../../shared/errors.ts';

export type DownloadingUpdater = {
  autoInstallOnAppQuit: boolean;
  on(
    event: 'update-downloaded',
    listener: (info: { version: string; downloadedFile: string }) => void,
  ): unknown;
};

export type InstallRefusal = {
  version: string;
  reason: ManifestRefusal | 'no_log_key' | 'unreachable';
  message: string;
};

/** The manifest's log index as the server sent it (verifyUpdateManifest checked its form). */
function logIndexOf(signed: unknown): number | null {
  const index = (signed as { logIndex?: unknown }).logIndex;
  return typeof index === 'number' && Number.isSafeInteger(index) && index >= 0 ? index : null;
}

export function holdUntilVerified(options: {
  updater: DownloadingUpdater;
  channel: () => string;
  /** The central log's key as the console trusts it (from enrollment); null before. */
  logKey: () => { logId: string; publicKey: string } | null;
  fetchManifest: (version: string, channel: string) => Promise<unknown>;
  /** `logIndex`: where the central log holds the manifest (null if the server did not log it), for an auditor's inclusion proof. */
  onVerified: (manifest: UpdateManifest, logIndex: number | null) => void;
  onRefused: (refusal: InstallRefusal) => void;
}): { verifiedVersion: () => string | null; settled: () => Promise<void> } {
  let verified: string | null = null;
  let pending: Promise<void> = Promise.resolve();
  options.updater.on('update-downloaded', (info) => {
    options.updater.autoInstallOnAppQuit = false;
    verified = null;
    pending = check(info).catch(() => undefined);
  });

  async function check(info: { version: string; downloadedFile: string }): Promise<void> {
    const key = options.logKey();
    if (!key) {
      options.onRefused({
        version: info.version,
        reason: 'no_log_key',
        message:
          'The update cannot be checked before this console is connected to the central server.',
      });
      return;
    }
    const channel = options.channel();
    let signed: unknown;
    try {
      signed = await options.fetchManifest(info.version, channel);
    } catch {
      options.onRefused({
        version: info.version,
        reason: 'unreachable',
        message: `The update manifest of ${info.version} could not be fetched; the update waits for the next check.`,
      });
      return;
    }
    try {
      const manifest = verifyUpdateManifest(signed, key, { version: info.version, channel });
      await verifyDownloadedFile(manifest, info.downloadedFile);
      verified = info.version;
      options.updater.autoInstallOnAppQuit = true;
      options.onVerified(manifest, logIndexOf(signed));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = (error.details as { reason: ManifestRefusal }).reason;
      options.onRefused({ version: info.version, reason, message: error.message });
    }
  }

  return { verifiedVersion: () => verified, settled: () => pending };
}
