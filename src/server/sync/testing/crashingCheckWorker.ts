/**
 * Test double of the check worker: a body that contains the word "crash"
 * kills the worker thread mid-request; every other body is checked by the real
 * worker code, which this module loads after installing its own listener.
 */
import { parentPort } from 'node:worker_threads';
import type { CheckRequest } from '../pushChecker.ts';

parentPort?.on('message', (request: CheckRequest) => {
  if (Buffer.from(request.body).toString('utf8').includes('crash')) process.exit(7);
});
await import('../checkWorker.ts');
