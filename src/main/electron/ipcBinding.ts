/**
 * Binds the contract to Electron IPC through small injected interfaces, so
 * the whole policy is tested under plain Node: one handler per contract
 * channel on its fixed IPC channel, the sender frame checked on every call,
 * and only the input (never the IPC event) handed to the dispatcher.
 */
import type { ApiEvents } from '../../shared/contract/index.ts';
import type { Result } from '../../shared/errors.ts';
import type { Dispatch } from '../app/dispatcher.ts';
import type { Logger } from '../log.ts';
import { ipcCallChannels, ipcEventChannels } from './ipcChannels.ts';

/** What the binding needs to know about an IPC event's sender. */
export type IpcSender = { frameUrl: string | null | undefined; isMainFrame: boolean };

/** The slice of `ipcMain` used here; main.ts adapts Electron's event to IpcSender. */
export type IpcRegistrar = {
  handle(
    ipcChannel: string,
    listener: (sender: IpcSender, input: unknown) => Promise<Result<unknown>>,
  ): void;
  removeHandler(ipcChannel: string): void;
};

export function bindContractToIpc(options: {
  ipc: IpcRegistrar;
  dispatch: Dispatch;
  isTrustedSender: (sender: IpcSender) => boolean;
  log: Logger;
}): () => void {
  const { ipc, dispatch, isTrustedSender, log } = options;
  const bound = ipcCallChannels();
  for (const { channel, ipc: ipcChannel } of bound) {
    ipc.handle(ipcChannel, async (sender, input) => {
      if (!isTrustedSender(sender)) {
        log.warn(
          { channel, frameUrl: String(sender.frameUrl).slice(0, 200) },
          'IPC call from an untrusted frame refused',
        );
        return {
          ok: false,
          error: { code: 'forbidden', message: 'This window is not allowed to use the console.' },
        };
      }
      return dispatch(channel, input);
    });
  }
  return () => {
    for (const { ipc: ipcChannel } of bound) ipc.removeHandler(ipcChannel);
  };
}

/** Forwards every back-end event to the window; returns the unsubscribe function. */
export function forwardEventsToWindow(
  events: ApiEvents,
  send: (ipcChannel: string, payload: unknown) => void,
): () => void {
  const unsubscribes = ipcEventChannels().map(({ name, ipc }) =>
    events.on(name, (payload) => send(ipc, payload)),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
