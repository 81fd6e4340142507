/**
 * `npm run build:web`: builds browser mode's renderer — only when its sources
 * changed, and never in place.
 *
 * A vite build takes 15–20 s and empties its output folder first, so a
 * console already serving out/web from this checkout (`npm run web` in
 * another terminal) lost its page for the whole rebuild. Now:
 *
 * - Each build goes into a folder of its own, out/web-builds/<hash>, named by
 *   a hash of everything that goes into it (the renderer and shared sources,
 *   the vite config, the tsconfigs, the lock file). A folder there is never
 *   changed once it is complete.
 * - out/web is a symbolic link to the current build. A new build is swapped
 *   in by renaming a new link over it: rename(2) is atomic, so a reader of
 *   out/web sees the old build, complete, until the moment it sees the new
 *   one, complete.
 * - The new build also holds the previous build's own chunks (content-hashed
 *   names, so they never clash): a page loaded before the swap can still
 *   load a screen it had not opened yet.
 * - When the hash names the build out/web already points to, nothing is
 *   built (about 0.1 s instead of 15–20 s); when it names an earlier build
 *   still kept (e.g. after switching branches back), that one is swapped in.
 *
 * Options: `--force` rebuilds even when the sources did not change.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** What a build of the renderer depends on, relative to the repository root. */
export const WEB_BUILD_INPUTS = [
  'src/renderer',
  'src/shared',
  'vite.web.config.mts',
  'tsconfig.base.json',
  'tsconfig.web.json',
  'package-lock.json',
] as const;

/** Builds kept besides the current one, so switching back (a branch, a stash) needs no build. */
export const KEPT_EARLIER_BUILDS = 2;

const BUILDS_FOLDER = 'web-builds';
const LINK_NAME = 'web';
const TEMP_PREFIX = '.tmp-';
/** In each build folder: the build's own asset files (not those carried over from the build before). */
const OWN_ASSETS_FILE = '.own-assets.json';

export type BuildWebOptions = {
  /** The repository root. */
  root: string;
  /** Where `web` (the link) and `web-builds/` live; default `<root>/out`. */
  outDir?: string;
  /** Rebuild even when a build of these sources exists. */
  isForced?: boolean;
  /** Builds the renderer into an empty folder; default: vite with vite.web.config.mts. */
  build?: (dir: string) => Promise<void>;
  log?: (line: string) => void;
};

export type BuildWebResult = {
  hash: string;
  /** The build folder out/web now points to. */
  dir: string;
  /** 'built': vite ran; 'current': out/web already was this build; 'reused': an earlier build of the same sources was swapped in. */
  outcome: 'built' | 'current' | 'reused';
  ms: number;
};

