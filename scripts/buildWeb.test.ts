/**
 * `npm run build:web` builds only when the renderer's sources changed, and
 * swaps a new build in whole: a console serving out/web keeps serving the
 * old build, complete, until the new one is complete. The renderer build
 * itself (vite, 10–20 s) is replaced by a small writer here; everything else —
 * hashing, folders, the link, the swap — is the real script on real files.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWeb, hashWebSources } from './buildWeb.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A repository with the files a renderer build depends on. */
function fakeRepo(): { root: string; out: string; write(path: string, text: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'build-web-'));
  dirs.push(root);
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('src/renderer/main.tsx', 'export const version = 1;\n');
  write('src/renderer/app/App.test.tsx', 'test 1\n');
  write('src/shared/domain/roles.ts', 'export const ROLES = [];\n');
  write('vite.web.config.mts', 'export default {};\n');
  write('package-lock.json', '{"lockfileVersion":3}\n');
  return { root, out: join(root, 'out'), write };
}

/** Stands in for vite: writes a page and a chunk, counting its runs. */
function countingBuild(label: () => string) {
  const runs: string[] = [];
  return {
    runs,
    build: async (dir: string): Promise<void> => {
      runs.push(dir);
      mkdirSync(join(dir, 'assets'), { recursive: true });
      writeFileSync(join(dir, 'assets', 'app.js'), `// ${label()}\n`);
      writeFileSync(join(dir, 'index.html'), `<!doctype html><p>${label()}</p>\n`);
      await Promise.resolve();
    },
  };
}

function servedPage(out: string): string {
  return readFileSync(join(out, 'web', 'index.html'), 'utf8');
}

