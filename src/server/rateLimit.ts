/**
 * A token bucket per caller (token hash, or address when there is no token).
 * In-process: with several server processes each enforces its own share,
 * which is enough to stop a runaway console from starving the others.
 */
export type RateLimitOptions = { perSecond: number; burst: number };

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 50, burst: 200 };

export type RateLimiter = {
  /** 0 when allowed; otherwise the seconds to wait before retrying. */
  take(key: string, nowMs: number): number;
};

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, nowMs) {
      const b = buckets.get(key) ?? { tokens: options.burst, at: nowMs };
      b.tokens = Math.min(options.burst, b.tokens + ((nowMs - b.at) / 1000) * options.perSecond);
      b.at = nowMs;
      if (buckets.size > 100_000) buckets.clear(); // bound memory against address spraying
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / options.perSecond));
    },
  };
}
