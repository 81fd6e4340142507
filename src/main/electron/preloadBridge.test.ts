import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/contract/index.ts';
import { ipcCallChannel, ipcEventChannel } from './ipcChannels.ts';
import { createPreloadApi, createPreloadEvents, type PreloadIpc } from './preloadBridge.ts';

function fakeIpcRenderer() {
  const emitter = new EventEmitter();
  const invoked: Array<[string, unknown]> = [];
  const ipc: PreloadIpc = {
    invoke: (channel, input) => {
      invoked.push([channel, input]);
      return Promise.resolve({ ok: true, value: channel });
    },
    on: (channel, listener) => void emitter.on(channel, listener),
    removeListener: (channel, listener) => void emitter.off(channel, listener),
  };
  return { ipc, emitter, invoked };
}

describe('preload bridge', () => {
  it('exposes exactly one function per contract channel, each on its own fixed IPC channel', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const api = createPreloadApi(ipc);
    expect(Object.keys(api).sort()).toEqual([...CHANNELS].sort());
    await expect(api['fleet:getTerminal']({ terminalId: 't1' })).resolves.toEqual({
      ok: true,
      value: ipcCallChannel('fleet:getTerminal'),
    });
    expect(invoked).toEqual([[ipcCallChannel('fleet:getTerminal'), { terminalId: 't1' }]]);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('delivers only the payload of known events, and unsubscribes', () => {
    const { ipc, emitter } = fakeIpcRenderer();
    const events = createPreloadEvents(ipc);
    const seen: unknown[][] = [];
    const off = events.on('db:changed', (...args: unknown[]) => seen.push(args));
    emitter.emit(
      ipcEventChannel('db:changed'),
      { sender: 'the IPC event' },
      { tables: ['terminals'] },
    );
    off();
    emitter.emit(ipcEventChannel('db:changed'), {}, { tables: ['releases'] });
    expect(seen).toEqual([[{ tables: ['terminals'] }]]);
  });

  it('refuses event names outside the contract', () => {
    const { ipc } = fakeIpcRenderer();
    const events = createPreloadEvents(ipc) as unknown as {
      on(name: string, listener: () => void): () => void;
    };
    expect(() => events.on('dearpos:call:fleet:recordVersion', () => undefined)).toThrow(
      /no console event/,
    );
  });
});
