/**
 * The desktop shell's security decisions as pure functions, so they are
 * tested under plain Node: which frame may call the back end, where the
 * window may navigate, which links open in the system browser, and the CSP.
 */
import { resolve, sep } from 'node:path';
import { assertNever } from '../../shared/errors.ts';
import { contentSecurityPolicy } from '../web/security.ts';

/**
 * The packaged renderer is served from a custom privileged scheme rather than
 * file://, so the shell sets its headers (CSP) itself and a sender check can
 * tell our page from any local file.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Where our own renderer is loaded from: the app scheme, or the dev server while developing. */
export type RendererOrigin = { kind: 'app' } | { kind: 'dev'; url: string };

/**
 * Only our own top-level page may call the back end: not an iframe, not a
 * page the window was somehow navigated to. `frameUrl` is
 * `event.senderFrame.url`; `isMainFrame` is `senderFrame.parent === null`.
 */
export function isTrustedSender(
  sender: { frameUrl: string | undefined | null; isMainFrame: boolean },
  origin: RendererOrigin,
): boolean {
  if (!sender.isMainFrame || !sender.frameUrl) return false;
  let url: URL;
  try {
    url = new URL(sender.frameUrl);
  } catch {
    return false;
  }
  switch (origin.kind) {
    case 'app':
      return (
        url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.pathname === '/index.html'
      );
    case 'dev': {
      const expected = new URL(origin.url);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === expected.origin
      );
    }
    default:
      return assertNever(origin, 'renderer origin');
  }
}

/** Hosts whose https links may open in the system browser (help and release pages). */
const EXTERNAL_LINK_HOSTS = [
  'dearpos.com',
  'www.dearpos.com',
  'docs.dearpos.com',
  'status.dearpos.com',
] as const;

/** `shell.openExternal` only for https links to an allow-listed host, without credentials or odd ports. */
export function isAllowedExternalUrl(
  raw: string,
  allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    allowedHosts.includes(url.hostname)
  );
}

/**
 * The CSP the shell sets on every response. The packaged app gets the same
 * strict policy as browser mode. Only the Vite dev server needs inline
 * script (React Refresh preamble) and a websocket for hot reload.
 */
export function electronContentSecurityPolicy(origin: RendererOrigin): string {
  if (origin.kind === 'app') return contentSecurityPolicy();
  const dev = new URL(origin.url);
  const ws = `ws://${dev.host}`;
  return contentSecurityPolicy({ connectSrc: [ws] }).replace(
    "script-src 'self'",
    "script-src 'self' 'unsafe-inline'",
  );
}

/**
 * Maps an `app://console/<path>` request to a file of the built renderer, or
 * null for anything outside it (other hosts, `..`, encoded separators).
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + (path === '/' ? '/index.html' : path));
  return file.startsWith(root + sep) ? file : null;
}
