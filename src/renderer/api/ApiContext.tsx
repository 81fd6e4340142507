import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ApiEvents } from '../../shared/contract/index.ts';
import type { Client, Transport } from './client.ts';
import { domainsForTables, queryKeys } from './queryKeys.ts';
import { useAppStore } from '../state/store.ts';

type ApiContextValue = {
  client: Client;
  events: ApiEvents;
  onConnection: Transport['onConnection'];
  /** Which transport: the desktop app can save through its dialogs, browser mode downloads. */
  kind?: Transport['kind'];
};

const ApiContext = createContext<ApiContextValue | null>(null);

/** Provides the client and wires back-end events to the query cache. */
export function ApiProvider(props: { value: ApiContextValue; children: ReactNode }) {
  const { value } = props;
  const queryClient = useQueryClient();
  const setBackendReachable = useAppStore((s) => s.setBackendReachable);

  useEffect(() => {
    const offChanged = value.events.on('db:changed', ({ tables }) => {
      for (const domain of domainsForTables(tables)) {
        void queryClient.invalidateQueries({ queryKey: [domain] });
      }
    });
    const offSync = value.events.on('sync:statusChanged', (status) => {
      queryClient.setQueryData(queryKeys.syncStatus(), status);
    });
    const offConnection = value.onConnection?.((isUp) => setBackendReachable(isUp));
    return () => {
      offChanged();
      offSync();
      offConnection?.();
    };
  }, [value, queryClient, setBackendReachable]);

  return <ApiContext.Provider value={value}>{props.children}</ApiContext.Provider>;
}

export function useApi(): Client {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi needs an ApiProvider above it.');
  return value.client;
}

/** Back-end events (`db:changed` is wired here already; a feature may listen to others). */
export function useApiEvents(): ApiEvents | null {
  return useContext(ApiContext)?.events ?? null;
}

/** 'electron' in the desktop app, 'http' in browser mode (and in tests that do not say). */
export function useTransportKind(): Transport['kind'] {
  const value = useContext(ApiContext);
  return value?.kind ?? 'http';
}
