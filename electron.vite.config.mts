// Builds the three Electron bundles: main (src/main/electron/main.ts →
// out/main/index.js, the package.json "main"), preload (CommonJS, because a
// sandboxed preload cannot be an ES module) and the renderer (src/renderer).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: path('./out/main'),
      // Bundle the ESM-only dependencies into the CommonJS main bundle rather
      // than relying on require(esm) at run time; the rest load from node_modules.
      externalizeDeps: {
        exclude: ['uuid', '@noble/hashes', '@noble/curves', 'canonicalize', 'kysely'],
      },
      rolldownOptions: {
        input: { index: path('./src/main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: path('./out/preload'),
      // A sandboxed preload can require only 'electron' (and a few built-ins):
      // everything else it uses (the shared contract, zod, semver) is bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: path('./src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: path('./src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: path('./out/renderer'),
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: { index: path('./src/renderer/index.html') },
      },
    },
  },
});
