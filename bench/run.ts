/**
 * `npm run bench`: runs every benchmark (each measures the real path and its
 * naive baseline in the same run), prints a table, and with `--json FILE`
 * writes `[{name, value, unit, baseline, ratio}]`.
 *
 *   npm run bench                         all benchmarks
 *   npm run bench -- --only journal,fleet names starting with these prefixes
 *   npm run bench -- --json bench.json    also write the figures as JSON
 *   npm run bench -- --markdown bench/RESULTS.md   and as a Markdown table (for the README)
 *
 * To add a benchmark: export a `Benchmark` (bench/types.ts) from a module in
 * bench/ and add it to BENCHMARKS below.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { checklistsAnswer } from './checklists.ts';
import { deskStoreStates } from './desk.ts';
import { deskProgression } from './progression.ts';
import { closeFleetFixture, fleetMatrix, fleetSummary } from './fleet.ts';
import { journalAppend } from './journalAppend.ts';
import { auditVerify } from './auditVerify.ts';
import { feedCatchup } from './feed.ts';
import { readModelsIngest, readModelsRebuild } from './readModels.ts';
import { serverIngest } from './serverIngest.ts';
import { syncConsoleSqlite } from './syncConsole.ts';
import { syncPushPostgres, syncPushSqlite } from './syncPush.ts';
import { round, type Benchmark, type BenchRecord, type BenchResult } from './types.ts';
import { webFleetReady } from './webFleetReady.ts';
import { webProgression } from './webProgression.ts';
import { webInbox } from './webInbox.ts';
import { webhooksDeliver10k } from './webhooks.ts';
import { kpis1mPostgres } from './kpis.ts';
import { logTiles1m } from './logTiles.ts';
import { siemExport1m } from './siemExport.ts';
import { feedbackSearch100kPostgres } from './feedbackSearch.ts';

export const BENCHMARKS: readonly Benchmark[] = [
  journalAppend,
  fleetSummary,
  fleetMatrix,
  webFleetReady,
  webProgression,
  webInbox,
  syncPushSqlite,
  syncPushPostgres,
  syncConsoleSqlite,
  feedCatchup,
  serverIngest,
  auditVerify,
  checklistsAnswer,
  readModelsIngest,
  readModelsRebuild,
  deskStoreStates,
  deskProgression,
  webhooksDeliver10k,
  kpis1mPostgres,
  logTiles1m,
  siemExport1m,
  feedbackSearch100kPostgres,
];

type Outcome = {
  benchmark: Benchmark;
  result: BenchResult | null;
  error: string | null;
  seconds: number;
};

function pad(text: string, width: number, alignRight = false): string {
  return alignRight ? text.padStart(width) : text.padEnd(width);
}

function table(outcomes: readonly Outcome[]): string {
  const header = ['benchmark', 'value', 'baseline', 'ratio', 'target', 'met'];
  const rows = outcomes.map(({ benchmark, result, error }) =>
    result === null
      ? [benchmark.name, 'error', '', '', '', `✗ ${error ?? ''}`]
      : [
          result.name,
          `${result.value} ${result.unit}`,
          `${result.baseline} ${result.unit}`,
          `${result.ratio}×`,
          result.target,
          result.isTargetMet ? '✓' : '✗',
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => pad(c, widths[i]!, i >= 1 && i <= 3)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { json: { type: 'string' }, markdown: { type: 'string' }, only: { type: 'string' } },
    allowPositionals: false,
  });
  const prefixes =
    values.only
      ?.split(',')
      .map((p) => p.trim())
      .filter(Boolean) ?? [];
  const selected = BENCHMARKS.filter(
    (b) => prefixes.length === 0 || prefixes.some((p) => b.name.startsWith(p)),
  );
  if (selected.length === 0) {
    process.stderr.write(
      `No benchmark matches --only ${values.only}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`,
    );
    return 2;
  }
  const outcomes: Outcome[] = [];
  try {
    for (const benchmark of selected) {
      process.stdout.write(`running ${benchmark.name}: ${benchmark.description}\n`);
      const start = performance.now();
      try {
        const result = await benchmark.run();
        outcomes.push({
          benchmark,
          result,
          error: null,
          seconds: (performance.now() - start) / 1000,
        });
        process.stdout.write(
          `  ${result.value} ${result.unit} (baseline ${result.baseline} ${result.unit}, ${result.ratio}×) ${result.isTargetMet ? 'meets' : 'MISSES'} ${result.target}\n  ${result.notes}\n`,
        );
      } catch (error) {
        // First line only: a stack or a browser's multi-line message would break the table.
        const message = (error instanceof Error ? error.message : String(error))
          .split('\n')[0]!
          .slice(0, 160);
        outcomes.push({
          benchmark,
          result: null,
          error: message,
          seconds: (performance.now() - start) / 1000,
        });
        process.stdout.write(`  failed: ${message}\n`);
      }
    }
  } finally {
    await closeFleetFixture();
  }
  process.stdout.write(`\n${table(outcomes)}\n`);
  // Timings mean little on a busy machine: say how busy it was.
  const [load1] = loadavg();
  process.stdout.write(
    `\n(${round(
      outcomes.reduce((s, o) => s + o.seconds, 0),
      0,
    )} s on node ${process.versions.node}, ${cpus().length} CPUs, load average ${round(load1 ?? 0, 1)}, ${new Date().toISOString()})\n`,
  );
  if (values.json) {
    const records: BenchRecord[] = outcomes.flatMap(({ result }) =>
      result === null
        ? []
        : [
            {
              name: result.name,
              value: result.value,
              unit: result.unit,
              baseline: result.baseline,
              ratio: result.ratio,
            },
          ],
    );
    writeFileSync(values.json, JSON.stringify(records, null, 2) + '\n');
    process.stdout.write(`wrote ${records.length} figures to ${values.json}\n`);
  }
  if (values.markdown) {
    writeFileSync(
      values.markdown,
      markdown(outcomes, `${cpus().length} CPUs, load average ${round(load1 ?? 0, 1)}`),
    );
    process.stdout.write(`wrote the table to ${values.markdown}\n`);
  }
  return outcomes.some((o) => o.result === null) ? 1 : 0;
}

function markdown(outcomes: readonly Outcome[], machine: string): string {
  const rows = outcomes.map(({ benchmark, result, error }) =>
    result === null
      ? `| \`${benchmark.name}\` | failed: ${error ?? ''} | | | | |`
      : `| \`${result.name}\` | ${result.value} ${result.unit} | ${result.baseline} ${result.unit} | ${result.ratio}× | ${result.target} | ${result.isTargetMet ? 'yes' : '**no**'} |`,
  );
  const notes = outcomes.map(
    ({ benchmark, result }) =>
      `- \`${benchmark.name}\`: ${benchmark.description}. ${result?.notes ?? ''}`,
  );
  return [
    '# Benchmark results',
    '',
    `Latest \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, node ${process.versions.node}, ${machine}). Each benchmark runs the real path and its naive baseline in the same run.`,
    '',
    '| benchmark | value | naive baseline | ratio | target | met |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows,
    '',
    ...notes,
    '',
  ].join('\n');
}

process.exitCode = await main();
