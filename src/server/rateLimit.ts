/**
 * Rate limits (@fastify/rate-limit, in onRequest before any body is read).
 * The key is who the caller is, never what it claims: the authenticated
 * principal (a device, or an admin or auditor token), and for everything
 * unauthenticated, failed authentication included, the caller's address.
 * So a fresh random token per request still lands in its address's bucket.
 * Buckets live in a bounded LRU (the plugin's LocalStore): when it is full
 * the least recently seen key goes, never everyone's at once.
 *
 * In-process: with several server processes each enforces its own share,
 * which is enough to stop a runaway console from starving the others.
 */
import type { FastifyRequest } from 'fastify';

export type RateLimitOptions = {
  /** Sustained requests per second per key. */
  perSecond: number;
  /** Requests per key per window; the window is burst / perSecond seconds. */
  burst: number;
  /** Keys remembered at once (LRU). */
  cacheSize?: number;
};

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  perSecond: 50,
  burst: 200,
  cacheSize: 20_000,
};

/** The bucket a request counts against. */
export function rateLimitKey(request: FastifyRequest): string {
  const p = request.principal;
  if (p?.kind === 'device') return `device:${p.deviceId}`;
  if (p) return `${p.kind}:${p.tokenHash}`;
  return `ip:${request.ip}`;
}

/** The plugin's max and timeWindow (ms) for these options. */
export function rateLimitWindow(options: RateLimitOptions): { max: number; timeWindow: number } {
  return {
    max: Math.max(1, Math.floor(options.burst)),
    timeWindow: Math.max(1, Math.round((options.burst / options.perSecond) * 1000)),
  };
}
