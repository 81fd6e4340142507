/**
 * Feature requests across stores: Lyon files one; Paris's console fetches
 * the chain's open requests after its sync (GET /v1/feedback/requests) and
 * keeps them, so while someone in Paris types, the form suggests Lyon's
 * request, from the cache, with the server down too. Paris votes instead of
 * filing a duplicate (once: a second vote records nothing), sees it in Our
 * reports, and after both consoles sync the chain counts two stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OurFeatureRequest, RequestSuggestion } from '../../shared/feedback/types.ts';
import { expectOk, TECH, type TestApp } from '../app/testSupport.ts';
import { startFleet, syncNow, type Fleet } from './testing.ts';

let fleet: Fleet;
let paris: TestApp;
let lyon: TestApp;

const suggest = async (app: TestApp, text: string) =>
  expectOk(await app.dispatch('feedback:suggestRequests', { text })) as RequestSuggestion[];
const journalSize = (app: TestApp) =>
  app.db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get() as number;

beforeAll(async () => {
  fleet = await startFleet();
  paris = await fleet.console('paris', 'st-par-01');
  lyon = await fleet.console('lyon', 'st-lyo-01');
  for (const app of [paris, lyon]) expectOk(await app.dispatch('session:signIn', TECH));
}, 90_000);
afterAll(async () => {
  await fleet.close();
});

describe("another store's feature request", () => {
  it('is suggested from the cache while typing, offline too, and the store votes instead of filing a duplicate', async () => {
    const filed = expectOk(
      await lyon.dispatch('feedback:fileFeatureRequest', {
        title: 'Split payment between card and cash',
        description: 'Our customers in Lyon ask for it at the till.',
        category: 'payments',
      }),
    ) as { id: string };
    await syncNow(lyon);
    // Before Paris's sync it does not know the request.
    expect(await suggest(paris, 'split pay')).toEqual([]);
    await syncNow(paris);
    const cached = paris.db.sqlite.prepare('SELECT * FROM chain_feature_requests').all();
    expect(cached).toEqual([
      expect.objectContaining({ id: filed.id, votes: 1, has_our_vote: 0, status: 'open' }),
    ]);
    // Lyon's words stay with Lyon: only the title, status and votes travel.
    expect(JSON.stringify(cached)).not.toContain('customers in Lyon');

    // Suggestions read the cache only: they work with the central server gone.
    await fleet.server.kill();
    expect(await suggest(paris, 'cash splitting')).toEqual([
      {
        id: filed.id,
        title: 'Split payment between card and cash',
        status: 'open',
        votes: 1,
        hasOurVote: false,
      },
    ]);
    expect(
      expectOk(await paris.dispatch('feedback:voteFeatureRequest', { requestId: filed.id })),
    ).toEqual({ id: filed.id, isNewVote: true });
    const afterVote = journalSize(paris);
    expect(
      expectOk(await paris.dispatch('feedback:voteFeatureRequest', { requestId: filed.id })),
    ).toEqual({ id: filed.id, isNewVote: false });
    expect(await suggest(paris, 'split pay')).toEqual([
      expect.objectContaining({ id: filed.id, votes: 2, hasOurVote: true }),
    ]);
    const ours = expectOk(await paris.dispatch('feedback:ourReports', {})) as {
      requests: OurFeatureRequest[];
    };
    expect(ours.requests).toEqual([
      expect.objectContaining({
        id: filed.id,
        title: 'Split payment between card and cash',
        status: 'open',
        votes: 2,
        isFiledByUs: false,
      }),
    ]);
    // A request this console has never seen is refused, and nothing is recorded.
    expect(
      await paris.dispatch('feedback:voteFeatureRequest', { requestId: 'req-unknown' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(journalSize(paris)).toBe(afterVote);
  });
});
