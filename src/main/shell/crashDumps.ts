/**
 * The crash dumps Electron's crashReporter writes on this machine (never
 * uploaded), listed so a bug report can offer them as attachments. Only
 * `.dmp` files, newest first, at most 20: Crashpad keeps its own database
 * files beside them, which say nothing to support.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CrashDumpList } from '../../shared/contract/shell.ts';

const MAX_LISTED_DUMPS = 20;

export function listCrashDumps(dir: string | null): CrashDumpList {
  if (dir === null) return { dir: null, dumps: [] };
  const found: CrashDumpList['dumps'] = [];
  const walk = (folder: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      // Crashpad puts dumps in completed/ (and pending/, new/) under the dumps folder.
      if (entry.isDirectory() && depth < 2) walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.dmp')) {
        try {
          const s = statSync(path);
          found.push({
            name: path.slice(dir.length + 1),
            bytes: s.size,
            modifiedAt: s.mtime.toISOString(),
          });
        } catch {
          // Removed between the listing and the stat: not offered.
        }
      }
    }
  };
  walk(dir, 0);
  found.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.name.localeCompare(b.name));
  return { dir, dumps: found.slice(0, MAX_LISTED_DUMPS) };
}
