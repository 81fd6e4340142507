/**
 * What a newcomer reads first must be true: every `npm run <script>` the
 * README and CONTRIBUTING show exists, both command lines answer `--help`
 * with their usage and exit 0, and the licence, contributing guide and
 * changelog are there and agree with package.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  license?: string;
  private?: boolean;
  scripts: Record<string, string>;
};
const run = promisify(execFile);

/** `npm run x`, `npm start`, `npm test` as written in a Markdown file. */
function npmScriptsShown(markdown: string): string[] {
  const names = new Set<string>();
  for (const match of markdown.matchAll(/npm run ([\w:.-]+)/g)) names.add(match[1]!);
  for (const match of markdown.matchAll(/npm (start|test)\b/g)) names.add(match[1]!);
  return [...names].sort();
}

describe('the documents show only scripts that exist', () => {
  it.each(['README.md', 'CONTRIBUTING.md'])('%s', (file) => {
    const shown = npmScriptsShown(read(file));
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.filter((name) => !(name in pkg.scripts))).toEqual([]);
  });

  it('notices a script that does not exist', () => {
    expect(npmScriptsShown('run `npm run nope` then `npm test`')).toEqual(['nope', 'test']);
  });
});

describe('--help', () => {
  // As package.json runs them; `npm run web -- --help` hands --help to the last command of the script.
  const cases = [
    { script: 'web', entry: 'src/main/web/cli.ts', says: /Usage: npm run web -- \[--port 5217\]/ },
    {
      script: 'server',
      entry: 'src/server/cli.ts',
      says: /Usage: npm run server -- \[--port 8787\]/,
    },
  ];
  it.each(cases)('npm run $script -- --help prints its usage and exits 0', async (c) => {
    expect(pkg.scripts[c.script]!.endsWith(`src/${c.entry.slice(4)}`)).toBe(true);
    const { stdout, stderr } = await run(
      process.execPath,
      ['--experimental-strip-types', '--no-warnings', c.entry, '--help'],
      { cwd: root, timeout: 30_000 },
    );
    expect(stdout).toMatch(c.says);
    expect(stdout).toContain('--help');
    expect(stderr).toBe('');
  });

  it('a wrong option on the web command line exits 2 with the usage', async () => {
    const failure = await run(
      process.execPath,
      ['--experimental-strip-types', '--no-warnings', 'src/main/web/cli.ts', '--prot', '1'],
      { cwd: root, timeout: 30_000 },
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('Usage: npm run web');
  });
});

describe('repository conventions', () => {
  it('the licence is proprietary and package.json agrees', () => {
    expect(pkg.private).toBe(true);
    expect(pkg.license).toBe('UNLICENSED');
    expect(read('LICENSE')).toMatch(/All rights reserved/);
  });

  it('the changelog has an Unreleased section and CONTRIBUTING says how a feature is added', () => {
    expect(read('CHANGELOG.md')).toMatch(/^## \[Unreleased\]$/m);
    const contributing = read('CONTRIBUTING.md');
    for (const part of [
      'src/shared/contract/',
      'tables.ts',
      'access.ts',
      'migrations',
      'CHANGELOG.md',
    ])
      expect(contributing).toContain(part);
  });
});

describe('links in the documents', () => {
  it.each(['README.md', 'CONTRIBUTING.md'])(
    'every relative link in %s points into this repository at a file that exists',
    (file) => {
      const targets = [...read(file).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/.test(target));
      expect(targets.length).toBeGreaterThan(2);
      const missing = targets.filter(
        (target) => target.startsWith('..') || !existsSync(join(root, target)),
      );
      expect(missing).toEqual([]);
    },
  );
});
