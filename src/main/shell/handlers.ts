/** The `shell:*` channels (src/shared/contract/updates.ts): renderer errors to the log, local crash dumps. */
import { AppError } from '../../shared/errors.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { EvidenceStore } from '../checklists/evidenceStore.ts';
import { listCrashDumps } from './crashDumps.ts';
import type { createRendererErrorLog } from './rendererErrors.ts';

export function createShellHandlers(options: {
  rendererErrors: ReturnType<typeof createRendererErrorLog>;
  /** Electron's crashDumps folder; null in browser mode. */
  crashDumpDir: string | null;
  /** Electron's webContents.capturePage as PNG bytes; null in browser mode. */
  capturePage: (() => Promise<Buffer>) | null;
  evidence: EvidenceStore;
}): FeatureHandlers<'shell'> {
  return {
    'shell:reportError': (input) => ({ isLogged: options.rendererErrors.report(input) }),
    'shell:listCrashDumps': () => listCrashDumps(options.crashDumpDir),
    'shell:captureWindow': async () => {
      if (options.capturePage === null)
        throw new AppError('unavailable', 'This console cannot capture its window here.');
      const png = await options.capturePage();
      const sha256 = options.evidence.put(png);
      return { sha256, size: png.length, dataBase64: png.toString('base64') };
    },
  };
}