/** SHA-256 over the path and bytes of every input file (tests excluded: vite never bundles them), in a fixed order. */
export function hashWebSources(root: string, inputs: readonly string[] = WEB_BUILD_INPUTS): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  const visit = (path: string): void => {
    const full = join(root, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) visit(join(path, name));
    } else if (!/\.test\.tsx?$/.test(path)) {
      files.push(path);
    }
  };
  for (const input of inputs) visit(input);
  for (const file of files) {
    hash.update(file.split('\\').join('/'));
    hash.update('\0');
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The name of the build folder out/web points to, or null (no link, or a folder from before builds were swapped). */
export function currentBuildName(outDir: string): string | null {
  const link = join(outDir, LINK_NAME);
  try {
    if (!lstatSync(link).isSymbolicLink()) return null;
  } catch {
    return null;
  }
  return basename(readlinkSync(link));
}

export async function buildWeb(options: BuildWebOptions): Promise<BuildWebResult> {
  const started = performance.now();
  const root = resolve(options.root);
  const outDir = resolve(options.outDir ?? join(root, 'out'));
  const buildsDir = join(outDir, BUILDS_FOLDER);
  const log = options.log ?? (() => {});
  const build = options.build ?? ((dir: string) => viteBuild(root, dir));
  mkdirSync(buildsDir, { recursive: true });
  removeAbandonedTemps(buildsDir);

  const hash = hashWebSources(root);
  const current = currentBuildName(outDir);
  const isComplete = (name: string): boolean => existsSync(join(buildsDir, name, 'index.html'));
  const finish = (name: string, outcome: BuildWebResult['outcome']): BuildWebResult => {
    if (outcome !== 'current') swapLink(outDir, name);
    // Marks when this build was last made current: pruning keeps the most recent.
    const now = new Date();
    utimesSync(join(buildsDir, name), now, now);
    pruneBuilds(buildsDir, name);
    return {
      hash,
      dir: join(buildsDir, name),
      outcome,
      ms: Math.round(performance.now() - started),
    };
  };

  if (!options.isForced) {
    if (current !== null && current.startsWith(hash) && isComplete(current)) {
      log(`The browser-mode renderer is up to date (sources ${hash}); nothing to build.`);
      return finish(current, 'current');
    }
    if (isComplete(hash)) {
      log(`Reusing the earlier build of these sources (${hash}).`);
      return finish(hash, 'reused');
    }
  }

  const temp = join(buildsDir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await build(temp);
    if (!existsSync(join(temp, 'index.html')))
      throw new Error(`The renderer build wrote no index.html into ${temp}.`);
    if (current !== null && isComplete(current)) carryOverAssets(join(buildsDir, current), temp);
    // A forced rebuild of the current sources gets a name of its own: the
    // folder out/web points to is never touched.
    let name = options.isForced ? `${hash}-${Date.now().toString(36)}` : hash;
    try {
      renameSync(temp, join(buildsDir, name));
    } catch (error) {
      // Another build of the same sources finished first (two terminals): use it.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') || !isComplete(name))
        throw error;
      name = hash;
    }
    return finish(name, 'built');
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * A page loaded from the previous build still fetches its lazily loaded
 * chunks after the swap. Asset names carry a content hash, so the previous
 * build's own assets are copied into the new one (never overwriting): the
 * old page keeps working until it reloads. Only the previous build's own
 * assets (listed in OWN_ASSETS_FILE), so builds do not grow one after another.
 */
function carryOverAssets(previousDir: string, newDir: string): void {
  const own = listFiles(join(newDir, 'assets'));
  writeFileSync(join(newDir, OWN_ASSETS_FILE), `${JSON.stringify(own)}\n`);
  let previousOwn: string[];
  try {
    previousOwn = JSON.parse(readFileSync(join(previousDir, OWN_ASSETS_FILE), 'utf8')) as string[];
  } catch {
    previousOwn = listFiles(join(previousDir, 'assets'));
  }
  const have = new Set(own);
  for (const file of previousOwn) {
    if (have.has(file) || file.includes('..')) continue;
    const from = join(previousDir, 'assets', file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(newDir, 'assets', file)), { recursive: true });
    copyFileSync(from, join(newDir, 'assets', file));
  }
}

/** Files under `dir`, as paths relative to it with '/' separators; [] when it does not exist. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split('\\').join('/'))
    .sort();
}

/** Points out/web at web-builds/<name> with one rename, so it is never missing or half there. */
function swapLink(outDir: string, name: string): void {
  const link = join(outDir, LINK_NAME);
  const target = join(BUILDS_FOLDER, name);
  // Out/web as a plain folder is a build from before builds were swapped: set
  // it aside once (the one moment out/web is briefly missing).
  try {
    const info = lstatSync(link);
    if (!info.isSymbolicLink())
      renameSync(link, join(outDir, BUILDS_FOLDER, `legacy-${Date.now().toString(36)}`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const newLink = join(outDir, `${TEMP_PREFIX}${LINK_NAME}-${process.pid}`);
  rmSync(newLink, { force: true });
  // Windows: a junction needs no special rights and takes an absolute path.
  if (process.platform === 'win32') symlinkSync(join(outDir, target), newLink, 'junction');
  else symlinkSync(target, newLink);
  renameSync(newLink, link);
}

/** Keeps the current build and the KEPT_EARLIER_BUILDS most recently current ones. */
function pruneBuilds(buildsDir: string, currentName: string): void {
  const builds = readdirSync(buildsDir)
    .filter((name) => !name.startsWith(TEMP_PREFIX) && name !== currentName)
    .map((name) => ({ name, at: statSync(join(buildsDir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEPT_EARLIER_BUILDS))
    rmSync(join(buildsDir, old.name), { recursive: true, force: true });
}

/** Temp folders of builds whose process is gone (killed mid-build). */
function removeAbandonedTemps(buildsDir: string): void {
  for (const name of readdirSync(buildsDir)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(name.slice(TEMP_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) continue;
    rmSync(join(buildsDir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** vite build of vite.web.config.mts into `dir`, in a child process (as `npx vite build` would). */
function viteBuild(root: string, dir: string): Promise<void> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [
    vite,
    'build',
    '--config',
    'vite.web.config.mts',
    '--logLevel',
    'warn',
    '--outDir',
    dir,
    '--emptyOutDir',
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolvePromise()
        : reject(
            new Error(
              `vite build failed (${signal ?? `exit code ${code}`}); out/web still holds the previous build.`,
            ),
          ),
    );
  });
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { force: { type: 'boolean', default: false } },
    strict: true,
  });
  const root = resolve(import.meta.dirname, '..');
  const result = await buildWeb({
    root,
    isForced: values.force,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (result.outcome !== 'current')
    process.stdout.write(
      `Browser-mode renderer ${result.outcome === 'built' ? 'built' : 'swapped in'} in ${(result.ms / 1000).toFixed(1)} s: out/web → ${relative(root, result.dir)}\n`,
    );
}

if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
