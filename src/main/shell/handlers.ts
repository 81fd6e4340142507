/** The `shell:*` channels (src/shared/contract/updates.ts): renderer errors to the log, local crash dumps. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { listCrashDumps } from './crashDumps.ts';
import type { createRendererErrorLog } from './rendererErrors.ts';

export function createShellHandlers(options: {
  rendererErrors: ReturnType<typeof createRendererErrorLog>;
  /** Electron's crashDumps folder; null in browser mode. */
  crashDumpDir: string | null;
}): FeatureHandlers<'shell'> {
  return {
    'shell:reportError': (input) => ({ isLogged: options.rendererErrors.report(input) }),
    'shell:listCrashDumps': () => listCrashDumps(options.crashDumpDir),
  };
}
