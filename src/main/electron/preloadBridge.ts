/**
 * What the preload exposes, built from injected ipcRenderer functions so it
 * is tested under plain Node. `window.api` has one named async function per
 * contract channel, each bound to its own fixed IPC channel: the renderer can
 * never name an IPC channel itself. `window.apiEvents.on` accepts only the
 * contract's event names and never hands the IPC event object to the page.
 */
import {
  CHANNELS,
  EVENT_NAMES,
  type Api,
  type ApiEvents,
  type EventMap,
  type EventName,
} from '../../shared/contract/index.ts';
import type { Result } from '../../shared/errors.ts';
import { ipcCallChannel, ipcEventChannel } from './ipcChannels.ts';

/** The slice of ipcRenderer the preload uses. */
export type PreloadIpc = {
  invoke(ipcChannel: string, input: unknown): Promise<unknown>;
  on(ipcChannel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(ipcChannel: string, listener: (event: unknown, payload: unknown) => void): void;
};

export function createPreloadApi(ipc: PreloadIpc): Api {
  const api: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
  for (const channel of CHANNELS) {
    const ipcChannel = ipcCallChannel(channel);
    api[channel] = async (input) => (await ipc.invoke(ipcChannel, input)) as Result<unknown>;
  }
  return Object.freeze(api) as Api;
}

export function createPreloadEvents(ipc: PreloadIpc): ApiEvents {
  const known = new Set<string>(EVENT_NAMES);
  return Object.freeze({
    on<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void): () => void {
      if (!known.has(name))
        throw new Error(`There is no console event named "${String(name).slice(0, 80)}".`);
      if (typeof listener !== 'function') throw new Error('An event listener must be a function.');
      const ipcChannel = ipcEventChannel(name);
      // Only the payload crosses: the IPC event (with its sender) stays in the preload.
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload as EventMap[E]);
      ipc.on(ipcChannel, wrapped);
      return () => ipc.removeListener(ipcChannel, wrapped);
    },
  });
}
