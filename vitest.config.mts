import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import react from '@vitejs/plugin-react';

/**
 * The files that take longest alone, slowest first (measured on this 2-core
 * machine). Without a cache of earlier runs, as on a fresh clone, vitest
 * starts larger files first, and these small files then start last and run
 * on alone for minutes after the rest is done. Started first, they run beside
 * everything else. A file missing here only loses that head start.
 */
export const SLOW_TEST_FILES = [
  'src/main/sync/kill.test.ts',
  'src/main/audit/crash.test.ts',
  'src/server/auth/authorization.test.ts',
  'src/shared/audit/bundleFastPaths.test.ts',
  'src/main/crossDevice/convergence.property.test.ts',
  'src/main/sync/engine.test.ts',
  'src/server/compliance/logEvidence.test.ts',
  'src/server/releaseDesk/releaseDesk.test.ts',
  'src/server/sync/pushChecker.test.ts',
  'src/server/readModels/readModels.test.ts',
  'src/server/log/tiles.test.ts',
  'src/server/log/concurrency.test.ts',
];

const NODE_TESTS = [
  'src/shared/**/*.test.ts',
  'src/main/**/*.test.ts',
  'src/server/**/*.test.ts',
  'bench/**/*.test.ts',
  'scripts/**/*.test.ts',
];

/**
 * Node test files that need module state no other file has touched, so they
 * keep a fresh worker each: the Electron main process test replaces modules
 * (vi.mock of electron, electron-log, electron-updater), and the event id
 * test expects the process-wide UUIDv7 clock (strictly increasing, never
 * back) not to have run ahead of the time it gives. Neither needs
 * PostgreSQL or the server bundle.
 */
const ISOLATED_NODE_TESTS = [
  'src/main/electron/main.test.ts',
  'src/main/audit/canonicalEvent.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = SLOW_TEST_FILES.findIndex((file) => spec.moduleId.endsWith(file));
      return at < 0 ? SLOW_TEST_FILES.length : at;
    };
    // Stable: every other file keeps vitest's order.
    return sorted
      .map((spec, index) => ({ spec, index, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

// Two projects: back end and shared code under Node, React components under jsdom.
export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker (cores - 1); most of this suite
    // waits on fsync, child processes, PostgreSQL and loopback HTTP, so files
    // side by side use the machine instead of leaving a core idle. Measured on
    // this 2-core machine, whole suite: 2 workers 271 s, 3 workers 241 s.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default', './scripts/reporters/vitestDurations.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          // Each worker runs file after file and loads a module once (the
          // server's Fastify app, zod schemas, Kysely, the console's
          // migrations), instead of a fresh process per file that loads them
          // all again. Tests here hold no module state that another file could
          // see: each opens its own databases, servers and temp folders, and
          // restores what it changes (process.env, spies); the files that
          // cannot are in node-isolated. Measured on this 2-core machine
          // (shared, loaded), CPU-s user+sys, same files isolated → not:
          // src/shared 21.6 → 12.7, src/server (58 files) 273 → 174.
          isolate: false,
          include: NODE_TESTS,
          exclude: [...configDefaults.exclude, ...ISOLATED_NODE_TESTS],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One PostgreSQL cluster and one bundle of the central server for the run,
          // instead of one per test file that needs it.
          globalSetup: ['scripts/vitestGlobalSetup.ts'],
        },
      },
      {
        test: {
          name: 'node-isolated',
          environment: 'node',
          include: ISOLATED_NODE_TESTS,
          testTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          // jsdom costs ~3 s to create, and the default pool creates it once per
          // file. vmThreads creates it once per worker and still runs each file
          // in a fresh VM context (own globals, own module instances), so no
          // store, i18n or query-cache state crosses files. Measured on this
          // 2-core machine, this project alone: 97 s with forks, 40 s with
          // vmThreads (isolate: false was 27 s but shares module state).
          pool: 'vmThreads',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
          // A bound for hangs, not a speed target: at load average 25-38 on the shared
          // machine, SignInScreen and DecisionForm tests took 6-12 s and failed vitest's
          // default 5 s, in the forks pool as in vmThreads.
          testTimeout: 30_000,
        },
      },
    ],
  },
});
