/**
 * bundleChild: the bundle runs with plain node; builtins are loaded without
 * ESM facades; a worker is a file of its own; Node's compile cache lives in
 * the bundle's folder and goes with it; folders of runs that died are removed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, type ChildBundle } from './bundleChild.ts';

const ENTRY = join(import.meta.dirname, 'probeChild.ts');
const WORKER = join(import.meta.dirname, 'probeWorker.ts');

let bundle: ChildBundle;
beforeAll(async () => {
  bundle = await bundleChild(ENTRY, { workers: [WORKER] });
}, 60_000);
afterAll(() => bundle?.dispose());

describe('bundleChild', () => {
  it('runs with plain node, its builtins loaded without ESM facades and its worker a file of its own', () => {
    const output = execFileSync(process.execPath, [bundle.file], {
      env: { ...process.env, ...bundle.env },
      encoding: 'utf8',
    });
    expect(output).toBe('function worker-ok 3\n');
    const code = readFileSync(bundle.file, 'utf8');
    expect(code).not.toMatch(/^import .* from "node:/m);
    expect(code).toContain('process.getBuiltinModule("node:http")');
    expect(code).not.toMatch(/^import .* from "better-sqlite3"/m);
    expect(
      readdirSync(dirname(bundle.file))
        .filter((f) => f.endsWith('.mjs'))
        .sort(),
    ).toEqual(['probeChild.mjs', 'probeWorker.mjs']);
  });

  it("keeps Node's compile cache in the bundle's folder, where the next start finds it", () => {
    const cache = bundle.env.NODE_COMPILE_CACHE;
    expect(dirname(cache)).toBe(dirname(bundle.file));
    const start = () =>
      spawnSync(process.execPath, [bundle.file], {
        env: { ...process.env, ...bundle.env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
        encoding: 'utf8',
      }).stderr;
    start();
    expect(start()).toMatch(/V8 code cache for ESM \S+probeChild\.mjs was accepted/);
  });

  it('removes a bundle with its compile cache, and the folders of runs that ended without disposing of them', async () => {
    const bundles = dirname(dirname(bundle.file));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const abandoned = join(bundles, `probeChild-${dead}`);
    const live = join(bundles, `probeChild-${process.ppid}`);
    mkdirSync(abandoned, { recursive: true });
    mkdirSync(live, { recursive: true });
    const other = await bundleChild(WORKER);
    execFileSync(process.execPath, [other.file], { env: { ...process.env, ...other.env } });
    expect(readdirSync(other.env.NODE_COMPILE_CACHE, { recursive: true }).length).toBeGreaterThan(
      0,
    );
    try {
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(bundle.file)).toBe(true);
    } finally {
      other.dispose();
      rmSync(live, { recursive: true, force: true });
    }
    expect(existsSync(dirname(other.file))).toBe(false);
    expect(basename(dirname(other.file))).toBe(`probeWorker-${process.pid}`);
  }, 60_000);
});
