/**
 * Browser mode: the same console, served to a local browser over HTTP on
 * 127.0.0.1. The built renderer comes from `staticDir` (out/web); every call
 * goes through the same dispatcher as Electron IPC.
 *
 * Protocol (the renderer's HTTP transport speaks exactly this):
 * - `GET /` serves index.html with `<meta name="dearpos-token" content="…">`,
 *   a secret made fresh at each launch.
 * - `POST /api/<channel>` with `Authorization: Bearer <token>`,
 *   `Content-Type: application/json` and the call's input as the JSON body →
 *   HTTP 200 with the Result envelope `{ok:true,value}` | `{ok:false,error}`.
 *   401 without a valid token, 404 (with an `unknown_channel` envelope) for a
 *   channel the contract does not declare, 405 for another method, 413 for a
 *   body over 1 MiB, 415 for another content type, 400 for a body that is not
 *   JSON.
 * - `GET /api/events?token=<token>`: Server-Sent Events, one per back-end
 *   event: `event: db:changed` / `event: sync:statusChanged`, `data: <json>`.
 * - Every request must carry `Host: 127.0.0.1:<port>` or `localhost:<port>`
 *   (DNS-rebinding guard) and, when the browser sends one, our own Origin.
 *   No CORS headers are ever sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  CHANNELS,
  EVENT_NAMES,
  type ApiEvents,
  type Channel,
} from '../../shared/contract/index.ts';
import type { Dispatch } from '../app/dispatcher.ts';
import { createLogger, type Logger } from '../log.ts';
import {
  bearerToken,
  createToken,
  injectToken,
  isAllowedHost,
  isAllowedOrigin,
  isSameToken,
  securityHeaders,
} from './security.ts';

/** The part of `createApp()`'s result that the web transport needs. */
export type WebApp = { dispatch: Dispatch; events: ApiEvents };

export type WebServer = {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  token: string;
  /** Stops listening and ends every open connection, SSE streams included. It does not close the app. */
  close: () => Promise<void>;
};

export const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 20_000;
const channelSet = new Set<string>(CHANNELS);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export async function startWebServer(options: {
  app: WebApp;
  /** 0 picks a free port. */
  port?: number;
  /** Loopback only; anything else is refused, the console holds store data. */
  host?: '127.0.0.1';
  /** The built renderer (out/web). */
  staticDir: string;
  log?: Logger;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
}): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('Browser mode listens on 127.0.0.1 only.');
  const log = (options.log ?? createLogger({ name: 'console' })).child({ scope: 'web' });
  const token = options.token ?? createToken();
  const staticRoot = resolve(options.staticDir);
  const { app } = options;
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error, method: req.method }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, {
          ok: false,
          error: {
            code: 'internal',
            message: 'Something went wrong. The action was not recorded.',
          },
        });
      else res.destroy();
    });
  });
  // Slow or idle clients must not pin sockets forever; SSE streams keep themselves alive with heartbeats.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      return sendText(res, 403, 'This console only answers on 127.0.0.1 or localhost.');
    }
    if (!isAllowedOrigin(req.headers.origin, port)) {
      return sendText(res, 403, 'Requests from other web sites are refused.');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;

    if (path === '/api/events') {
      if (req.method !== 'GET') return sendMethodNotAllowed(res, 'GET');
      if (!isSameToken(token, url.searchParams.get('token'))) return sendUnauthorized(res);
      return openEventStream(req, res);
    }
    if (path.startsWith('/api/')) {
      if (!isSameToken(token, bearerToken(req.headers.authorization))) {
        // Drain nothing: answer at once and close, so an unauthenticated client cannot make us read a body.
        res.setHeader('Connection', 'close');
        return sendUnauthorized(res);
      }
      let channel: string;
      try {
        channel = decodeURIComponent(path.slice('/api/'.length));
      } catch {
        return sendJson(res, 404, unknownChannel(path));
      }
      if (!channelSet.has(channel)) return sendJson(res, 404, unknownChannel(channel));
      if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST');
      return handleCall(req, res, channel as Channel);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendMethodNotAllowed(res, 'GET, HEAD');
    return serveStatic(req, res, path);
  }

  async function handleCall(
    req: IncomingMessage,
    res: ServerResponse,
    channel: Channel,
  ): Promise<void> {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      res.setHeader('Connection', 'close');
      return sendText(res, 415, 'Send the call input as application/json.');
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      res.setHeader('Connection', 'close');
      return sendText(res, 413, 'The request is larger than 1 MiB.');
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too_large') {
      res.setHeader('Connection', 'close');
      return sendText(res, 413, 'The request is larger than 1 MiB.');
    }
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return sendText(res, 400, 'The request body is not valid JSON.');
    }
    const result = await app.dispatch(channel, input);
    sendJson(res, 200, result);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const unsubscribes = EVENT_NAMES.map((name) =>
      app.events.on(name, (payload) => {
        res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const cleanup = (): void => {
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes) unsubscribe();
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  async function serveStatic(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return sendText(res, 404, 'Not found.');
    }
    if (decoded.includes('\0')) return sendText(res, 404, 'Not found.');
    const isIndex = decoded === '/' || decoded === '/index.html';
    const file = resolve(staticRoot, '.' + normalize(isIndex ? '/index.html' : decoded));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep))
      return sendText(res, 404, 'Not found.');

    if (isIndex) {
      let html: string;
      try {
        html = await readFile(join(staticRoot, 'index.html'), 'utf8');
      } catch {
        return sendText(
          res,
          503,
          'The console has not been built. Run `npm run web`, which builds it first.',
        );
      }
      const bytes = Buffer.from(injectToken(html, token), 'utf8');
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': CONTENT_TYPES['.html']!,
        'Content-Length': String(bytes.length),
        // The page carries this launch's token: never cache it.
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : bytes);
      return;
    }

    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return sendText(res, 404, 'Not found.');
    const bytes = await readFile(file);
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(bytes.length),
      // Vite puts a content hash in every asset name under assets/.
      'Cache-Control': decoded.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  log.info({ port }, 'browser mode listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        for (const stream of streams) stream.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function unknownChannel(channel: string) {
  return {
    ok: false,
    error: {
      code: 'unknown_channel',
      message: `There is no call named "${channel.slice(0, 80)}".`,
    },
  } as const;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (isTooLarge) return;
      size += chunk.length;
      if (size > limit) {
        // Keep reading (and dropping) to the end, so the client is still listening when the 413 arrives.
        isTooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(isTooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', rejectBody);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
  });
  res.end(bytes);
}

function sendText(res: ServerResponse, status: number, message: string): void {
  const bytes = Buffer.from(message + '\n', 'utf8');
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
  });
  res.end(bytes);
}

function sendUnauthorized(res: ServerResponse): void {
  res.setHeader('WWW-Authenticate', 'Bearer');
  sendText(res, 401, 'This console session has expired. Reload the page.');
}

function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendText(res, 405, 'Method not allowed.');
}
