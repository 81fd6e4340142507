/**
 * Release health channels (console side). A desk reads the chain's KPIs and
 * one release's health page from the central server; a store console reads
 * the chain-wide verdict of the release its people are about to validate.
 * Every answer is kept on the console, so offline the last copy is shown
 * with the time it was fetched and why it could not be refreshed.
 */
import { z } from 'zod';
import { kpiQuery, type KpiReport } from '../kpis/definitions.ts';
import type { ReleaseHealth, ReleaseVerdict } from '../kpis/health.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { id } from './schemas.ts';

/** A fetched answer, or the cached copy when the server could not give one. */
export type Fetched<T> = {
  /** null: never fetched, and the server could not be reached now. */
  value: T | null;
  /** When `value` was fetched from the central server. */
  fetchedAt: string | null;
  /** True when the server could not answer and `value` is the cached copy. */
  isCached: boolean;
  /** Why the refresh failed; null when `value` is fresh. */
  error: string | null;
};

/** The KPI report for the whole period, and the same KPIs per slice of it, oldest first (the charts). */
export type KpiTrend = {
  report: KpiReport;
  slices: Array<{ from: string; to: string; kpis: KpiReport['kpis'] }>;
};

export const healthContract = {
  /** The desk's KPIs for release, ring, region, store and period (the server checks the desk's scope), and per slice. */
  'health:kpis': call<Fetched<KpiTrend>>()({
    input: kpiQuery,
    access: CHANNEL_ACCESS['health:kpis'],
  }),
  /** One release's health in the desk's scope: rollout, KPIs beside the previous release, open bugs, verdict. */
  'health:release': call<Fetched<ReleaseHealth>>()({
    input: z.object({ releaseId: id }).strict(),
    access: CHANNEL_ACCESS['health:release'],
  }),
  /** A store console: the chain-wide verdict of a release, through the device token. */
  'health:verdict': call<Fetched<ReleaseVerdict>>()({
    input: z.object({ releaseId: id }).strict(),
    access: 'signedIn',
  }),
} as const;
