/**
 * `siem.export1m` (events/s): the resumable SIEM exporter
 * (src/server/log/exportCli.ts, run as its own process) copies a
 * 1,000,000-entry central log from the real server over loopback into a
 * JSON Lines file, killed with SIGKILL once a third of the way and started
 * again; the file must then hold every index exactly once, in order (the
 * benchmark fails otherwise). Target ≥ 50,000 events/s over both runs. The
 * naive baseline pages the JSON entries API (1,000 per request) and appends
 * each event to the file with its own write, timed on 100,000 entries.
 */
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  watch,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { issueToken } from '../src/server/auth/tokens.ts';
import { startTestServer } from '../src/server/testing/harness.ts';
import { appendSyntheticEntries } from '../src/server/testing/syntheticLog.ts';
import { round, type Benchmark } from './types.ts';

const SIZE = 1_000_000;
const BASELINE_SIZE = 100_000;
const CLI = resolve(import.meta.dirname, '../src/server/log/exportCli.ts');

function runExporter(
  server: string,
  token: string,
  out: string,
  killAt: number | null,
): Promise<number | null> {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings', CLI, '--server', server, '--out', out],
    { env: { ...process.env, DEARPOS_AUDITOR_TOKEN: token }, stdio: 'ignore' },
  );
  const watcher =
    killAt === null
      ? null
      : watch(join(out, '..'), () => {
          if (!existsSync(`${out}.cursor`)) return;
          try {
            const { next } = JSON.parse(readFileSync(`${out}.cursor`, 'utf8')) as { next: number };
            if (next >= killAt) child.kill('SIGKILL');
          } catch {
            // the cursor is being replaced: look again at the next change
          }
        });
  return new Promise((r) =>
    child.on('exit', (code) => {
      watcher?.close();
      r(code);
    }),
  );
}

export const siemExport1m: Benchmark = {
  name: 'siem.export1m',
  description:
    'the resumable exporter copying 1,000,000 log entries to JSON Lines, killed -9 once and resumed vs paging the JSON entries API with a write per event',
  async run() {
    // Empty: no administrator bootstrapped, so the log holds exactly the synthetic entries.
    const t = await startTestServer({}, { isEmpty: true });
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-siem-'));
    try {
      await appendSyntheticEntries(t.server, SIZE, { batch: 20_000 });
      const token = await issueToken(t.server.store.db, 'auditor', {
        label: 'bench',
        now: new Date(),
      });
      const out = join(dir, 'log.jsonl');

      const start = performance.now();
      const first = await runExporter(t.url, token, out, SIZE / 3);
      const second = await runExporter(t.url, token, out, null);
      const seconds = (performance.now() - start) / 1000;
      if (first === 0) throw new Error('the first run finished before it could be killed');
      if (second !== 0) throw new Error(`the resumed run exited with ${second}`);

      let expected = 0;
      for await (const line of createInterface({ input: createReadStream(out) })) {
        const index = Number(line.slice('{"index":'.length, line.indexOf(',')));
        if (index !== expected)
          throw new Error(`line ${expected} holds index ${index}: missing or doubled`);
        expected++;
      }
      if (expected !== SIZE) throw new Error(`the file holds ${expected} of ${SIZE} entries`);

      const baseOut = join(dir, 'naive.jsonl');
      const baseStart = performance.now();
      for (let at = 0; at < BASELINE_SIZE; at += 1000) {
        const res = await fetch(`${t.url}/v1/log/entries?start=${at}&end=${at + 1000}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as { entries: Array<{ index: number; event: unknown }> };
        for (const e of body.entries) appendFileSync(baseOut, `${JSON.stringify(e)}\n`);
      }
      const baseline = BASELINE_SIZE / ((performance.now() - baseStart) / 1000);
      const rate = SIZE / seconds;
      return {
        name: 'siem.export1m',
        value: round(rate, 0),
        unit: 'events/s',
        baseline: round(baseline, 0),
        ratio: round(rate / baseline, 1),
        target: '≥ 50000 events/s, every entry exactly once after a kill -9',
        isTargetMet: rate >= 50_000,
        notes: `${SIZE} entries in ${round(seconds, 1)} s over two exporter processes (the first killed with SIGKILL past ${SIZE / 3}); file checked: indexes 0…${SIZE - 1}, each once; baseline timed on ${BASELINE_SIZE} entries`,
      };
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
