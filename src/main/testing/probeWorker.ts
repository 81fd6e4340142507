/** The worker thread probeChild.ts starts: answers with one word. Test-only code. */
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage('worker-ok');
