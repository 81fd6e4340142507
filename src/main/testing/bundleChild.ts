/**
 * Bundles a test's child-process entry (our TypeScript, with every module it
 * imports) into one plain JS file, so each spawn skips type stripping and
 * loading hundreds of module files. Packages stay external and resolve from
 * node_modules, which is why the bundle is written under it. Test-only code.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** Every bundle of every run lives here, one folder each: `<entry>-<pid of the run>`. */
const BUNDLES = join(ROOT, 'node_modules', '.cache', 'dearpos-child-bundles');
/** Node's compile cache of a bundle's processes: inside its folder, so it goes with it. */
const COMPILE_CACHE_FOLDER = 'compile-cache';
/** Packages the bundle loads from node_modules as they are (native, or spawning workers of their own). */
const EXTERNAL = ['better-sqlite3'];

export type ChildBundle = {
  /** The bundled entry: run it with plain `node` (no --experimental-strip-types). */
  file: string;
  /** Environment for a process that runs `file`: its compile cache (see bundleCompileCache). */
  env: { NODE_COMPILE_CACHE: string };
  dispose(): void;
};

/**
 * The compile cache for a process running `file`: in the bundle's own folder
 * for a bundle, so it is reused by every restart of the run and removed with
 * it (a cache shared by all runs grew without bound, since each run's bundles
 * have new paths); for a source file, one shared folder, whose entries stay
 * few because source paths do not change.
 */
export function bundleCompileCache(file: string): string {
  return dirname(file).startsWith(BUNDLES)
    ? join(dirname(file), COMPILE_CACHE_FOLDER)
    : join(ROOT, 'node_modules', '.cache', 'dearpos-compile-cache');
}

const NEW_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * `new URL('./x', import.meta.url)` names a file beside its module, which the
 * bundle's folder does not have: a worker bundled alongside becomes its
 * `.mjs`, anything else (a data file) its absolute location in the tree.
 */
function keepFileUrls(workers: ReadonlySet<string>): Plugin {
  return {
    name: 'keep-file-urls',
    transform(code, id) {
      if (!id.startsWith(ROOT) || !code.includes('import.meta.url')) return null;
      return code.replace(NEW_URL, (_all, _quote: string, relative: string) => {
        const target = resolve(dirname(id), relative);
        if (workers.has(target))
          return `new URL('./${basename(target).replace(/\.ts$/, '.mjs')}', import.meta.url)`;
        return `new URL(${JSON.stringify(pathToFileURL(target).href)})`;
      });
    },
  };
}

const STATIC_IMPORT = /^import\s+(?:([\w$]+)|\{([^}]*)\})\s+from\s+"([^"]+)";$/gm;

/**
 * Node builtins and the external packages loaded the CommonJS way. An ESM
 * import of a builtin builds its module facade by reading every export, and
 * node:http's exports include lazy getters that load all of undici (fetch,
 * WebSocket): ~20 ms of CPU per process start that nothing here uses. An
 * ESM import of a CommonJS package also lexes its source for named exports.
 * The values are the same objects either way (a builtin's default export is
 * its module.exports); only top-level static imports are rewritten, and the
 * bundle's own chunks keep theirs.
 */
function builtinsWithoutFacades(): Plugin {
  return {
    name: 'builtins-without-facades',
    renderChunk(code) {
      let isRewritten = false;
      const rewritten = code.replace(
        STATIC_IMPORT,
        (all, name: string | undefined, names: string | undefined, specifier: string) => {
          const isBuiltin = specifier.startsWith('node:');
          if (!isBuiltin && !EXTERNAL.includes(specifier)) return all;
          isRewritten = true;
          const load = isBuiltin
            ? `process.getBuiltinModule(${JSON.stringify(specifier)})`
            : `__requireExternal(${JSON.stringify(specifier)})`;
          if (name) return `const ${name} = ${load};`;
          const bindings = (names ?? '')
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== '')
            .map((part) => part.replace(/\s+as\s+/, ': '));
          return `const { ${bindings.join(', ')} } = ${load};`;
        },
      );
      if (!isRewritten) return null;
      return {
        code: `const __requireExternal = process.getBuiltinModule("node:module").createRequire(import.meta.url);\n${rewritten}`,
        map: null,
      };
    },
  };
}

async function bundleOne(
  source: string,
  outDir: string,
  workers: ReadonlySet<string>,
): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [keepFileUrls(workers), builtinsWithoutFacades()],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      minify: false,
      rolldownOptions: {
        input: { [basename(source).replace(/\.ts$/, '')]: source },
        external: EXTERNAL,
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
    ssr: { noExternal: true, external: EXTERNAL },
  });
}

/** Folders of runs that ended without disposing of them (a killed vitest): their pid is gone. */
function removeAbandoned(): void {
  if (!existsSync(BUNDLES)) return;
  for (const folder of readdirSync(BUNDLES)) {
    const pid = Number(/-(\d+)$/.exec(folder)?.[1]);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    rmSync(join(BUNDLES, folder), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `workers`: sources the entry starts as worker threads through
 * `new URL('./worker.ts', import.meta.url)`; each is bundled on its own beside
 * the entry, so a worker thread loads only the modules it imports (in one
 * build with the entry, it loaded a chunk shared with the main thread: the
 * server's push-check worker twice what it needs).
 */
export async function bundleChild(
  source: string,
  options: { workers?: string[] } = {},
): Promise<ChildBundle> {
  removeAbandoned();
  const name = basename(source).replace(/\.ts$/, '');
  const outDir = join(BUNDLES, `${name}-${process.pid}`);
  rmSync(outDir, { recursive: true, force: true });
  const workers = new Set((options.workers ?? []).map((w) => resolve(w)));
  await Promise.all([source, ...workers].map((entry) => bundleOne(entry, outDir, workers)));
  const file = join(outDir, `${name}.mjs`);
  return {
    file,
    env: { NODE_COMPILE_CACHE: bundleCompileCache(file) },
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
