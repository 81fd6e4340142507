import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  type ApiEvents,
  type EventMap,
  type EventName,
  type SessionStatus,
} from '../../shared/contract/index.ts';
import type { Result } from '../../shared/errors.ts';
import { createDispatcher, type Handlers } from '../app/dispatcher.ts';
import { createLogger } from '../log.ts';
import {
  bindContractToIpc,
  forwardEventsToWindow,
  type IpcRegistrar,
  type IpcSender,
} from './ipcBinding.ts';
import { APP_INDEX_URL, isTrustedSender } from './guards.ts';
import { ipcCallChannel, ipcEventChannel } from './ipcChannels.ts';

const log = createLogger({ level: 'silent' });
const trustedUrl = APP_INDEX_URL;

function setup() {
  const handlers = new Map<
    string,
    (sender: IpcSender, input: unknown) => Promise<Result<unknown>>
  >();
  const ipc: IpcRegistrar = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const received: unknown[] = [];
  const status: SessionStatus = {
    session: null,
    hasCatalog: true,
    isDemoFleet: false,
    isEnrolled: false,
    deviceId: 'd1',
  };
  const dispatch = createDispatcher({
    handlers: {
      'session:status': (input: unknown) => {
        received.push(input);
        return status;
      },
    } as unknown as Handlers,
    getSession: () => null,
    log,
  });
  const unbind = bindContractToIpc({
    ipc,
    dispatch,
    log,
    isTrustedSender: (sender) => isTrustedSender(sender, { kind: 'app' }),
  });
  return { handlers, received, unbind };
}

describe('IPC binding', () => {
  it('registers one fixed IPC channel per contract channel, and removes them all', () => {
    const { handlers, unbind } = setup();
    expect([...handlers.keys()].sort()).toEqual(CHANNELS.map((c) => ipcCallChannel(c)).sort());
    unbind();
    expect(handlers.size).toBe(0);
  });

  it('passes only the input to the dispatcher and returns its envelope', async () => {
    const { handlers, received } = setup();
    const call = handlers.get(ipcCallChannel('session:status'))!;
    const result = await call({ frameUrl: `${trustedUrl}#/fleet`, isMainFrame: true }, {});
    expect(result).toEqual({
      ok: true,
      value: {
        session: null,
        hasCatalog: true,
        isDemoFleet: false,
        isEnrolled: false,
        deviceId: 'd1',
      },
    });
    expect(received).toEqual([{}]);
  });

  it('refuses a call from an untrusted frame before it reaches the back end', async () => {
    const { handlers, received } = setup();
    const call = handlers.get(ipcCallChannel('session:status'))!;
    const fromIframe = await call({ frameUrl: trustedUrl, isMainFrame: false }, {});
    const fromElsewhere = await call({ frameUrl: 'https://evil.example/', isMainFrame: true }, {});
    expect(fromIframe).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(fromElsewhere).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(received).toEqual([]);
  });

  it('validates input through the same dispatcher as browser mode', async () => {
    const { handlers, received } = setup();
    const result = await handlers.get(ipcCallChannel('session:status'))!(
      { frameUrl: trustedUrl, isMainFrame: true },
      { sneaky: true },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(received).toEqual([]);
  });

  it('forwards back-end events to the window on fixed channels until unsubscribed', () => {
    const emitter = new EventEmitter();
    const events: ApiEvents = {
      on<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void) {
        emitter.on(name, listener);
        return () => emitter.off(name, listener);
      },
    };
    const sent: Array<[string, unknown]> = [];
    const stop = forwardEventsToWindow(events, (channel, payload) => sent.push([channel, payload]));
    emitter.emit('db:changed', { tables: ['terminals'] });
    stop();
    emitter.emit('db:changed', { tables: ['releases'] });
    expect(sent).toEqual([[ipcEventChannel('db:changed'), { tables: ['terminals'] }]]);
    expect(emitter.listenerCount('db:changed')).toBe(0);
  });
});
