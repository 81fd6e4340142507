/**
 * The README claims only what works, where a machine can tell: every option
 * of `npm run web` and `npm run server` it shows is one their `--help`
 * lists, every admin command it shows is one `admin help` lists, and every
 * file it links to is in the repository. (That the npm scripts it shows
 * exist is repository.test.ts's; the folder map is readmeMap.test.ts's.)
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** What an entry point prints for `args`, run as its npm script runs it. */
async function help(entry: string, args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', entry, ...args],
    { cwd: ROOT, timeout: 30_000 },
  );
  return stdout;
}

/** Every distinct match of `pattern`'s first group in the README. */
function shown(pattern: RegExp): string[] {
  return [...new Set([...README.matchAll(pattern)].map((m) => m[1]!))];
}

describe('README commands', () => {
  // The three help texts at once: each start loads a whole command line.
  let webHelp = '';
  let serverHelp = '';
  let adminHelp = '';
  beforeAll(async () => {
    [webHelp, serverHelp, adminHelp] = await Promise.all([
      help('src/main/web/cli.ts', ['--help']),
      help('src/server/cli.ts', ['--help']),
      help('src/server/cli.ts', ['admin', 'help']),
    ]);
  });

  it('every option shown for `npm run web` and `npm run server` is one their --help lists', () => {
    const options = (script: string) =>
      shown(new RegExp(`npm run ${script} -- ((?:--[\\w-]+[^\`\\n]*))`, 'g')).flatMap((args) =>
        [...args.matchAll(/(--[\w-]+)/g)].map((m) => m[1]!),
      );
    expect(options('web').filter((option) => !webHelp.includes(option))).toEqual([]);
    expect(options('server').filter((option) => !serverHelp.includes(option))).toEqual([]);
  });

  it('every `npm run server -- admin <command>` is one `admin help` lists', () => {
    const commands = shown(/npm run server --\s+admin ([\w-]+)/g);
    expect(commands.length).toBeGreaterThan(3);
    expect(
      commands.filter((command) => command !== 'help' && !adminHelp.includes(`  ${command} `)),
    ).toEqual([]);
  });

  it('every file it links to exists', () => {
    const links = shown(/\]\((?!https?:)([^)#\s]+)/g);
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((link) => !existsSync(join(ROOT, link)))).toEqual([]);
  });
});
