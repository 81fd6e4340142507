/**
 * Sends the renderer's uncaught errors and unhandled rejections to the main
 * process, which writes them to the console's log (rate-limited there too):
 * support reads one log instead of asking a store to open DevTools, which a
 * packaged console does not have. At most 10 a minute leave this window, so
 * a render loop cannot flood the back end.
 */
import type { Api } from '../../shared/contract/index.ts';

const PER_MINUTE = 10;

function describe(value: unknown): { message: string; stack?: string } {
  if (value instanceof Error) {
    return {
      message: `${value.name}: ${value.message}`.slice(0, 2000),
      ...(value.stack ? { stack: value.stack.slice(0, 8000) } : {}),
    };
  }
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return { message: (text || 'unknown error').slice(0, 2000) };
}

export function forwardRendererErrors(api: Api, win: Window, now: () => number = Date.now) {
  let windowStart = now();
  let sent = 0;
  const send = (kind: 'error' | 'unhandledrejection', value: unknown): void => {
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t;
      sent = 0;
    }
    if (sent >= PER_MINUTE) return;
    sent++;
    const route = win.location.hash.slice(0, 200);
    // Reporting must never throw or reject in turn: that would report itself.
    api['shell:reportError']({ kind, ...describe(value), route }).catch(() => undefined);
  };
  const onError = (event: ErrorEvent) => send('error', event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => send('unhandledrejection', event.reason);
  win.addEventListener('error', onError);
  win.addEventListener('unhandledrejection', onRejection);
  return () => {
    win.removeEventListener('error', onError);
    win.removeEventListener('unhandledrejection', onRejection);
  };
}
