/**
 * The check worker's thread: runs checkPushBody for the main thread
 * (pushChecker.ts) so a large push is parsed, shape-checked, hashed and
 * leaf-hashed while the main thread commits the push before it.
 * Node runs this .ts file through type stripping (execArgv is inherited).
 */
import { parentPort } from 'node:worker_threads';
import { ServerError } from '../errors.ts';
import { checkPushBody } from './checkPush.ts';
import type { CheckReply, CheckRequest, WorkerReady } from './pushChecker.ts';

const port = parentPort;
if (port === null) throw new Error('checkWorker.ts runs only as a worker thread.');

port.on('message', (request: CheckRequest) => {
  let reply: CheckReply;
  try {
    const checked = checkPushBody(request.body, request.principal);
    reply = { id: request.id, ok: true, checked };
    // The leaf hashes travel as a transferred buffer, not a copy.
    port.postMessage(reply, [checked.leaves.buffer]);
    return;
  } catch (error) {
    reply =
      error instanceof ServerError
        ? {
            id: request.id,
            ok: false,
            refusal: { code: error.code, message: error.message, extra: error.extra },
          }
        : { id: request.id, ok: false, failure: String((error as Error).stack ?? error) };
  }
  port.postMessage(reply);
});

// Every module is loaded: the server may take pushes (pushChecker.ready()).
port.postMessage({ ready: true } satisfies WorkerReady);
