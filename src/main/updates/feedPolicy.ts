/**
 * Which update feed the console follows. Pure (no electron import) so the rule
 * is tested under plain Node; src/main/electron/updater.ts applies the answer.
 *
 * A packaged build follows only the feed electron-builder wrote into it
 * (app-update.yml, https, signed installers): an environment variable must
 * not be able to point an installed console at another server. The
 * `DEARPOS_UPDATE_URL` override exists for developers testing the update flow
 * against a local feed, so it is honoured only in a development build.
 */

export const UPDATE_URL_ENV = 'DEARPOS_UPDATE_URL';

export type UpdateFeedDecision =
  /** Check the feed written into the packaged app (app-update.yml). */
  | { kind: 'packaged'; ignoredOverride: boolean }
  /** Development build only: check this generic-provider feed instead. */
  | { kind: 'development-override'; url: string }
  /** No update checks; `reason` says why, for the log. */
  | { kind: 'off'; reason: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Decides the update feed from the build kind and the environment.
 * `isPackaged` is Electron's `app.isPackaged`: false in `electron-vite dev`
 * and any unpackaged run, true in an installed console.
 */
export function decideUpdateFeed(input: {
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
}): UpdateFeedDecision {
  const override = input.env[UPDATE_URL_ENV]?.trim() || undefined;
  if (input.isPackaged) return { kind: 'packaged', ignoredOverride: override !== undefined };
  if (override === undefined) {
    return { kind: 'off', reason: 'a development build has no packaged update feed' };
  }
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    return { kind: 'off', reason: `${UPDATE_URL_ENV} is not a URL` };
  }
  // A local test feed may be plain http on this machine; anything remote must be https.
  const isLocalHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !isLocalHttp) {
    return {
      kind: 'off',
      reason: `${UPDATE_URL_ENV} must be https (or http on 127.0.0.1 / localhost), not ${url.protocol}`,
    };
  }
  if (url.username || url.password) {
    return { kind: 'off', reason: `${UPDATE_URL_ENV} must not carry credentials` };
  }
  return { kind: 'development-override', url: url.toString() };
}
