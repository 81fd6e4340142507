import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ApiEvents } from '#shared/contract/index.ts';
import { createTestApi, type ApiCall } from '../testing/renderWithApi.tsx';
import { progressionHeadKey } from '../features/releaseDesk/prefetch.ts';
import { seedQueryCache, startStartupCalls, type StartupCall } from './startupCalls.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('seedQueryCache', () => {
  it('an answer already in is in the cache before the first render, a call on its way lands when it answers, a failed one is left to the screen', async () => {
    const queryClient = new QueryClient();
    const late = deferred<{ total: number }>();
    const failed = Promise.reject(new Error('not signed in'));
    failed.catch(() => undefined);
    const calls: StartupCall[] = [
      {
        queryKey: ['session', 'status'],
        promise: Promise.resolve({ hasCatalog: true }),
        outcome: { ok: true, value: { hasCatalog: true } },
      },
      { queryKey: ['fleet', 'terminals', 0], promise: late.promise, outcome: null },
      { queryKey: ['fleet', 'matrix'], promise: failed, outcome: { ok: false } },
    ];

    seedQueryCache(queryClient, { calls });

    // Synchronously there: this is what lets the first render skip the loader.
    expect(queryClient.getQueryData(['session', 'status'])).toEqual({ hasCatalog: true });
    expect(queryClient.getQueryState(['fleet', 'terminals', 0])?.status).toBe('pending');
    // A failed call leaves no entry: the screen's own query asks again and shows its error.
    expect(queryClient.getQueryState(['fleet', 'matrix'])).toBeUndefined();

    late.resolve({ total: 50_000 });
    await queryClient.getQueryCache().find({ queryKey: ['fleet', 'terminals', 0] })?.promise;
    expect(queryClient.getQueryData(['fleet', 'terminals', 0])).toEqual({ total: 50_000 });
  });
});

describe('startStartupCalls', () => {
  it('opened on the release desk, asks for the desk connection, the releases and then the newest release’s first progression page, and nothing of the fleet', async () => {
    const calls: ApiCall[] = [];
    const api = createTestApi(
      {
        'session:status': () => ({}) as never,
        'desk:connection': () => ({
          isConnected: true,
          serverUrl: 'http://127.0.0.1:8787',
          deskId: 'desk-1',
          scope: 'all',
          role: 'release',
        }),
        'releases:list': () => [{ id: 'rel-5.0.0' }, { id: 'rel-4.4.0' }] as never,
        'releaseDesk:progression': () => ({}) as never,
      },
      calls,
    );
    const events: ApiEvents = { on: () => () => undefined };
    const startup = startStartupCalls({ api, events, kind: 'http' }, '#/release-desk');
    await startup.settled(1000);
    expect(calls.map((c) => c.channel).sort()).toEqual([
      'desk:connection',
      'releaseDesk:progression',
      'releases:list',
      'session:status',
    ]);
    expect(calls.find((c) => c.channel === 'releaseDesk:progression')?.input).toEqual({
      releaseId: 'rel-5.0.0',
      offset: 0,
      limit: 200,
    });
    // Under the very key the progression screen reads its first page with.
    expect(startup.calls.map((c) => c.queryKey)).toContainEqual(
      progressionHeadKey('rel-5.0.0', {
        ring: undefined,
        state: undefined,
        search: undefined,
      }),
    );
    expect(startup.calls.every((c) => c.outcome?.ok)).toBe(true);
  });
});
