/**
 * The fixed IPC channel names, one per contract channel and one per event.
 * Shared by main (ipcMain.handle) and the preload (ipcRenderer.invoke) so the
 * two can never drift; no 'electron' import, so it is tested under Node.
 */
import {
  CHANNELS,
  EVENT_NAMES,
  type Channel,
  type EventName,
} from '../../shared/contract/index.ts';

const CALL_PREFIX = 'dearpos:call:';
const EVENT_PREFIX = 'dearpos:event:';

export function ipcCallChannel(channel: Channel): string {
  return `${CALL_PREFIX}${channel}`;
}

export function ipcEventChannel(name: EventName): string {
  return `${EVENT_PREFIX}${name}`;
}

/** Every IPC channel main handles, in contract order. */
export function ipcCallChannels(): Array<{ channel: Channel; ipc: string }> {
  return CHANNELS.map((channel) => ({ channel, ipc: ipcCallChannel(channel) }));
}

export function ipcEventChannels(): Array<{ name: EventName; ipc: string }> {
  return EVENT_NAMES.map((name) => ({ name, ipc: ipcEventChannel(name) }));
}
