// `npm test`: every check, arranged for a 2-core machine. Each step starts as
// soon as what it needs is done, so no core waits on the slowest tool of a
// phase: lint (which holds the type check, scripts/lint.mjs), the browser-mode
// build and the vitest suite start together; the Playwright end-to-end tests
// start when lint and the build are done, beside the rest of vitest. Much of
// both suites waits rather than computes (child processes starting, fsync,
// PostgreSQL, a page settling), so side by side each fills the other's
// waits, and vitest's slowest files no longer finish alone with a core idle.
// A failed step starts nothing new. The output of a step that runs beside
// others is printed when it ends, never interleaved; vitest streams. At the
// end: when each step ran and the ten slowest test files.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireNode24 } from './checkNode.mjs';

requireNode24('npm test');

const root = join(import.meta.dirname, '..');
const durationsDir = join(root, 'test-output', 'durations');
rmSync(durationsDir, { recursive: true, force: true });

function run(script, { buffered }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: root,
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: process.env,
    });
    const chunks = [];
    if (buffered) {
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
    }
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      if (buffered) {
        process.stdout.write(
          `\n--- npm run ${script} (${seconds.toFixed(1)} s, exit ${code ?? signal})\n`,
        );
        process.stdout.write(Buffer.concat(chunks));
      }
      resolve({ script, code: code ?? 1, seconds });
    });
  });
}

/** Each step, what it waits for, and whether its output streams (one streaming step at a time). */
const STEPS = [
  // The type check is lint's (scripts/lint.mjs checks the three projects as `tsc -b` does, then
  // lints them on the same programs): a `typecheck` step of its own would check everything twice.
  { script: 'lint', after: [] },
  { script: 'build:web', after: [] },
  { script: 'test:unit', after: [], streams: true },
  { script: 'test:e2e:built', after: ['lint', 'build:web'] },
];

const runStarted = Date.now();
const timeline = [];
const failedSteps = [];

async function runAll() {
  const done = new Map(STEPS.map((step) => [step.script, Promise.withResolvers()]));
  await Promise.all(
    STEPS.map(async (step) => {
      const results = await Promise.all(step.after.map((name) => done.get(name).promise));
      if (failedSteps.length > 0 || results.some((ok) => !ok)) {
        done.get(step.script).resolve(false);
        return;
      }
      const startedAt = (Date.now() - runStarted) / 1000;
      console.log(`\n=== npm run ${step.script} (from ${startedAt.toFixed(0)} s)`);
      const result = await run(step.script, { buffered: !step.streams });
      timeline.push({ script: step.script, from: startedAt, seconds: result.seconds });
      if (result.code !== 0) failedSteps.push(step.script);
      done.get(step.script).resolve(result.code === 0);
    }),
  );
}

function readReports() {
  const reports = [];
  for (const runner of ['vitest', 'playwright']) {
    const file = join(durationsDir, `${runner}.json`);
    if (existsSync(file)) reports.push(JSON.parse(readFileSync(file, 'utf8')));
  }
  return reports;
}

function slowestFiles() {
  const all = [];
  for (const report of readReports())
    for (const [name, ms] of Object.entries(report.files)) all.push({ name, ms });
  return all.sort((a, b) => b.ms - a.ms).slice(0, 10);
}

function totals() {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const { counts } of readReports()) for (const k of Object.keys(t)) t[k] += counts[k];
  return t;
}

function summary() {
  console.log('\n=== When each step ran (seconds from the start)');
  for (const t of timeline)
    console.log(
      `  ${t.script.padEnd(16)} ${t.from.toFixed(0).padStart(5)} → ${(t.from + t.seconds).toFixed(0).padStart(5)}  (${t.seconds.toFixed(1)} s)`,
    );
  const slow = slowestFiles();
  if (slow.length > 0) {
    console.log('\n=== The ten slowest test files');
    for (const s of slow) console.log(`  ${(s.ms / 1000).toFixed(1).padStart(7)} s  ${s.name}`);
  }
}

await runAll();
if (failedSteps.length > 0) {
  summary();
  console.error(`\nnpm test failed in: ${failedSteps.map((f) => `npm run ${f}`).join(', ')}`);
  process.exit(1);
}
summary();
const { passed, failed, skipped } = totals();
console.log(`\nnpm test passed in ${((Date.now() - runStarted) / 1000).toFixed(0)} s`);
// The plain closing line CI reads: every vitest and Playwright test of the run.
console.log(`${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ''));
if (passed === 0) {
  console.error('npm test ran no test.');
  process.exit(1);
}
