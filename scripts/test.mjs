// `npm test`: every check, arranged for a 2-core machine. Lint, typecheck and
// the browser-mode build are single-threaded tools, so they run side by side;
// then the vitest suite (three workers), then the Playwright end-to-end tests.
// Output of the parallel phase is printed per step when it ends, never
// interleaved. At the end: each phase's time and the ten slowest test files.
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

const phases = [];
async function phase(name, scripts) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${scripts.join(', ')}`);
  const results = await Promise.all(scripts.map((s) => run(s, { buffered: scripts.length > 1 })));
  phases.push({ name, seconds: (Date.now() - started) / 1000 });
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length > 0) {
    summary();
    console.error(`\nnpm test failed in: ${failed.map((f) => `npm run ${f.script}`).join(', ')}`);
    process.exit(1);
  }
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
  console.log('\n=== Time per phase');
  for (const p of phases)
    console.log(`  ${p.name.padEnd(28)} ${p.seconds.toFixed(1).padStart(7)} s`);
  const slow = slowestFiles();
  if (slow.length > 0) {
    console.log('\n=== The ten slowest test files');
    for (const s of slow) console.log(`  ${(s.ms / 1000).toFixed(1).padStart(7)} s  ${s.name}`);
  }
}

const started = Date.now();
await phase('static checks and build', ['lint', 'typecheck', 'build:web']);
await phase('unit and integration', ['test:unit']);
await phase('end-to-end', ['test:e2e:built']);
summary();
const { passed, failed, skipped } = totals();
console.log(`\nnpm test passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
// The plain closing line CI reads: every vitest and Playwright test of the run.
console.log(`${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : ''));
if (passed === 0) {
  console.error('npm test ran no test.');
  process.exit(1);
}
