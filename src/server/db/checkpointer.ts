/**
 * WAL checkpoints off the push path. SQLite's automatic checkpoint runs on the
 * connection that just committed, before the push's ack: copying ~30 MB of
 * WAL into the database and fsyncing it stalled every thirtieth 1,000-event
 * push by ~120 ms. A worker thread with its own connection checkpoints once
 * a second instead (PASSIVE: never in a writer's way), on the other core.
 * Once a second, not more often: each checkpoint fsyncs the database file and
 * rewrites the hot index pages, and at 100 ms the extra fsyncs and copies cost
 * more than they saved (sync.push100k.sqlite 4.1–4.8 s against 2.6–3.0 s).
 * The writer's auto-checkpoint stays on as a backstop with a high threshold.
 * Durability is unchanged: every commit still fsyncs the WAL (synchronous =
 * FULL), and a checkpoint only moves already durable frames.
 */
import { Worker } from 'node:worker_threads';

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(file: string, intervalMs = 1000): Checkpointer {
  const worker = new Worker(new URL('./checkpointWorker.ts', import.meta.url), {
    workerData: { file, intervalMs },
  });
  // A server that is shutting down (or a test that forgot to close) must not be kept alive by it.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    // Only a lost optimisation: the writer's backstop auto-checkpoint keeps the WAL bounded.
  });
  return {
    async stop() {
      // Referenced again while it stops: an unreferenced worker's exit would not keep the process waiting for it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
