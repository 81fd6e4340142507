/**
 * Renders a screen with the app's providers (Mantine, TanStack Query, the
 * API context) over a small in-memory back end: the channels a test names
 * answer with what it gives; any other channel answers `unavailable`, so a
 * screen calling something unexpected shows it instead of hanging.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { Api, ApiEvents, Channel, Contract } from '../../shared/contract/index.ts';
import type { InputOf, OutputOf } from '../../shared/contract/define.ts';
import { ApiProvider } from '../api/ApiContext.tsx';
import { createClient } from '../api/client.ts';
import { theme } from '../app/theme.ts';
import { renderWithMantine } from './renderWithMantine.tsx';

export type TestHandlers = {
  [C in Channel]?: (
    input: InputOf<Contract[C]>,
  ) => OutputOf<Contract[C]> | Promise<OutputOf<Contract[C]>>;
};

export function createTestApi(handlers: TestHandlers): Api {
  return new Proxy({} as Api, {
    get(_target, channel) {
      if (typeof channel !== 'string' || !channel.includes(':')) return undefined;
      return async (input: unknown) => {
        const handler = (handlers as Record<string, ((input: unknown) => unknown) | undefined>)[
          channel
        ];
        if (!handler)
          return {
            ok: false,
            error: { code: 'unavailable', message: `${channel} is not part of this test.` },
          };
        return { ok: true, value: await handler(input) };
      };
    },
  });
}

const NO_EVENTS: ApiEvents = { on: () => () => undefined };

export function renderWithApi(ui: ReactElement, handlers: TestHandlers) {
  // Sets up the jsdom gaps Mantine needs (matchMedia, ResizeObserver) once.
  renderWithMantine(<></>).unmount();
  // jsdom has no layout: Mantine's combobox scrolls the marked option into view.
  if (typeof Element.prototype.scrollIntoView !== 'function')
    Element.prototype.scrollIntoView = () => undefined;
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const value = {
    client: createClient(createTestApi(handlers)),
    events: NO_EVENTS,
    onConnection: undefined,
  };
  const result = render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ApiProvider value={value}>{ui}</ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, queryClient };
}
