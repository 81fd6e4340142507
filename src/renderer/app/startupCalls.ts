/**
 * The console's first back-end calls, sent before the rest of the renderer
 * is evaluated. main.tsx imports ./startup.ts first, so its top level runs
 * before React, Mantine and the screens are evaluated (a few hundred ms of a
 * cold start on a slow machine): the answers travel meanwhile, and the
 * first render finds them in the query cache (seedQueryCache) instead of
 * rendering a loader, then asking, then rendering again.
 *
 * Keep this module's imports small: everything it imports is evaluated
 * before the calls go out.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { createClient, type Client, type Transport } from '../api/client.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { fleetStartupQueries, isFleetLanding } from '../features/fleet/prefetch.ts';
import {
  isReleaseDeskLanding,
  releaseDeskStartupQueries,
} from '../features/releaseDesk/prefetch.ts';

/** A query the landing screen will make, described so it can be sent early. */
export type StartupQuery = {
  queryKey: QueryKey;
  queryFn: () => Promise<unknown>;
  /** Queries its answer makes possible (the release desk's first page needs the newest release's id), sent as soon as it is in. */
  next?: (value: unknown) => StartupQuery[];
};

export type StartupCall = {
  queryKey: QueryKey;
  promise: Promise<unknown>;
  /** Set once the answer is in; a failed call is left to the screen, which asks again and shows the error. */
  outcome: { ok: true; value: unknown } | { ok: false } | null;
};

export type Startup = {
  transport: Transport;
  client: Client;
  calls: StartupCall[];
  /** Resolves when every call has its answer, or after `maxWaitMs`, whichever comes first. */
  settled: (maxWaitMs: number) => Promise<void>;
};

export function startStartupCalls(transport: Transport, hash: string): Startup {
  const client = createClient(transport.api);
  const queries: StartupQuery[] = [
    { queryKey: queryKeys.sessionStatus(), queryFn: () => client['session:status']({}) },
  ];
  if (isFleetLanding(hash)) queries.push(...fleetStartupQueries(client));
  if (isReleaseDeskLanding(hash)) queries.push(...releaseDeskStartupQueries(client));
  const calls: StartupCall[] = [];
  // Settles with the call and every call its answer led to.
  const send = (query: StartupQuery): Promise<unknown> => {
    const call: StartupCall = { queryKey: query.queryKey, promise: query.queryFn(), outcome: null };
    calls.push(call);
    return call.promise.then(
      (value) => {
        call.outcome = { ok: true, value };
        return Promise.allSettled((query.next?.(value) ?? []).map(send));
      },
      () => (call.outcome = { ok: false }),
    );
  };
  const all = Promise.allSettled(queries.map(send)).then(() => undefined);
  return {
    transport,
    client,
    calls,
    settled: (maxWaitMs) =>
      Promise.race([all, new Promise<void>((done) => setTimeout(done, maxWaitMs))]),
  };
}

/** How long the first render waits for the startup answers: past this, a slow back end gets loading skeletons instead. */
export const STARTUP_WAIT_MS = 500;

/**
 * Puts the answers already in into the cache (the first render shows them at
 * once) and hands the calls still on their way to the cache as they are, so
 * no call is sent twice.
 */
export function seedQueryCache(queryClient: QueryClient, startup: Pick<Startup, 'calls'>): void {
  for (const call of startup.calls) {
    if (call.outcome?.ok) queryClient.setQueryData(call.queryKey, call.outcome.value);
    else if (call.outcome === null)
      void queryClient.prefetchQuery({ queryKey: call.queryKey, queryFn: () => call.promise });
  }
}
