/**
 * The console's HTTP client for the central server's protocol
 * (src/shared/sync/protocol.ts). Every response is parsed with its schema:
 * the console never trusts what comes over the wire. Failures become a
 * `SyncHttpError` whose `kind` tells the engine whether to retry.
 */
import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import {
  changesResponse,
  consistencyProof,
  enrollResponse,
  inclusionProof,
  protocolError,
  pushResponse,
  renewTokenResponse,
  signedTreeHead,
  type ChangesResponse,
  type ConsistencyProofResponse,
  type EnrollRequest,
  type EnrollResponse,
  type InclusionProofResponse,
  type ProtocolError,
  type PushRequest,
  type PushResponse,
  type RenewTokenResponse,
  type SignedTreeHead,
} from '../../shared/sync/protocol.ts';
import { feedResponse, type FeedResponse } from '../../shared/sync/feed.ts';
import { feedResponseFastPath } from './feedFastPath.ts';

/**
 * network: no answer (offline, refused, timed out, connection dropped);
 * protocol: the server answered with a ProtocolError body;
 * malformed: the server answered something that is not the protocol.
 */
export const SYNC_HTTP_ERROR_KINDS = ['network', 'protocol', 'malformed'] as const;
export type SyncHttpErrorKind = (typeof SYNC_HTTP_ERROR_KINDS)[number];

export class SyncHttpError extends Error {
  readonly kind: SyncHttpErrorKind;
  readonly status: number | null;
  readonly body: ProtocolError | null;
  constructor(
    kind: SyncHttpErrorKind,
    message: string,
    status: number | null = null,
    body: ProtocolError | null = null,
  ) {
    super(message);
    this.name = 'SyncHttpError';
    this.kind = kind;
    this.status = status;
    this.body = body;
  }
}

export type SyncClient = {
  enroll(request: EnrollRequest): Promise<EnrollResponse>;
  push(token: string, request: PushRequest): Promise<PushResponse>;
  /** The same push with a body already serialised, as JSON text or its UTF-8 bytes (the hot path: see pushBodyBytes). */
  pushSerialized(token: string, body: string | Uint8Array): Promise<PushResponse>;
  changes(token: string, cursor: string | null, limit?: number): Promise<ChangesResponse>;
  /** Rotates the device token (the old one stops working); also accepted within the grace window after expiry. */
  renewToken(token: string): Promise<RenewTokenResponse>;
  treeHead(): Promise<SignedTreeHead>;
  consistency(first: number, second: number): Promise<ConsistencyProofResponse>;
  inclusion(index: number, size: number): Promise<InclusionProofResponse>;
  /** One page of the scope feed (shared/sync/feed.ts). */
  feed(
    token: string,
    query: { after: number | null; limit: number; size: number },
  ): Promise<FeedResponse>;
};

export type FetchLike = typeof fetch;

/** One HTTP exchange as the client needs it: the status and the whole body as text. */
type HttpAnswer = { status: number; text: string };
type HttpExchange = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body: string | Uint8Array | undefined;
    timeoutMs: number;
  },
) => Promise<HttpAnswer>;

/**
 * Keep-alive connections shared by every client of the process (one server in
 * practice), so consecutive and pipelined pushes reuse their TCP connections.
 * Idle sockets close after 4 s, before a server's usual 5 s keep-alive timeout
 * would close them under a request; idle sockets never keep the process alive.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 4000 }),
} as const;

/**
 * The default exchange: node:http(s). A push body is ~0.5 MB of text; fetch
 * (undici) copies it through web streams, which cost the console about half
 * of its CPU time in a 100,000-event push (bench sync.push100k).
 */
const nodeHttpExchange: HttpExchange = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    if (!isHttps && target.protocol !== 'http:') {
      reject(
        new Error(
          `The central server address must start with http:// or https://, not ${target.protocol}`,
        ),
      );
      return;
    }
    const headers = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const options = {
      method: init.method,
      headers,
      agent: AGENTS[isHttps ? 'https:' : 'http:'],
      signal: AbortSignal.timeout(init.timeoutMs),
    };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    };
    const req = isHttps
      ? https.request(target, options, onResponse)
      : http.request(target, options, onResponse);
    req.on('error', reject);
    req.end(init.body);
  });

/** An exchange through a fetch function (tests inject one to cut or delay answers). */
function fetchExchange(doFetch: FetchLike): HttpExchange {
  return async (url, init) => {
    const response = await doFetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  };
}

