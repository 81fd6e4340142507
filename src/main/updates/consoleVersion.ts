/**
 * This console's version outside Electron (browser mode, tests, scripts):
 * the `version` of the nearest package.json named like ours. Electron passes
 * `app.getVersion()` instead, which reads the same field from the packaged app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'dearpos-release-console';

export function findConsoleVersion(from?: string): string | null {
  const starts = from ? [from] : [moduleDir(), process.cwd()].filter((d) => d !== null);
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      const candidate = join(dir, 'package.json');
      if (existsSync(candidate)) {
        const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as {
          name?: unknown;
          version?: unknown;
        };
        if (parsed.name === PACKAGE_NAME && typeof parsed.version === 'string') {
          return parsed.version;
        }
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

function moduleDir(): string | null {
  // A CommonJS bundle may not carry a file: URL here; the working folder is the fallback.
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return null;
  }
}
