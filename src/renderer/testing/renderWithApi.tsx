/**
 * Renders a screen part with what the app puts around it: Mantine, a fresh
 * TanStack Query cache and an API client whose calls answer from `answers`
 * (a channel not listed is refused with `unknown_channel`, so a test sees
 * every call it did not expect). The answers are contract outputs, typed by
 * channel; the back end itself is exercised by the end-to-end tests.
 */
import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type {
  Api,
  ApiEvents,
  Channel,
  Contract,
  SessionStatus,
} from '../../shared/contract/index.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { InputOf, OutputOf } from '../../shared/contract/define.ts';
import type { Result } from '../../shared/errors.ts';
import { ApiProvider } from '../api/ApiContext.tsx';
import { createClient } from '../api/client.ts';
import { renderWithMantine } from './renderWithMantine.tsx';

export type FakeAnswers = {
  [C in Channel]?: (
    input: InputOf<Contract[C]>,
  ) => OutputOf<Contract[C]> | Promise<OutputOf<Contract[C]>>;
};

export type ApiCall = { channel: string; input: unknown };

/** What `session:status` answers while `user` is signed in on the console dev-1. */
export function signedInStatus(
  user: { id: string; name: string; role: Role },
  options: { isEnrolled?: boolean } = {},
): SessionStatus {
  return {
    session: {
      user: { ...user, storeIds: [] } as never,
      deviceId: 'dev-1',
      signedInAt: '2026-12-07T09:00:00.000Z',
    },
    hasCatalog: true,
    isDemoFleet: false,
    isEnrolled: options.isEnrolled ?? false,
    deviceId: 'dev-1',
  };
}

/** jsdom gaps: no FontFaceSet (Mantine's autosizing Textarea listens to it), no layout (the combobox scrolls its marked option into view). */
function installJsdomGaps(): void {
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', {
      value: { addEventListener: () => undefined, removeEventListener: () => undefined },
      configurable: true,
    });
  }
  if (typeof Element.prototype.scrollIntoView !== 'function')
    Element.prototype.scrollIntoView = () => undefined;
}

/** An `Api` answering from `answers`, recording every call in `calls`. */
export function createTestApi(answers: FakeAnswers, calls: ApiCall[] = []): Api {
  return new Proxy({} as Api, {
    get: (_target, channel) => {
      if (typeof channel !== 'string' || !channel.includes(':')) return undefined;
      return async (input: unknown): Promise<Result<unknown>> => {
        calls.push({ channel, input });
        const answer = (answers as Record<string, ((i: unknown) => unknown) | undefined>)[channel];
        if (!answer)
          return {
            ok: false,
            error: { code: 'unknown_channel', message: `No answer for ${channel}.` },
          };
        try {
          return { ok: true, value: await answer(input) };
        } catch (error) {
          return {
            ok: false,
            error: {
              code: 'forbidden',
              message: error instanceof Error ? error.message : String(error),
            },
          };
        }
      };
    },
  });
}

export function renderWithApi(ui: ReactElement, answers: FakeAnswers = {}) {
  installJsdomGaps();
  const calls: ApiCall[] = [];
  const api = createTestApi(answers, calls);
  const events: ApiEvents = { on: () => () => undefined };
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const view = renderWithMantine(
    <QueryClientProvider client={queryClient}>
      <ApiProvider value={{ client: createClient(api), events, onConnection: undefined }}>
        {ui}
      </ApiProvider>
    </QueryClientProvider>,
  );
  return { ...view, calls, queryClient };
}
