/**
 * A console process that only syncs, for kill -9 tests: it opens the console's
 * data folder, runs sync cycles until nothing is pending, and prints its
 * progress (`acked <seq>`, then `done`) so the parent can kill it mid-sync.
 * Usage: node --experimental-strip-types syncChild.ts <dataDir> <batchSize>
 * Test-only code.
 */
import { flushCompileCache } from 'node:module';
import { setTimeout as wait } from 'node:timers/promises';
import { readSyncState } from '../state.ts';
import { openTestConsole } from './console.ts';

const [dir, batch] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: syncChild.ts <dataDir> <batchSize>\n');
  process.exit(2);
}
const c = await openTestConsole(dir, { batchSize: Number(batch ?? 100), timeoutMs: 10_000 });
if (!readSyncState(c.db)) {
  process.stderr.write('this console is not enrolled\n');
  process.exit(4);
}
let lastAcked = -1;
c.engine.onStatus(() => {
  const acked = readSyncState(c.db)?.acked_seq ?? 0;
  if (acked !== lastAcked) {
    lastAcked = acked;
    process.stdout.write(`acked ${acked}\n`);
  }
});
// Nearly every run ends in SIGKILL, which never reaches the exit that writes
// Node's compile cache: written here, the next starts reuse the compiled code.
flushCompileCache();
process.stdout.write('started\n');
for (;;) {
  const outcome = await c.engine.syncOnce();
  if (outcome.ok && c.engine.status().pendingEvents === 0) break;
  if (!outcome.ok && c.engine.status().alarm) {
    process.stdout.write(`alarm ${c.engine.status().alarm}\n`);
    process.exit(3);
  }
  // The server may be restarting: retry soon (the real loop uses backoff).
  if (!outcome.ok) await wait(25);
}
process.stdout.write('done\n');
await c.close();
