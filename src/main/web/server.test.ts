import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { ApiEvents, EventMap, EventName, SessionStatus } from '../../shared/contract/index.ts';
import { createApp } from '../app/createApp.ts';
import { createDispatcher, type Handlers } from '../app/dispatcher.ts';
import { createLogger } from '../log.ts';
import { MAX_BODY_BYTES, startWebServer, type WebServer } from './server.ts';

/**
 * The transport is tested over real HTTP on a port from the OS, through the
 * real dispatcher and contract. The handlers are the smallest honest back
 * end for a transport test: session status and a call that emits db:changed.
 */
function createTransportApp() {
  const emitter = new EventEmitter();
  const status: SessionStatus = {
    session: null,
    hasCatalog: false,
    isDemoFleet: false,
    isEnrolled: false,
    deviceId: 'device-1',
  };
  const handlers = {
    'session:status': () => status,
    'demo:load': () => {
      emitter.emit('db:changed', { tables: ['stores', 'terminals'] });
      return { ...status, hasCatalog: true };
    },
  } as unknown as Handlers;
  const events: ApiEvents = {
    on<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void) {
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
  };
  const dispatch = createDispatcher({
    handlers,
    getSession: () => null,
    log: createLogger({ level: 'silent' }),
  });
  return { dispatch, events, listenerCount: () => emitter.listenerCount('db:changed') };
}

type Reply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

function send(
  server: WebServer,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<Reply> {
  return new Promise((resolveReply, rejectReply) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveReply({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', rejectReply);
    req.end(options.body);
  });
}

function call(
  server: WebServer,
  channel: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(server, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: {
      authorization: `Bearer ${server.token}`,
      'content-type': 'application/json',
      ...headers,
    },
    body,
  });
}

describe('browser-mode HTTP transport', () => {
  let dir: string;
  let server: WebServer;
  let app: ReturnType<typeof createTransportApp>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dearpos-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><html><head><title>DearPOS</title></head><body><div id="root"></div></body></html>',
    );
    await writeFile(join(dir, 'assets', 'app-abc.js'), 'export {};');
    await writeFile(join(tmpdir(), 'dearpos-outside.txt'), 'secret');
    app = createTransportApp();
    server = await startWebServer({
      app,
      port: 0,
      staticDir: dir,
      log: createLogger({ level: 'silent' }),
    });
  });

  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html with this launch’s token and strict security headers', async () => {
    const reply = await send(server, { path: '/', headers: { host: `127.0.0.1:${server.port}` } });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(`<meta name="dearpos-token" content="${server.token}">`);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    const asset = await send(server, { path: '/assets/app-abc.js' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('answers a call with the Result envelope', async () => {
    const reply = await call(server, 'session:status', '{}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      ok: true,
      value: {
        session: null,
        hasCatalog: false,
        isDemoFleet: false,
        isEnrolled: false,
        deviceId: 'device-1',
      },
    });
  });

  it('returns typed errors as envelopes with HTTP 200', async () => {
    const badInput = await call(server, 'session:status', '{"extra":1}');
    expect(badInput.status).toBe(200);
    expect(JSON.parse(badInput.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const signedOut = await call(server, 'fleet:filterOptions', '{}');
    expect(JSON.parse(signedOut.body)).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
  });

  it('refuses calls without the token', async () => {
    const none = await call(server, 'session:status', '{}', { authorization: '' });
    expect(none.status).toBe(401);
    const wrong = await call(server, 'session:status', '{}', {
      authorization: 'Bearer not-the-token',
    });
    expect(wrong.status).toBe(401);
    const events = await send(server, { path: '/api/events?token=nope' });
    expect(events.status).toBe(401);
  });

  it('refuses requests for another host name (DNS rebinding) and from other origins', async () => {
    const rebound = await send(server, {
      path: '/',
      headers: { host: `evil.example:${server.port}` },
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain(server.token);
    const otherPort = await call(server, 'session:status', '{}', {
      host: `127.0.0.1:${server.port + 1}`,
    });
    expect(otherPort.status).toBe(403);
    const otherOrigin = await call(server, 'session:status', '{}', {
      origin: 'https://evil.example',
    });
    expect(otherOrigin.status).toBe(403);
    const localhost = await call(server, 'session:status', '{}', {
      host: `localhost:${server.port}`,
      origin: `http://localhost:${server.port}`,
    });
    expect(localhost.status).toBe(200);
  });

  it('refuses bodies over 1 MiB, declared or streamed', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    expect((await call(server, 'session:status', big)).status).toBe(413);
    const streamed = await call(server, 'session:status', big, { 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    expect(
      (await call(server, 'session:status', Buffer.alloc(MAX_BODY_BYTES - 10, 0x20))).status,
    ).toBe(400);
  });

  it('refuses bodies that are not JSON', async () => {
    expect((await call(server, 'session:status', '{not json')).status).toBe(400);
    expect((await call(server, 'session:status', '')).status).toBe(400);
    expect(
      (await call(server, 'session:status', '{}', { 'content-type': 'text/plain' })).status,
    ).toBe(415);
  });

  it('answers 404 for unknown routes and channels, 405 for the wrong method', async () => {
    const unknown = await call(server, 'fleet:dropTables', '{}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect((await send(server, { path: '/nothing-here.js' })).status).toBe(404);
    expect((await send(server, { path: '/..%2f..%2fdearpos-outside.txt' })).status).toBe(404);
    expect((await send(server, { path: '/../dearpos-outside.txt' })).status).toBe(404);
    const get = await send(server, {
      path: '/api/session:status',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(get.status).toBe(405);
  });

  it('delivers db:changed over Server-Sent Events and unsubscribes when the stream closes', async () => {
    const received = new Promise<string>((resolveEvent, rejectEvent) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toContain('text/event-stream');
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': connected') && !text.includes('event:')) {
              void call(server, 'demo:load', '{}');
            }
            const match = /event: db:changed\ndata: (.*)\n\n/.exec(text);
            if (match) {
              resolveEvent(match[1]!);
              req.destroy();
            }
          });
        },
      );
      req.on('error', rejectEvent);
      req.end();
    });
    expect(JSON.parse(await received)).toEqual({ tables: ['stores', 'terminals'] });
    await expect.poll(() => app.listenerCount()).toBe(0);
  });
});

describe('browser mode on the real back end', () => {
  it('loads the demo fleet over HTTP and streams the db:changed event to the page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dearpos-web-app-'));
    const app = await createApp({
      dataDir: dir,
      log: createLogger({ level: 'silent' }),
      sync: null,
    });
    const server = await startWebServer({
      app,
      port: 0,
      staticDir: dir,
      log: createLogger({ level: 'silent' }),
    });
    try {
      const tables = new Promise<string[]>((resolveEvent, rejectEvent) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              if (text.includes(': connected') && !text.includes('event:'))
                void call(server, 'demo:load', '{}');
              const match = /event: db:changed\ndata: (.*)\n\n/.exec(text);
              if (match) {
                resolveEvent((JSON.parse(match[1]!) as { tables: string[] }).tables);
                req.destroy();
              }
            });
          },
        );
        req.on('error', rejectEvent);
        req.end();
      });
      expect(await tables).toContain('terminals');
      const status = JSON.parse((await call(server, 'session:status', '{}')).body);
      expect(status).toMatchObject({ ok: true, value: { hasCatalog: true, session: null } });
      const forbidden = JSON.parse((await call(server, 'fleet:matrix', '{}')).body);
      expect(forbidden).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    } finally {
      await server.close();
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
