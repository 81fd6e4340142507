/**
 * The sandboxed preload (bundled as CommonJS): exposes `window.api` and
 * `window.apiEvents` through contextBridge and nothing else. All the logic
 * lives in src/main/electron/preloadBridge.ts, tested under Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  createPreloadApi,
  createPreloadEvents,
  type PreloadIpc,
} from '../main/electron/preloadBridge.ts';

const ipc: PreloadIpc = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  on: (channel, listener) => void ipcRenderer.on(channel, listener),
  removeListener: (channel, listener) => void ipcRenderer.removeListener(channel, listener),
};

contextBridge.exposeInMainWorld('api', createPreloadApi(ipc));
contextBridge.exposeInMainWorld('apiEvents', createPreloadEvents(ipc));
