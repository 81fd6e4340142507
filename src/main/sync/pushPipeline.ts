/**
 * Pipelined push (DESIGN.md §5): while the server checks and durably commits
 * one batch, the console already reads, serialises and signs the next one and
 * sends it, so the two machines work at the same time instead of taking turns.
 *
 * What keeps this safe under the protocol's seq rules:
 * - at most `depth` requests are in flight, sent in seq order;
 * - outcomes are settled strictly in the order the batches were sent, so the
 *   console's acknowledged seq only moves forward, one ack at a time, and only
 *   on an ack (which the server sends after its durable commit);
 * - when a batch fails, every batch sent after it is awaited and discarded,
 *   and sending resumes from what is acknowledged: the server acknowledges an
 *   already stored event again, so a resend never duplicates anything.
 */
import { assertNever } from '../../shared/errors.ts';
import type { PushResponse } from '../../shared/sync/protocol.ts';

/** Requests in flight at once. Two keep both sides busy; more only queue at the server's log lock. */
export const PUSH_PIPELINE_DEPTH = 2;

export type PushOutcome = { ok: true; ack: PushResponse } | { ok: false; error: unknown };

/**
 * What the caller decides after settling one batch: `next` carries on with
 * the batches in flight; `resend` discards them (after they answered) and
 * asks `prepare` again, which starts over from the acknowledged seq.
 */
export const PIPELINE_STEPS = ['next', 'resend'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

export type PushPipeline<B> = {
  depth: number;
  /** Reads and serialises the batch after the last one prepared; null when nothing is left. */
  prepare(): B | null;
  send(batch: B): Promise<PushResponse>;
  /** Called once per batch, in send order. Throwing stops the pipeline (after the rest answered). */
  settle(batch: B, outcome: PushOutcome): PipelineStep;
  /** Called before `prepare` runs again after a `resend`. */
  restart(): void;
};

export async function runPushPipeline<B>(pipeline: PushPipeline<B>): Promise<void> {
  const depth = Math.max(1, Math.floor(pipeline.depth));
  const inFlight: Array<{ batch: B; outcome: Promise<PushOutcome> }> = [];
  // Outcomes never reject: a failure is settled in its turn, not as an unhandled rejection.
  const launch = (batch: B) =>
    inFlight.push({
      batch,
      outcome: pipeline.send(batch).then(
        (ack): PushOutcome => ({ ok: true, ack }),
        (error: unknown): PushOutcome => ({ ok: false, error }),
      ),
    });
  const drain = async () => {
    await Promise.all(inFlight.map((f) => f.outcome));
    inFlight.length = 0;
  };
  try {
    for (;;) {
      while (inFlight.length < depth) {
        const batch = pipeline.prepare();
        if (batch === null) break;
        launch(batch);
      }
      const oldest = inFlight.shift();
      if (!oldest) return;
      const step = pipeline.settle(oldest.batch, await oldest.outcome);
      switch (step) {
        case 'next':
          break;
        case 'resend':
          await drain();
          pipeline.restart();
          break;
        default:
          assertNever(step, 'pipeline step');
      }
    }
  } finally {
    // Never leave a request behind: the next cycle must start from a quiet line.
    await drain();
  }
}
