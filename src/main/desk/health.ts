/**
 * Release health on the console: a desk's KPI reports and release health
 * pages (desk token, through the desk service's requests), and a store
 * console's chain-wide verdict of a release (device token). Each answer is
 * kept in `health_cache`; when the server cannot answer, the last copy is
 * returned with the time it was fetched and why it is not fresh. A refusal
 * (out of scope, bad filter) is never hidden behind a cached copy.
 */
import { kpiReport, type KpiReport } from '../../shared/kpis/definitions.ts';
import {
  releaseHealth,
  releaseVerdict,
  type ReleaseHealth,
  type ReleaseVerdict,
} from '../../shared/kpis/health.ts';
import { HEALTH_ROUTES } from '../../shared/kpis/protocol.ts';
import type { Fetched, KpiTrend } from '../../shared/contract/health.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';
import { readSyncState } from '../sync/state.ts';
import type { DeskService } from './service.ts';

const TIMEOUT_MS = 15_000;
const DAY_MS = 86_400_000;
/** A chart's bars: the period is cut into at most this many slices of whole days. */
const MAX_SLICES = 6;

type Kind = 'kpis' | 'release' | 'verdict';

export type HealthService = ReturnType<typeof createHealthService>;

export type KpiFilters = {
  release?: string | undefined;
  ring?: string | undefined;
  region?: string | undefined;
  store?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

/** The query string of a KPI request, its keys in a fixed order (it is also the cache key). */
function kpiQueryString(f: KpiFilters): string {
  const q = new URLSearchParams();
  for (const key of ['release', 'ring', 'region', 'store', 'from', 'to'] as const) {
    const value = f[key];
    if (value !== undefined && value !== '') q.set(key, value);
  }
  return q.toString();
}

export function createHealthService(deps: {
  db: Db;
  desk: Pick<DeskService, 'request'>;
  now: () => Date;
  fetch?: typeof fetch;
}) {
  const { db, desk, now } = deps;
  const doFetch = deps.fetch ?? fetch;

  function cached<T>(kind: Kind, key: string): { value: T; fetchedAt: string } | null {
    const row = db.sqlite
      .prepare('SELECT data, fetched_at FROM health_cache WHERE kind = ? AND key = ?')
      .get(kind, key) as { data: string; fetched_at: string } | undefined;
    return row ? { value: JSON.parse(row.data) as T, fetchedAt: row.fetched_at } : null;
  }

  /** Fetches, keeps the answer, or falls back to the kept copy when the server is unreachable. */
  async function fetched<T>(kind: Kind, key: string, load: () => Promise<T>): Promise<Fetched<T>> {
    try {
      const value = await load();
      const fetchedAt = now().toISOString();
      db.sqlite
        .prepare(
          `INSERT INTO health_cache (kind, key, data, fetched_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at`,
        )
        .run(kind, key, JSON.stringify(value), fetchedAt);
      // No db:changed here: the screens refetch on it, and each fetch writes this copy again.
      return { value, fetchedAt, isCached: false, error: null };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'unavailable') throw error;
      const kept = cached<T>(kind, key);
      return {
        value: kept?.value ?? null,
        fetchedAt: kept?.fetchedAt ?? null,
        isCached: kept !== null,
        error: error.message,
      };
    }
  }

  const report = async (f: KpiFilters): Promise<KpiReport> =>
    kpiReport.parse(await desk.request(`/v1/desk/kpis?${kpiQueryString(f)}`));

  /**
   * The report for the period (the server's default: the last 30 days), then
   * the same filters per slice of it, asked at once: each answer reads the
   * server's maintained aggregates, never the log.
   */
  function kpis(filters: KpiFilters): Promise<Fetched<KpiTrend>> {
    return fetched('kpis', kpiQueryString(filters), async () => {
      const whole = await report(filters);
      return { report: whole, slices: await slicesOf(whole.filters) };
    });
  }

  async function slicesOf(f: KpiReport['filters']): Promise<KpiTrend['slices']> {
    const start = Date.parse(f.from);
    const days = Math.round((Date.parse(f.to) - start) / DAY_MS) + 1;
    const count = Math.min(MAX_SLICES, days);
    const bounds = Array.from({ length: count }, (_, i) => {
      const first = start + Math.floor((i * days) / count) * DAY_MS;
      const last = start + (Math.floor(((i + 1) * days) / count) - 1) * DAY_MS;
      return {
        from: new Date(first).toISOString().slice(0, 10),
        to: new Date(last).toISOString().slice(0, 10),
      };
    });
    const base = {
      release: f.release ?? undefined,
      ring: f.ring ?? undefined,
      region: f.region ?? undefined,
      store: f.store ?? undefined,
    };
    const reports = await Promise.all(bounds.map((b) => report({ ...base, ...b })));
    return bounds.map((b, i) => ({ ...b, kpis: reports[i]!.kpis }));
  }

  function release(input: { releaseId: string }): Promise<Fetched<ReleaseHealth>> {
    return fetched('release', input.releaseId, async () =>
      releaseHealth.parse(
        await desk.request(
          HEALTH_ROUTES.deskReleaseHealth.url.replace(':id', encodeURIComponent(input.releaseId)),
        ),
      ),
    );
  }

  /** The verdict through the device token: what the chain says about the release before this store validates it. */
  function verdict(input: { releaseId: string }): Promise<Fetched<ReleaseVerdict>> {
    return fetched('verdict', input.releaseId, async () => {
      const state = readSyncState(db);
      if (!state)
        throw new AppError(
          'unavailable',
          'This console is not connected to a central server, so it cannot say how the release is doing elsewhere.',
        );
      const url = new URL(
        HEALTH_ROUTES.releaseVerdict.url.replace(':id', encodeURIComponent(input.releaseId)),
        state.server_url,
      );
      let res: Response;
      try {
        res = await doFetch(url, {
          headers: { authorization: `Bearer ${state.device_token}` },
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch {
        throw new AppError(
          'unavailable',
          `The central server at ${state.server_url} cannot be reached.`,
        );
      }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const message =
          (body as { message?: string } | null)?.message ??
          `The central server answered ${res.status}.`;
        // A release the server does not know yet, or a refused token: said as it is, never cached.
        throw new AppError(res.status >= 500 ? 'unavailable' : 'not_found', message, {
          code: (body as { code?: string } | null)?.code,
        });
      }
      return releaseVerdict.parse(body);
    });
  }

  return { kpis, release, verdict };
}
