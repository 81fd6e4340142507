/**
 * Release health on the console, against a real central server: a desk
 * fetches the KPIs and a release's health page and keeps them; a store
 * console fetches the release's chain-wide verdict with its device token.
 * When the server is gone, each screen gets its last copy, with its age and
 * the reason; a refusal (outside the desk's scope) is never hidden by a copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetched, KpiTrend } from '../../shared/contract/health.ts';
import type { ReleaseHealth, ReleaseVerdict } from '../../shared/kpis/health.ts';
import { expectOk, MANAGER, startTestApp, SUPPORT, type TestApp } from '../app/testSupport.ts';
import { startFleet, type Fleet } from '../crossDevice/testing.ts';

const RELEASE = 'rel-5.0.0';

let fleet: Fleet;
let desk: TestApp;
let store: TestApp;

beforeAll(async () => {
  fleet = await startFleet();
  const res = await fetch(`${fleet.server.url}/v1/admin/desk-enrollment-codes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fleet.server.adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ scope: 'region:Europe', role: 'release' }),
  });
  expect(res.status).toBe(200);
  const { code } = (await res.json()) as { code: string };
  desk = await startTestApp({ dir: `${fleet.root}/desk`, sync: null, signInAs: SUPPORT });
  expectOk(
    await desk.dispatch('desk:connect', { serverUrl: fleet.server.url, enrollmentCode: code }),
  );
  store = await fleet.console('par', 'st-par-01');
  expectOk(await store.dispatch('session:signIn', MANAGER));
}, 60_000);
afterAll(async () => {
  await desk?.dispose();
  await fleet?.close();
});

describe('release health on the console', () => {
  it('shows the KPIs, the health page and the verdict, then the kept copies offline with their age', async () => {
    desk.clock.set('2026-12-07T10:00:00.000Z');
    store.clock.set('2026-12-07T10:00:00.000Z');
    const kpis = expectOk(
      await desk.dispatch('health:kpis', {
        release: RELEASE,
        from: '2026-01-01',
        to: '2026-12-31',
      }),
    ) as Fetched<KpiTrend>;
    expect(kpis).toMatchObject({
      isCached: false,
      error: null,
      fetchedAt: '2026-12-07T10:00:00.000Z',
    });
    expect(kpis.value!.report.filters).toMatchObject({ release: RELEASE, from: '2026-01-01' });
    expect(kpis.value!.report.kpis.map((k) => k.id)).toContain('change_failure_rate');
    // The charts' slices cover the period without gaps or overlaps, and add up to the whole.
    const slices = kpis.value!.slices;
    expect(slices).toHaveLength(6);
    expect(slices[0]!.from).toBe('2026-01-01');
    expect(slices.at(-1)!.to).toBe('2026-12-31');
    for (let i = 1; i < slices.length; i++)
      expect(Date.parse(slices[i]!.from) - Date.parse(slices[i - 1]!.to)).toBe(86_400_000);
    const noGo = (kpis: KpiTrend['report']['kpis']) =>
      kpis.find((k) => k.id === 'change_failure_rate')!.numerator;
    expect(slices.reduce((n, s) => n + noGo(s.kpis), 0)).toBe(noGo(kpis.value!.report.kpis));

    const health = expectOk(
      await desk.dispatch('health:release', { releaseId: RELEASE }),
    ) as Fetched<ReleaseHealth>;
    expect(health.value!.releaseId).toBe(RELEASE);
    expect(health.value!.rollout.storesInScope).toBeGreaterThan(0);

    const verdict = expectOk(
      await store.dispatch('health:verdict', { releaseId: RELEASE }),
    ) as Fetched<ReleaseVerdict>;
    expect(verdict.isCached).toBe(false);
    expect(verdict.value!.releaseId).toBe(RELEASE);
    expect(['healthy', 'watch', 'act']).toContain(verdict.value!.verdict.verdict);

    // Outside the desk's scope: refused with the server's code, whatever is kept.
    const outside = await desk.dispatch('health:kpis', { store: 'st-nyc-01' });
    expect(outside.ok).toBe(false);
    if (!outside.ok) expect(outside.error.code).toBe('forbidden');
    // Bad input is refused before anything is asked.
    const backwards = await desk.dispatch('health:kpis', { from: '2026-02-01', to: '2026-01-01' });
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.error.code).toBe('invalid_input');

    await fleet.server.kill();
    desk.clock.set('2026-12-07T12:00:00.000Z');
    const offline = expectOk(
      await desk.dispatch('health:kpis', {
        release: RELEASE,
        from: '2026-01-01',
        to: '2026-12-31',
      }),
    ) as Fetched<KpiTrend>;
    expect(offline).toMatchObject({
      value: kpis.value,
      fetchedAt: '2026-12-07T10:00:00.000Z',
      isCached: true,
    });
    expect(offline.error).toMatch(/cannot be reached/);
    const offlineHealth = expectOk(
      await desk.dispatch('health:release', { releaseId: RELEASE }),
    ) as Fetched<ReleaseHealth>;
    expect(offlineHealth).toMatchObject({ value: health.value, isCached: true });
    const offlineVerdict = expectOk(
      await store.dispatch('health:verdict', { releaseId: RELEASE }),
    ) as Fetched<ReleaseVerdict>;
    expect(offlineVerdict).toMatchObject({
      value: verdict.value,
      isCached: true,
      fetchedAt: '2026-12-07T10:00:00.000Z',
    });
    // Never fetched: nothing to show, and the reason.
    const never = expectOk(
      await desk.dispatch('health:release', { releaseId: 'rel-4.9.0' }),
    ) as Fetched<ReleaseHealth>;
    expect(never).toMatchObject({ value: null, fetchedAt: null, isCached: false });
    expect(never.error).toMatch(/cannot be reached/);
  });
});
