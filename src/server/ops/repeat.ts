/**
 * A background task run again `intervalMs` after each run ends (never two at
 * once, however long a run takes), on unref'd timers so it never keeps the
 * process alive; `stop()` waits for a run in flight, so a shutdown finishes
 * what was started. The webhook worker and the communication scheduler tick
 * this way.
 */
export type RepeatingTask = {
  start(intervalMs: number): void;
  stop(): Promise<void>;
};

export function repeating(
  runOnce: () => Promise<unknown>,
  onError: (error: unknown) => void,
): RepeatingTask {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let isStopped = false;
  return {
    start(intervalMs) {
      isStopped = false;
      const tick = () => {
        running = runOnce()
          .catch(onError)
          .finally(() => {
            running = null;
            if (!isStopped) {
              timer = setTimeout(tick, intervalMs);
              timer.unref();
            }
          });
      };
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
