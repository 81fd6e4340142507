/**
 * Debian's Chromium, for the end-to-end tests and the browser benchmark.
 * Playwright's own browser downloads are never used (no internet on the
 * development machines, and CI installs the `chromium` package).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Headless Chromium (156) builds a window's omnibox popup as a WebUI page in a renderer of its
  // own, for every new browser context: about 2 s of CPU that competed with the page under test on
  // a 2-core machine. Our pages never show an omnibox; the page's own cold load is unchanged.
  '--disable-features=OmniboxPopupWebUIBaseContent',
];

/**
 * Debian's `chromium-headless-shell` first: the same Chromium build in its old
 * headless mode, without the browser's own window, omnibox and profile
 * machinery, which Playwright uses for headless runs when it manages its own
 * browsers. Measured on this 2-core machine, two specs (fleet, releaseFlow),
 * one worker, Chromium's processes included: 43.0, 43.3 CPU-s with `chromium`,
 * 35.0, 38.0 with the headless shell. Every use here is headless.
 */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  for (const candidate of [
    '/usr/bin/chromium-headless-shell',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "Chromium is not installed. Install Debian's `chromium-headless-shell` or `chromium` package (apt-get install chromium-headless-shell) or set CHROMIUM_PATH.",
    );
  }
}
