/**
 * Bundles a test's child-process entry (our TypeScript, with every module it
 * imports) into one plain JS file, so each spawn skips type stripping and
 * loading hundreds of module files. Packages stay external and resolve from
 * node_modules, which is why the bundle is written under it. Test-only code.
 */
import { rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export type ChildBundle = {
  /** The bundled entry: run it with plain `node` (no --experimental-strip-types). */
  file: string;
  dispose(): void;
};

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

/**
 * `workers`: sources the entry starts as worker threads through
 * `new URL('./worker.ts', import.meta.url)`; each is bundled beside the entry.
 */
export async function bundleChild(
  source: string,
  options: { workers?: string[] } = {},
): Promise<ChildBundle> {
  const name = basename(source).replace(/\.ts$/, '');
  const outDir = join(ROOT, 'node_modules', '.cache', `${name}-${process.pid}`);
  const workers = options.workers ?? [];
  const input = Object.fromEntries(
    [source, ...workers].map((file) => [basename(file).replace(/\.ts$/, ''), file]),
  );
  await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [keepFileUrls(new Set(workers.map((w) => resolve(w))))],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: {
        input,
        // Native and worker-spawning packages must load from node_modules as they are.
        external: ['better-sqlite3'],
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
    ssr: { noExternal: true, external: ['better-sqlite3'] },
  });
  return {
    file: join(outDir, `${name}.mjs`),
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
