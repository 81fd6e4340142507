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
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: path('./src/main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: path('./out/preload'),
      // The preload only imports electron and the shared channel list; bundle
      // everything else into one CommonJS file the sandbox can load.
      externalizeDeps: { exclude: ['zod'] },
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
