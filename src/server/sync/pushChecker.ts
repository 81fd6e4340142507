/**
 * Where a push's database-free checks run (checkPush.ts). Small pushes are
 * checked inline: a one-event push should not pay a thread round trip. Large
 * ones go to one worker thread, so while the main thread commits a push, the
 * next one (the console keeps two in flight) is parsed and hashed beside it.
 * Both ways give the same answer: the same function runs, and a refusal
 * crosses the thread as {code, message, extra} and is rebuilt as the same
 * ServerError.
 *
 * One worker, not a pool: the main thread's transaction is the other half of
 * each push, and the machine this targets has two cores. A worker that dies
 * fails the requests it held (500 `internal`, nothing stored: the check
 * precedes every write) and the next large push starts a fresh one.
 */
import { Worker } from 'node:worker_threads';
import type { ErrorExtra } from '../errors.ts';
import { ServerError } from '../errors.ts';
import type { ProtocolErrorCode } from '../../shared/sync/protocol.ts';
import { checkPushBody, type CheckedPush, type PushPrincipal } from './checkPush.ts';

/** Pushes at least this large (bytes of body) are checked on the worker by default. */
const DEFAULT_INLINE_BELOW_BYTES = 64 * 1024;

export type CheckRequest = { id: number; body: Uint8Array; principal: PushPrincipal };
export type CheckReply =
  | { id: number; ok: true; checked: CheckedPush }
  | {
      id: number;
      ok: false;
      refusal: { code: ProtocolErrorCode; message: string; extra: ErrorExtra };
    }
  | { id: number; ok: false; failure: string };
/** The worker's first message, once its modules are loaded. */
export type WorkerReady = { ready: true };

export type PushCheckOptions = {
  /** Bodies shorter than this are checked on the main thread (0: every push goes to the worker; Infinity: none). */
  inlineBelowBytes?: number;
  /** The worker's module; tests substitute one that crashes. */
  workerUrl?: URL;
};

export type PushChecker = {
  check(body: Uint8Array, principal: PushPrincipal): Promise<CheckedPush>;
  /**
   * Resolves once the worker has loaded its modules (~0.5 s of CPU), so the
   * server starts answering with its worker ready; rejects if it cannot start.
   */
  ready(): Promise<void>;
  /** Stops the worker; pending checks fail. */
  close(): Promise<void>;
};

/**
 * PUSH_CHECK_INLINE_BELOW_BYTES: pushes smaller than this many bytes of body
 * are checked on the main thread (default 65536). `Infinity` checks every push
 * there and starts no worker thread: for a host with one core, where the thread
 * runs beside nothing and its start (~0.1 s of CPU, its modules) is a loss.
 * Anything else stops the start with the reason.
 */
export function pushCheckFromEnv(
  text = process.env.PUSH_CHECK_INLINE_BELOW_BYTES,
): PushCheckOptions {
  if (text === undefined || text === '') return {};
  const bytes = text === 'Infinity' ? Infinity : /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(bytes))
    throw new Error(
      `PUSH_CHECK_INLINE_BELOW_BYTES must be a whole number of bytes or Infinity, not ${text}`,
    );
  return { inlineBelowBytes: bytes };
}

type Pending = { resolve: (c: CheckedPush) => void; reject: (e: Error) => void };

export function createPushChecker(options: PushCheckOptions = {}): PushChecker {
  const inlineBelow = options.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES;
  const workerUrl = options.workerUrl ?? new URL('./checkWorker.ts', import.meta.url);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  let worker: Worker | null = null;

  function failAll(reason: string): void {
    const waiting = [...pending.values()];
    pending.clear();
    for (const p of waiting) p.reject(new Error(reason));
  }

  let started: Promise<void> = Promise.resolve();

  function start(): Worker {
    const w = new Worker(workerUrl);
    // Never what keeps the process alive: the HTTP server is.
    w.unref();
    started = new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('exit', (exitCode) =>
        reject(new Error(`The push check worker stopped while starting (exit code ${exitCode}).`)),
      );
    });
    // Not every start is awaited (a replacement is waited for by its first check).
    started.catch(() => undefined);
    w.on('message', (reply: CheckReply | WorkerReady) => {
      if ('ready' in reply) return;
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.checked);
      else if ('refusal' in reply)
        p.reject(new ServerError(reply.refusal.code, reply.refusal.message, reply.refusal.extra));
      else p.reject(new Error(`The push check worker failed: ${reply.failure}`));
    });
    let crash = '';
    w.on('error', (error: Error) => {
      // An uncaught error in the worker; 'exit' follows and fails what it held.
      crash = `: ${error.message}`;
    });
    w.on('exit', (exitCode) => {
      // The next large push starts a fresh worker (lazily: a worker that
      // cannot even start must not respawn in a loop).
      if (worker === w) worker = null;
      failAll(`The push check worker stopped (exit code ${exitCode})${crash}.`);
    });
    return w;
  }

  if (inlineBelow !== Infinity) worker = start();

  return {
    check(body, principal) {
      if (body.byteLength < inlineBelow || closed) {
        return Promise.resolve().then(() => checkPushBody(body, principal));
      }
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise<CheckedPush>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const request: CheckRequest = { id, body, principal };
        // The body is copied (Fastify's buffer may share a pooled slab).
        w.postMessage(request);
      });
    },
    ready() {
      return started;
    },
    async close() {
      if (closed) return;
      closed = true;
      const w = worker;
      worker = null;
      // Failed before terminating, so no answer still in flight can settle them.
      failAll('The server is closing.');
      if (w) await w.terminate();
    },
  };
}