describe('npm run build:web', () => {
  it('builds once, then does not rebuild while the sources are unchanged', async () => {
    const repo = fakeRepo();
    const vite = countingBuild(() => 'v1');
    const first = await buildWeb({ root: repo.root, outDir: repo.out, build: vite.build });
    expect(first.outcome).toBe('built');
    expect(servedPage(repo.out)).toContain('v1');

    const second = await buildWeb({ root: repo.root, outDir: repo.out, build: vite.build });
    expect(second.outcome).toBe('current');
    expect(vite.runs).toHaveLength(1);
    expect(second.dir).toBe(first.dir);

    // A test file is not part of the build: still nothing to do.
    repo.write('src/renderer/app/App.test.tsx', 'test 2\n');
    expect((await buildWeb({ root: repo.root, outDir: repo.out, build: vite.build })).outcome).toBe(
      'current',
    );
    expect(vite.runs).toHaveLength(1);
  });

  it('rebuilds when a renderer source, the vite config or the lock file changes, and swaps an earlier build back without building', async () => {
    const repo = fakeRepo();
    let label = 'v1';
    const vite = countingBuild(() => label);
    const v1 = await buildWeb({ root: repo.root, outDir: repo.out, build: vite.build });

    label = 'v2';
    repo.write('src/renderer/main.tsx', 'export const version = 2;\n');
    const v2 = await buildWeb({ root: repo.root, outDir: repo.out, build: vite.build });
    expect(v2.outcome).toBe('built');
    expect(v2.hash).not.toBe(v1.hash);
    expect(servedPage(repo.out)).toContain('v2');

    for (const [path, text] of [
      ['vite.web.config.mts', 'export default { base: "./" };\n'],
      ['package-lock.json', '{"lockfileVersion":3,"packages":{}}\n'],
      ['src/shared/domain/roles.ts', 'export const ROLES = ["technician"];\n'],
    ] as const) {
      const before = hashWebSources(repo.root);
      repo.write(path, text);
      expect(hashWebSources(repo.root), path).not.toBe(before);
    }

    // Back to the first sources (a branch switched back): the kept build returns, vite does not run.
    repo.write('vite.web.config.mts', 'export default {};\n');
    repo.write('package-lock.json', '{"lockfileVersion":3}\n');
    repo.write('src/shared/domain/roles.ts', 'export const ROLES = [];\n');
    repo.write('src/renderer/main.tsx', 'export const version = 1;\n');
    const back = await buildWeb({ root: repo.root, outDir: repo.out, build: vite.build });
    expect(back.outcome).toBe('reused');
    expect(vite.runs).toHaveLength(2);
    expect(servedPage(repo.out)).toContain('v1');
  });

  it('keeps serving the old build, whole, until the new one is complete', async () => {
    const repo = fakeRepo();
    await buildWeb({ root: repo.root, outDir: repo.out, build: countingBuild(() => 'v1').build });
    const oldDir = realpathSync(join(repo.out, 'web'));

    repo.write('src/renderer/main.tsx', 'export const version = 2;\n');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let isHalfWritten!: () => void;
    const halfWritten = new Promise<void>((r) => (isHalfWritten = r));
    const building = buildWeb({
      root: repo.root,
      outDir: repo.out,
      build: async (dir) => {
        // vite writes its chunks first and index.html last; stop in between.
        mkdirSync(join(dir, 'assets'), { recursive: true });
        writeFileSync(join(dir, 'assets', 'app.js'), '// v2\n');
        isHalfWritten();
        await gate;
        writeFileSync(join(dir, 'index.html'), '<!doctype html><p>v2</p>\n');
      },
    });
    await halfWritten;
    // Mid-build: out/web is still the old build, every file of it there.
    expect(realpathSync(join(repo.out, 'web'))).toBe(oldDir);
    expect(servedPage(repo.out)).toContain('v1');
    expect(readFileSync(join(repo.out, 'web', 'assets', 'app.js'), 'utf8')).toContain('v1');
    release();
    await building;
    expect(servedPage(repo.out)).toContain('v2');
    expect(readFileSync(join(repo.out, 'web', 'assets', 'app.js'), 'utf8')).toContain('v2');
    // The old build is kept, untouched (a page loaded from it can still finish).
    expect(readFileSync(join(oldDir, 'index.html'), 'utf8')).toContain('v1');
  });

  it('never leaves out/web missing or half-written for a reader in another process, across many swaps', async () => {
    const repo = fakeRepo();
    await buildWeb({ root: repo.root, outDir: repo.out, build: countingBuild(() => 'v0').build });
    // A reader like the console's web server: reads index.html and its chunk, over and over.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `
        const { readFileSync, existsSync } = require('node:fs');
        const web = process.argv[1];
        let reads = 0, failures = [];
        process.stdin.on('data', () => { process.stdout.write(JSON.stringify({ reads, failures: failures.slice(0, 5) })); process.exit(0); });
        (function loop() {
          for (let i = 0; i < 200; i++) {
            try {
              const page = readFileSync(web + '/index.html', 'utf8');
              const chunk = readFileSync(web + '/assets/app.js', 'utf8');
              if (!page.endsWith('</p>\\n') || !chunk.startsWith('// v')) failures.push('partial: ' + page);
              reads++;
            } catch (e) { failures.push(e.code + ' ' + e.message); }
          }
          setImmediate(loop);
        })();
        `,
        join(repo.out, 'web'),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let output = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<void>((r) => reader.on('exit', () => r()));
    for (let n = 1; n <= 30; n++) {
      repo.write('src/renderer/main.tsx', `export const version = ${n};\n`);
      await buildWeb({
        root: repo.root,
        outDir: repo.out,
        build: countingBuild(() => `v${n}`).build,
      });
    }
    reader.stdin.write('done\n');
    await exited;
    const result = JSON.parse(output) as { reads: number; failures: string[] };
    expect(result.failures).toEqual([]);
    expect(result.reads).toBeGreaterThan(0);
    expect(servedPage(repo.out)).toContain('v30');
    // The current build and two earlier ones are kept; nothing else piles up.
    expect(readdirSync(join(repo.out, 'web-builds')).sort()).toHaveLength(3);
  });

  it("keeps the previous build's chunks fetchable after the swap, without piling up older ones", async () => {
    const repo = fakeRepo();
    const chunked = (n: number) => async (dir: string) => {
      mkdirSync(join(dir, 'assets'), { recursive: true });
      writeFileSync(join(dir, 'assets', `screen-${n}.js`), `// v${n}\n`);
      writeFileSync(join(dir, 'assets', 'app.js'), `// v${n}\n`);
      writeFileSync(join(dir, 'index.html'), `<!doctype html><p>v${n}</p>\n`);
      await Promise.resolve();
    };
    await buildWeb({ root: repo.root, outDir: repo.out, build: chunked(1) });
    repo.write('src/renderer/main.tsx', 'export const version = 2;\n');
    await buildWeb({ root: repo.root, outDir: repo.out, build: chunked(2) });
    // A page loaded from build 1 asks for its lazy chunk after the swap: still there.
    expect(readFileSync(join(repo.out, 'web', 'assets', 'screen-1.js'), 'utf8')).toBe('// v1\n');
    // A name both builds share is the new build's own file.
    expect(readFileSync(join(repo.out, 'web', 'assets', 'app.js'), 'utf8')).toBe('// v2\n');
    repo.write('src/renderer/main.tsx', 'export const version = 3;\n');
    await buildWeb({ root: repo.root, outDir: repo.out, build: chunked(3) });
    expect(existsSync(join(repo.out, 'web', 'assets', 'screen-2.js'))).toBe(true);
    expect(existsSync(join(repo.out, 'web', 'assets', 'screen-1.js'))).toBe(false);
  });

  it('two builds of the same sources at once (two terminals) both succeed and leave one build', async () => {
    const repo = fakeRepo();
    const [a, b] = await Promise.all([
      buildWeb({ root: repo.root, outDir: repo.out, build: countingBuild(() => 'a').build }),
      buildWeb({ root: repo.root, outDir: repo.out, build: countingBuild(() => 'b').build }),
    ]);
    expect(a.dir).toBe(b.dir);
    expect(readdirSync(join(repo.out, 'web-builds'))).toEqual([a.hash]);
    expect(servedPage(repo.out)).toMatch(/<p>[ab]<\/p>/);
  });

  it('leaves the served build alone, and no half-built folder behind, when the build fails', async () => {
    const repo = fakeRepo();
    await buildWeb({ root: repo.root, outDir: repo.out, build: countingBuild(() => 'v1').build });
    repo.write('src/renderer/main.tsx', 'export const version = 2;\n');
    await expect(
      buildWeb({
        root: repo.root,
        outDir: repo.out,
        build: async (dir) => {
          mkdirSync(join(dir, 'assets'), { recursive: true });
          writeFileSync(join(dir, 'assets', 'app.js'), '// half\n');
          await Promise.resolve();
          throw new Error('Transform failed: src/renderer/main.tsx');
        },
      }),
    ).rejects.toThrow('Transform failed');
    expect(servedPage(repo.out)).toContain('v1');
    expect(readdirSync(join(repo.out, 'web-builds'))).toHaveLength(1);
  });

  it('sets aside an out/web folder from before builds were swapped, and links out/web to the new build', async () => {
    const repo = fakeRepo();
    repo.write('out/web/index.html', '<!doctype html><p>old style</p>\n');
    await buildWeb({ root: repo.root, outDir: repo.out, build: countingBuild(() => 'v1').build });
    expect(servedPage(repo.out)).toContain('v1');
    const kept = readdirSync(join(repo.out, 'web-builds')).filter((n) => n.startsWith('legacy-'));
    expect(kept).toHaveLength(1);
    expect(existsSync(join(repo.out, 'web-builds', kept[0]!, 'index.html'))).toBe(true);
  });
});
