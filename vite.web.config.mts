// Browser mode's renderer build: the same React app Electron loads, served by
// src/main/web from out/web. Relative base so it also works from file:// and
// under any path the web server chooses. Build it with `npm run build:web`
// (scripts/buildWeb.ts): it builds into a folder of its own and swaps out/web
// over to it at once, and skips the build when nothing changed.
import { fileURLToPath } from 'node:url';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
// scripts/buildWeb.ts passes --outDir. A bare `vite build --config …` lands
// here, never in the build out/web points to (emptyOutDir would empty it
// under a running console).
const outDir = fileURLToPath(new URL('./out/web-builds/vite-direct', import.meta.url));

/**
 * src/renderer/main.tsx is a small entry that sends the first back-end calls
 * and then imports the app (app/mount.tsx) dynamically. Left alone, the
 * browser would only learn of the app's chunks once the entry has run; these
 * tags in index.html let it fetch them (and the app's CSS) in parallel with
 * the entry, while the entry still runs first.
 */
function preloadAppChunk(appModuleSuffix: string): Plugin {
  return {
    name: 'dearpos:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const { bundle, chunk: entry } = context;
        if (!bundle || !entry) return [];
        const app = entry.dynamicImports
          .map((file) => bundle[file])
          .find(
            (output) =>
              output?.type === 'chunk' && output.facadeModuleId?.endsWith(appModuleSuffix),
          );
        if (!app || app.type !== 'chunk')
          throw new Error(
            `The entry no longer imports ${appModuleSuffix} dynamically; update preloadAppChunk.`,
          );
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visit = (file: string): void => {
          const output = bundle[file];
          if (output?.type !== 'chunk' || scripts.has(file) || file === entry.fileName) return;
          scripts.add(file);
          for (const css of output.viteMetadata?.importedCss ?? []) styles.add(css);
          output.imports.forEach(visit);
        };
        visit(app.fileName);
        const tags: HtmlTagDescriptor[] = [];
        for (const file of scripts)
          tags.push({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
            injectTo: 'head',
          });
        for (const file of styles)
          tags.push({
            tag: 'link',
            attrs: { rel: 'stylesheet', crossorigin: true, href: `./${file}` },
            injectTo: 'head',
          });
        return tags;
      },
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), preloadAppChunk('/app/mount.tsx')],
  build: {
    outDir,
    emptyOutDir: true,
    // No inline scripts or data: module preloads, so the strict CSP holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
});
