/**
 * This console's version outside Electron (browser mode, tests, scripts):
 * the `version` of the nearest package.json named like ours. Electron passes
 * `app.getVersion()` instead, which reads the same field from the packaged app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUpwards } from '../findUpwards.ts';

const PACKAGE_NAME = 'dearpos-release-console';

export function findConsoleVersion(from?: string): string | null {
  return findUpwards((dir) => {
    const candidate = join(dir, 'package.json');
    if (!existsSync(candidate)) return null;
    const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    return parsed.name === PACKAGE_NAME && typeof parsed.version === 'string'
      ? parsed.version
      : null;
  }, from);
}
