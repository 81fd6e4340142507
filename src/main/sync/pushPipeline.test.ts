/**
 * The pipelined push: ordering rules on their own (a scripted sender: the
 * pipeline is pure ordering logic), then the real engine against the REAL
 * central server (a child process on 127.0.0.1) with two batches in flight and
 * the second one reaching the server first.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushResponse, type PushResponse } from '../../shared/sync/protocol.ts';
import { runPushPipeline, type PushOutcome } from './pushPipeline.ts';
import { readSyncState } from './state.ts';
import { readCentralLog } from './testing/centralLog.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { openTestConsole, type TestConsole } from './testing/console.ts';

/** A promise settled from outside, so a test decides in which order answers arrive. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const ACK = { ackSeq: 0 } as unknown as PushResponse;

describe('runPushPipeline', () => {
  it('keeps at most `depth` requests in flight and settles them in send order even when later answers come first', async () => {
    const answers = [0, 1, 2, 3].map(() => deferred<PushResponse>());
    let inFlight = 0;
    let maxInFlight = 0;
    let next = 0;
    const settled: number[] = [];
    const done = runPushPipeline<number>({
      depth: 2,
      prepare: () => (next < 4 ? next++ : null),
      send(batch) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return answers[batch]!.promise.finally(() => (inFlight -= 1));
      },
      settle(batch) {
        settled.push(batch);
        return 'next';
      },
      restart: () => undefined,
    });
    // Answers arrive 1, 0, 3, 2: the pipeline still settles 0, 1, 2, 3.
    answers[1]!.resolve(ACK);
    answers[0]!.resolve(ACK);
    await Promise.resolve();
    answers[3]!.resolve(ACK);
    answers[2]!.resolve(ACK);
    await done;
    expect(settled).toEqual([0, 1, 2, 3]);
    expect(maxInFlight).toBe(2);
  });

  it('a failure waits for every later request to answer before it stops the pipeline, and none of them is settled', async () => {
    const answers = [0, 1].map(() => deferred<PushResponse>());
    let next = 0;
    let isSecondAnswered = false;
    const settled: Array<{ batch: number; ok: boolean }> = [];
    const done = runPushPipeline<number>({
      depth: 2,
      prepare: () => (next < 2 ? next++ : null),
      send: (batch) => answers[batch]!.promise,
      settle(batch, outcome: PushOutcome) {
        settled.push({ batch, ok: outcome.ok });
        if (!outcome.ok) throw outcome.error;
        return 'next';
      },
      restart: () => undefined,
    });
    answers[0]!.reject(new Error('connection cut'));
    setTimeout(() => {
      isSecondAnswered = true;
      answers[1]!.resolve(ACK);
    }, 0);
    await expect(done).rejects.toThrow('connection cut');
    expect(isSecondAnswered).toBe(true);
    expect(settled).toEqual([{ batch: 0, ok: false }]);
  });

  it('resend discards what is in flight (after it answered) and prepares again from the restart point', async () => {
    let cursor = 0;
    const sent: number[] = [];
    let isFirstTry = true;
    await runPushPipeline<number>({
      depth: 2,
      prepare: () => (cursor < 3 ? cursor++ : null),
      send(batch) {
        sent.push(batch);
        return Promise.resolve(ACK);
      },
      settle(batch) {
        if (batch === 1 && isFirstTry) {
          isFirstTry = false;
          return 'resend';
        }
        return 'next';
      },
      restart() {
        cursor = 1;
      },
    });
    // 0 and 1 go out; 0 settles and 2 goes out; 1 asks for a resend: 2 is discarded, 1 and 2 go out again.
    expect(sent).toEqual([0, 1, 2, 1, 2]);
  });
});

describe('the engine pushes with two batches in flight against the real central server', () => {
  let root: string;
  let server: CentralServerProcess;
  let c: TestConsole | null = null;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'sync-pipeline-'));
    server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
  });
  afterEach(async () => {
    await c?.close();
    c = null;
    await server.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('a batch that reaches the server before the batch sent ahead of it is resent after that ack: every event once, the ack never goes back', async () => {
    let pushes = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const firstPushHeld = deferred<void>();
    const acks: number[] = [];
    // The first push is held back until the second one has been answered, as a slow link would.
    const fetchReordering: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const isPush = url.endsWith('/v1/events');
      if (!isPush) return fetch(input, init);
      const n = ++pushes;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (n === 1) await firstPushHeld.promise;
        const response = await fetch(input, init);
        const text = await response.text();
        if (response.ok) acks.push(pushResponse.parse(JSON.parse(text)).ackSeq);
        if (n === 2) firstPushHeld.resolve();
        return new Response(text, { status: response.status, headers: response.headers });
      } finally {
        inFlight -= 1;
      }
    };
    const dir = join(root, 'console');
    mkdirSync(dir, { recursive: true });
    c = await openTestConsole(dir, { batchSize: 100, fetch: fetchReordering });
    await c.engine.connect({ serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
    c.record(450);
    const ackedSeen: number[] = [];
    c.engine.onStatus(() => ackedSeen.push(readSyncState(c!.db)!.acked_seq));

    const outcome = await c.engine.syncOnce();

    expect(outcome).toMatchObject({ ok: true, pushed: 450 });
    expect(maxInFlight).toBe(2);
    // The second batch got 409 (the server had not seen the first), was resent, then accepted.
    expect(pushes).toBeGreaterThan(5);
    expect(acks).toEqual([100, 200, 300, 400, 450]);
    expect(ackedSeen).toEqual([...ackedSeen].sort((a, b) => a - b));
    const log = await readCentralLog(server.url, server.auditorToken!);
    expect(log.problems).toEqual([]);
    expect(log.perDevice.get(c.journal.deviceId)?.map((e) => e.seq)).toEqual(
      Array.from({ length: 450 }, (_, i) => i + 1),
    );
    expect(c.engine.status()).toMatchObject({
      pendingEvents: 0,
      lastError: null,
      treeHead: { size: log.size },
    });
  });
});
