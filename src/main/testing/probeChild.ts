/**
 * A child-process entry for bundleChild.test.ts: it uses a Node builtin, an
 * external native package and a worker thread started by URL, the three
 * things bundleChild rewrites. Prints one line of what it found, then exits.
 * Test-only code.
 */
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

const worker = new Worker(new URL('./probeWorker.ts', import.meta.url));
const answer = await new Promise<string>((resolve) =>
  worker.once('message', (message: string) => resolve(message)),
);
await worker.terminate();
const sqlite = new Database(':memory:');
const version = sqlite.prepare('SELECT sqlite_version()').pluck().get() as string;
sqlite.close();
process.stdout.write(`${typeof createServer} ${answer} ${version.split('.')[0]}\n`);
