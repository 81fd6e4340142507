import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

type MapLine = { paths: string[]; files: string[] };

/**
 * The map is a code block of two columns: names (a top-level folder like
 * `src/main/`, or folders and files inside it, indented) and a description
 * that may name files (`createApp.ts`), read relative to the line's first
 * name or to the top-level folder (a bare file name beside several folders:
 * in each of them). A line with no names continues the one above.
 */
function readMap(): MapLine[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Where things are')[1]?.split('\n## ')[0] ?? '';
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no code block under "Where things are"');
  const lines: MapLine[] = [];
  let base = '';
  let current: MapLine | null = null;
  for (const line of block.split('\n')) {
    if (line.trim() === '') continue;
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    // Names start at column 0 or 2; a line indented further only continues a description.
    const isContinuation = indent > 4;
    const [names = '', ...rest] = line.trim().split(/ {2,}/);
    const description = isContinuation ? line : rest.join(' ');
    if (!isContinuation) {
      const tokens = names.split(' ').filter(Boolean);
      if (indent === 0) base = tokens[0] ?? '';
      const paths = tokens.map((token) => (indent === 0 ? token : posix.join(base, token)));
      current = { paths, files: [] };
      lines.push(current);
    }
    // File names in the description; a URL path such as /docs/openapi.json is not one.
    for (const match of description.matchAll(/(?<![/\w])\w[\w/]*\.(?:ts|tsx|mts|mjs|json)\b/g)) {
      const first = current?.paths[0] ?? base;
      const candidates = [posix.join(first, match[0]), posix.join(base, match[0])];
      current?.files.push(
        candidates.find((file) => existsSync(join(ROOT, file))) ?? candidates[0]!,
      );
    }
  }
  return lines;
}

describe('README "Where things are"', () => {
  const lines = readMap();
  const named = lines.flatMap((line) => [...line.paths, ...line.files]);

  it('names only folders and files that exist', () => {
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('names every feature folder of src/shared, src/main and src/server', () => {
    const folders = ['src/shared', 'src/main', 'src/server'].flatMap((parent) =>
      readdirSync(join(ROOT, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'testing')
        .map((entry) => `${parent}/${entry.name}/`),
    );
    expect(folders.filter((folder) => !named.includes(folder))).toEqual([]);
  });
});
