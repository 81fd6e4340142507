import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { seedQueryCache, type StartupCall } from './startupCalls.ts';

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
