/**
 * Child process for the crash-safety test: opens the real database with
 * openDatabase + createJournal and records changes (state table + journal
 * event in one transaction) as fast as it can, writing one line to stdout
 * after each commit is acknowledged, until the parent kills it with SIGKILL.
 *
 * Lines: `ready <deviceId>` once open, then `ack <firstSeq> <lastSeq> <hash of lastSeq>`.
 * usage: node crashChild.ts <database file> <seed>
 */
import { writeSync } from 'node:fs';
import { flushCompileCache } from 'node:module';
import { openDatabase } from '../../db/open.ts';
import { createLogger } from '../../log.ts';
import { createJournal, type Change } from '../journal.ts';
import { seededRandom } from '#shared/random.ts';

const [file, seedText] = process.argv.slice(2);
if (!file || !seedText) {
  process.stderr.write('usage: crashChild.ts <database file> <seed>\n');
  process.exit(2);
}

const random = seededRandom(Number(seedText) >>> 0);

// Half the lives checkpoint in the background almost from the start (a 64 KB
// WAL wakes it), so kills also land while a checkpoint is copying pages.
const checkpointAtBytes = random() < 0.5 ? 64 * 1024 : undefined;
const db = await openDatabase(file, { log: createLogger({ level: 'silent' }), checkpointAtBytes });
// A stand-in state table: one counter per terminal, advanced in the same
// transaction as each event, so the parent can prove state and journal agree.
db.sqlite.exec(
  'CREATE TABLE IF NOT EXISTS crash_terminal_counts (terminal_id TEXT PRIMARY KEY, events INTEGER NOT NULL, last_seq INTEGER NOT NULL) STRICT',
);
const bump = db.sqlite.prepare(
  `INSERT INTO crash_terminal_counts (terminal_id, events, last_seq) VALUES (?, 1, ?)
   ON CONFLICT (terminal_id) DO UPDATE SET events = events + 1, last_seq = excluded.last_seq`,
);
const journal = createJournal(db);
// Every life ends in SIGKILL, which never reaches the exit that writes Node's
// compile cache: written here, the next 199 starts reuse the compiled code.
flushCompileCache();
writeSync(1, `ready ${journal.deviceId}\n`);

function change(n: number): Change<'fleet.version.recorded', void> {
  const terminalId = `t${n % 7}`;
  return {
    type: 'fleet.version.recorded',
    storeId: 's1',
    actor: { userId: 'u-tech', role: 'technician' },
    payload: {
      terminalId,
      version: `1.${n}.0`,
      releaseId: 'r1',
      previousVersion: null,
      source: 'typed',
    },
    // The crash test's own counter table is no screen's concern: nothing to invalidate.
    tables: [],
    apply: (event) => {
      bump.run(terminalId, event.seq);
    },
  };
}

// Bounded so an orphaned child cannot run forever.
for (let n = 0; n < 20_000;) {
  const size = random() < 0.5 ? 1 : 1 + Math.floor(random() * 5);
  if (size === 1) {
    const { event } = journal.record(change(n));
    writeSync(1, `ack ${event.seq} ${event.seq} ${event.hash}\n`);
  } else {
    const events = journal.recordMany(Array.from({ length: size }, (_, i) => change(n + i)));
    writeSync(1, `ack ${events[0]!.seq} ${events.at(-1)!.seq} ${events.at(-1)!.hash}\n`);
  }
  n += size;
}
db.close();
