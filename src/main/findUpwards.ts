/**
 * Looks for something in a folder and its parents, the way the console finds
 * its own files outside a packaged app: above this module (src/main in
 * development, out/main when bundled) and above the working folder.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How far up to look: enough for src/main/<feature> or out/main inside a checkout. */
const MAX_LEVELS = 6;

/** The first answer `lookIn` gives for a folder at or above `from` (or this module and the working folder). */
export function findUpwards<T>(lookIn: (dir: string) => T | null, from?: string): T | null {
  const starts = from ? [from] : [moduleDir(), process.cwd()].filter((d) => d !== null);
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < MAX_LEVELS; i++) {
      const answer = lookIn(dir);
      if (answer !== null) return answer;
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
