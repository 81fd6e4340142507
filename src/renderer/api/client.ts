/**
 * The renderer's one way to the back end. It never knows which transport it
 * has: the Electron preload's `window.api`, or browser mode over HTTP with the
 * per-launch token from `<meta name="dearpos-token">`. Either way each call
 * returns the Result envelope, which the client unwraps: a value, or a thrown
 * ApiError {code, message} that TanStack Query can hold and show.
 */
// Types only: the contract's runtime half is zod schemas the renderer never
// needs (the back end validates), and importing it would ship zod to the UI.
import type {
  Api,
  ApiEvents,
  Channel,
  Contract,
  EventMap,
  EventName,
} from '../../shared/contract/index.ts';
import type { InputOf, OutputOf } from '../../shared/contract/define.ts';
import type { ErrorCode, Result } from '../../shared/errors.ts';
import { t } from '../i18n/index.ts';
import { errorText } from './errorText.ts';

declare global {
  // Provided by the Electron preload through contextBridge; absent in browser mode.
  // Global augmentation needs an interface: a type alias cannot merge into Window.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    api?: Api;
    apiEvents?: ApiEvents;
  }
}

/** A back-end error as the UI holds it: stable code, message for the person at the counter. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** One async function per channel that resolves to the value or throws ApiError. */
export type Client = {
  [C in Channel]: (input: InputOf<Contract[C]>) => Promise<OutputOf<Contract[C]>>;
};

export type Transport = {
  api: Api;
  events: ApiEvents;
  kind: 'electron' | 'http';
  /** Browser mode only: reports whether the event stream to the local back end is up. */
  onConnection?: (listener: (isUp: boolean) => void) => () => void;
};

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, errorText(result.error), result.error.details);
}

/** A Proxy, so a channel added to the contract needs no change here. */
export function createClient(api: Api): Client {
  const cache = new Map<string, (input: unknown) => Promise<unknown>>();
  return new Proxy({} as Client, {
    get(_target, channel) {
      if (typeof channel !== 'string') return undefined;
      let call = cache.get(channel);
      if (!call) {
        const send = (
          api as unknown as Record<
            string,
            ((input: unknown) => Promise<Result<unknown>>) | undefined
          >
        )[channel];
        // Not a channel (e.g. a `then` probe by await): behave like a plain object.
        if (typeof send !== 'function') return undefined;
        call = async (input) => unwrap(await send(input));
        cache.set(channel, call);
      }
      return call;
    },
  });
}

const CHANNEL_NAME = /^[a-z][A-Za-z]*:[a-z][A-Za-z]*$/;

/** Browser mode: `POST /api/<channel>` with the bearer token; the same envelope comes back. */
export function createHttpApi(token: string, baseUrl = ''): Api {
  const post = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return {
        ok: false,
        error: {
          code: 'unavailable',
          message: t('shell:backendUnreachable'),
        },
      };
    }
    try {
      return (await response.json()) as Result<unknown>;
    } catch {
      return {
        ok: false,
        error: {
          code: 'unavailable',
          message: t('shell:backendNoResult', { status: response.status }),
        },
      };
    }
  };
  // Any `domain:verb` name becomes a POST (the server answers unknown_channel
  // for a wrong one); other names, such as an await's `then` probe, are absent.
  return new Proxy({} as Api, {
    get: (_target, channel) =>
      typeof channel === 'string' && CHANNEL_NAME.test(channel)
        ? (input: unknown) => post(channel, input)
        : undefined,
  });
}

/** Browser mode events: one Server-Sent Events stream carrying every event name. */
function createSseEvents(
  token: string,
  baseUrl = '',
): ApiEvents & { onConnection: (listener: (isUp: boolean) => void) => () => void } {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(isUp: boolean) => void>();
  const source = new EventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`);
  // Each event name is listened to on the stream once, when first subscribed.
  function listenOnStream(name: EventName): void {
    source.addEventListener(name, (message: MessageEvent<string>) => {
      let payload: unknown;
      try {
        payload = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const listener of listeners.get(name) ?? []) listener(payload);
    });
  }
  source.addEventListener('open', () => connectionListeners.forEach((l) => l(true)));
  source.addEventListener('error', () => connectionListeners.forEach((l) => l(false)));
  return {
    on<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void) {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
        listenOnStream(name);
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

/** Picks the transport at start-up; feature code only ever sees the Client. */
export function detectTransport(doc: Document = document, win: Window = window): Transport {
  if (win.api && win.apiEvents) return { api: win.api, events: win.apiEvents, kind: 'electron' };
  const token = readToken(doc);
  const events = createSseEvents(token);
  return { api: createHttpApi(token), events, kind: 'http', onConnection: events.onConnection };
}

/** The per-launch token the browser-mode server injects; the first non-empty one wins. */
export function readToken(doc: Document): string {
  for (const meta of doc.querySelectorAll<HTMLMetaElement>('meta[name="dearpos-token"]')) {
    if (meta.content.trim()) return meta.content.trim();
  }
  return '';
}