export function createSyncClient(
  serverUrl: string,
  options: { fetch?: FetchLike | undefined; timeoutMs?: number | undefined } = {},
): SyncClient {
  const exchange = options.fetch ? fetchExchange(options.fetch) : nodeHttpExchange;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const base = serverUrl.replace(/\/+$/, '');

  async function request<S extends z.ZodType>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    init: {
      token?: string;
      body?: unknown;
      bodyText?: string | Uint8Array;
      /** A cheaper check that only ever accepts what `schema` accepts; `undefined` falls back to the schema. */
      fastPath?: (json: unknown) => z.output<S> | undefined;
    } = {},
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const bodyText =
      init.bodyText ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (bodyText !== undefined) headers['content-type'] = 'application/json';
    let response: HttpAnswer;
    try {
      response = await exchange(`${base}${path}`, { method, headers, body: bodyText, timeoutMs });
    } catch (error) {
      throw new SyncHttpError('network', describeNetworkError(error));
    }
    const text = response.text;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncHttpError(
        'malformed',
        `The central server answered ${path} with something that is not JSON (HTTP ${response.status}).`,
        response.status,
      );
    }
    if (response.status < 200 || response.status > 299) {
      const parsed = protocolError.safeParse(json);
      if (!parsed.success) {
        throw new SyncHttpError(
          'malformed',
          `The central server answered ${path} with HTTP ${response.status} and no error code.`,
          response.status,
        );
      }
      throw new SyncHttpError('protocol', parsed.data.message, response.status, parsed.data);
    }
    const fast = init.fastPath?.(json);
    if (fast !== undefined) return fast;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SyncHttpError(
        'malformed',
        `The central server's answer to ${path} does not follow the protocol.`,
        response.status,
      );
    }
    return parsed.data;
  }

  return {
    enroll: (body) => request(enrollResponse, 'POST', '/v1/enroll', { body }),
    push: (token, body) => request(pushResponse, 'POST', '/v1/events', { token, body }),
    pushSerialized: (token, bodyText) =>
      request(pushResponse, 'POST', '/v1/events', { token, bodyText }),
    changes: (token, cursor, limit) => {
      const query = new URLSearchParams();
      if (cursor !== null) query.set('cursor', cursor);
      if (limit !== undefined) query.set('limit', String(limit));
      const qs = query.size > 0 ? `?${query.toString()}` : '';
      return request(changesResponse, 'GET', `/v1/changes${qs}`, { token });
    },
    renewToken: (token) => request(renewTokenResponse, 'POST', '/v1/device/token', { token }),
    treeHead: () => request(signedTreeHead, 'GET', '/v1/log/tree-head'),
    consistency: (first, second) =>
      request(consistencyProof, 'GET', `/v1/log/proof/consistency?first=${first}&second=${second}`),
    inclusion: (index, size) =>
      request(inclusionProof, 'GET', `/v1/log/proof/inclusion?index=${index}&size=${size}`),
    feed: (token, { after, limit, size }) =>
      request(
        feedResponse,
        'GET',
        `/v1/feed?${after === null ? '' : `after=${after}&`}limit=${limit}&size=${size}`,
        { token, fastPath: feedResponseFastPath },
      ),
  };
}

function describeNetworkError(error: unknown): string {
  // fetch puts the system error in `cause`; node:http throws it directly
  // (and an abort by the timeout signal as an AbortError whose cause is the TimeoutError).
  const e = error as { name?: string; code?: string; cause?: { name?: string; code?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError')
    return 'The central server did not answer in time.';
  const code = e?.cause?.code ?? e?.code;
  if (code === 'ECONNREFUSED') return 'The central server is not reachable (connection refused).';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return 'The central server address cannot be found (no network, or a wrong address).';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return 'The connection to the central server was cut.';
  return 'The central server is not reachable.';
}

/**
 * The JSON bytes of a push request built from the journal's stored canonical
 * bodies without parsing them: each wire event is its canonical body with
 * `"hash"` added before the closing brace. Equal, as JSON, to
 * JSON.stringify(PushRequest); a test checks it against pushRequest's schema.
 *
 * Written straight into one buffer of the exact size: building a 0.5 MB
 * string and letting the socket encode it (flattening the rope on the way)
 * cost the console most of its CPU in a 100,000-event push.
 */
export function pushBodyBytes(
  deviceId: string,
  rows: ReadonlyArray<{ body: string; hash: string }>,
  checkpoint: PushRequest['checkpoint'],
): Buffer {
  const head = `{"deviceId":${JSON.stringify(deviceId)},"checkpoint":${JSON.stringify(checkpoint)},"events":[`;
  const suffixes = rows.map((r) => `,"hash":${JSON.stringify(r.hash)}}`);
  // Each row: its body without the closing brace, then its suffix; commas between rows; "]}" at the end.
  let size = Buffer.byteLength(head) + Math.max(0, rows.length - 1) + 2;
  for (let i = 0; i < rows.length; i++)
    size += Buffer.byteLength(rows[i]!.body) - 1 + Buffer.byteLength(suffixes[i]!);
  const bytes = Buffer.allocUnsafe(size);
  let at = bytes.write(head, 0);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) bytes[at++] = COMMA;
    const body = rows[i]!.body;
    if (body.charCodeAt(body.length - 1) !== CLOSING_BRACE)
      throw new Error(`Journal row ${i} is not a JSON object.`);
    // The suffix starts where the body's closing brace was written, and so replaces it.
    at += bytes.write(body, at) - 1;
    at += bytes.write(suffixes[i]!, at);
  }
  at += bytes.write(']}', at);
  if (at !== size) throw new Error(`The push body came out ${at} bytes long instead of ${size}.`);
  return bytes;
}
const COMMA = 0x2c;
const CLOSING_BRACE = 0x7d;
