/**
 * Renderer errors and unhandled rejections, written to the console's log so
 * support finds them beside the main process's own lines. A render loop can
 * throw hundreds of times a second: at most `perMinute` are written per
 * minute, and the first one after a quiet spell says how many were dropped.
 */
import type { Logger } from '../log.ts';

export type RendererError = {
  kind: 'error' | 'unhandledrejection' | 'render';
  message: string;
  stack?: string | undefined;
  route?: string | undefined;
};

const RENDERER_ERRORS_PER_MINUTE = 20;

export function createRendererErrorLog(options: {
  log: Logger;
  now?: () => number;
  perMinute?: number;
}): { report(error: RendererError): boolean } {
  const log = options.log.child({ scope: 'renderer' });
  const now = options.now ?? Date.now;
  const perMinute = options.perMinute ?? RENDERER_ERRORS_PER_MINUTE;
  let windowStart = now();
  let written = 0;
  let dropped = 0;
  return {
    report(error) {
      const t = now();
      if (t - windowStart >= 60_000) {
        windowStart = t;
        written = 0;
      }
      if (written >= perMinute) {
        dropped++;
        return false;
      }
      written++;
      log.error(
        {
          kind: error.kind,
          route: error.route,
          stack: error.stack,
          ...(dropped > 0 ? { droppedBefore: dropped } : {}),
        },
        `renderer ${error.kind}: ${error.message}`,
      );
      dropped = 0;
      return true;
    },
  };
}
