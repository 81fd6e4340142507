import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournalRows } from './verifyDatabase.ts';
import { seededRandom } from '../../shared/random.ts';
import { bundleChild, type ChildBundle } from '../testing/bundleChild.ts';

const KILLS = 200;
const CHILD_SOURCE = join(import.meta.dirname, 'testing', 'crashChild.ts');
/**
 * The child is the real code (openDatabase, migrations, createJournal) bundled
 * into one plain JS file first: starting it from .ts costs ~0.8 s of CPU
 * (type stripping and hundreds of module files), the bundle ~0.2 s, which is
 * what keeps 200 kills within about a minute and a half.
 */
let crashChild: ChildBundle;
/** The child alive right now, if any. */
let running: ChildProcess | null = null;

type Life = { acked: Map<number, string>; deviceId: string | null; stderr: string };

/**
 * Runs one child and kills it with SIGKILL at a moment chosen by `random`:
 * during start-up (module loading, opening, migrating), right when it is
 * ready, or after a random number of acknowledged commits; then a random
 * number of event-loop turns later, so the signal lands anywhere in a commit.
 */
function liveAndDie(file: string, childSeed: number, random: () => number): Promise<Life> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--no-warnings', crashChild.file, file, String(childSeed)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...crashChild.env },
      },
    );
    running = child;
    const acked = new Map<number, string>();
    let deviceId: string | null = null;
    let buffer = '';
    let stderr = '';
    let isKilling = false;
    const roll = random();
    const killAfterAcks = roll < 0.08 ? -1 : roll < 0.16 ? 0 : 1 + Math.floor(random() * 25);
    const extraTurns = Math.floor(random() * 30);
    const kill = () => {
      if (isKilling) return;
      isKilling = true;
      let turns = extraTurns;
      const next = () => {
        if (turns-- > 0) setImmediate(next);
        else child.kill('SIGKILL');
      };
      next();
    };
    child.on('spawn', () => {
      if (killAfterAcks === -1) kill();
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const [word, a, b, hash] = line.split(' ');
        if (word === 'ready') {
          deviceId = a ?? null;
          if (killAfterAcks === 0) kill();
        } else if (word === 'ack') {
          // A batch is acknowledged as a whole; its last hash pins every event before it.
          for (let seq = Number(a); seq < Number(b); seq++) acked.set(seq, '');
          acked.set(Number(b), hash!);
          if (acked.size >= killAfterAcks && killAfterAcks > 0) kill();
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL')
        reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
      else resolve({ acked, deviceId, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'crash-'));
beforeAll(async () => {
  crashChild = await bundleChild(CHILD_SOURCE);
}, 60_000);
afterAll(() => {
  // A failed or timed-out test would otherwise leave its child recording forever.
  running?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  crashChild?.dispose();
});

describe('crash safety', () => {
  it(`kill -9 at ${KILLS} random moments while recording: the database stays sound and nothing acknowledged is lost`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
    const random = seededRandom(seed);
    const file = join(dir, 'console.sqlite');
    const everAcked = new Map<number, string>();
    let deviceId: string | null = null;
    let previousCount = 0;
    let verified = { seq: 0, hash: '' };
    let totalEvents = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const life = await liveAndDie(file, Math.floor(random() * 2 ** 31), random);
      const where = `after kill ${kill} of ${KILLS} (rerun with CRASH_SEED=${seed})`;
      for (const [seq, hash] of life.acked) everAcked.set(seq, hash);
      if (!existsSync(file)) {
        expect(everAcked.size, `acknowledged events but no database ${where}`).toBe(0);
        continue;
      }
      const sqlite = new Database(file);
      try {
        expect(sqlite.pragma('quick_check', { simple: true }), `quick_check ${where}`).toBe('ok');
        const hasJournal =
          sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'journal'").get() !== undefined;
        if (!hasJournal) {
          expect(everAcked.size, `acknowledged events but no journal ${where}`).toBe(0);
          continue;
        }
        // The whole chain every 25 kills and at the end; in between, from the
        // last verified event on (whose hash must be unchanged).
        const isFullCheck = kill % 25 === 0 || kill === KILLS;
        const verdict = verifyJournalRows(sqlite, isFullCheck ? undefined : verified);
        expect(verdict, `chain ${where}`).toMatchObject({ ok: true });
        if (!verdict.ok) continue;
        deviceId ??= verdict.deviceId;
        expect(verdict.deviceId, `device id changed ${where}`).toBe(deviceId);
        expect(verdict.count, `events went missing ${where}`).toBeGreaterThanOrEqual(previousCount);
        const maxAcked = Math.max(0, ...everAcked.keys());
        expect(
          verdict.count,
          `acknowledged seq ${maxAcked} missing ${where}`,
        ).toBeGreaterThanOrEqual(maxAcked);
        const hashOf = sqlite.prepare('SELECT hash FROM journal WHERE seq = ?').pluck();
        for (const [seq, hash] of life.acked) {
          if (hash !== '')
            expect(hashOf.get(seq), `acknowledged event ${seq} changed ${where}`).toBe(hash);
        }
        // State and journal moved together: every event bumped exactly one counter.
        const hasState =
          sqlite
            .prepare("SELECT 1 FROM sqlite_master WHERE name = 'crash_terminal_counts'")
            .get() !== undefined;
        const stateEvents = hasState
          ? (sqlite
              .prepare('SELECT coalesce(sum(events), 0) FROM crash_terminal_counts')
              .pluck()
              .get() as number)
          : 0;
        expect(stateEvents, `state table disagrees with the journal ${where}`).toBe(verdict.count);
        previousCount = verdict.count;
        verified = { seq: verdict.count, hash: verdict.head };
        totalEvents = verdict.count;
      } finally {
        sqlite.close();
      }
    }
    expect(totalEvents).toBeGreaterThan(KILLS);
    // A bound for hangs on a shared, loaded machine (it took 6 min at load average 20), not a speed target.
  }, 900_000);
});
