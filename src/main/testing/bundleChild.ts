/**
 * Bundles a test's child-process entry (our TypeScript, with every module it
 * imports) into one plain JS file, so each spawn skips type stripping and
 * loading hundreds of module files. Packages stay external and resolve from
 * node_modules, which is why the bundle is written under it. Test-only code.
 */
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export type ChildBundle = {
  /** The bundled entry: run it with plain `node` (no --experimental-strip-types). */
  file: string;
  dispose(): void;
};

export async function bundleChild(source: string): Promise<ChildBundle> {
  const name = basename(source).replace(/\.ts$/, '');
  const outDir = join(ROOT, 'node_modules', '.cache', `${name}-${process.pid}`);
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: source,
      outDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: {
        // Native and worker-spawning packages must load from node_modules as they are.
        external: ['better-sqlite3'],
        output: { format: 'es', entryFileNames: `${name}.mjs` },
      },
    },
    ssr: { noExternal: true, external: ['better-sqlite3'] },
  });
  return {
    file: join(outDir, `${name}.mjs`),
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
