/**
 * Starts a real server on 127.0.0.1 (port from the OS) over a temp data
 * folder, with a named administrator's admin token (testing/admin.ts), for tests and benchmarks. Every response a
 * test receives through `call` is checked against the server's own OpenAPI
 * description (/docs/openapi.json): a status the route does not declare, or
 * a body its schema refuses, fails the test that received it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { changesResponse, protocolError, type CatalogChange } from '../../shared/sync/protocol.ts';
import { createServer, type CentralServer, type ServerOptions } from '../app.ts';
import { bootstrapTestAdmin, unspentBootstrap } from './admin.ts';

/** Response bodies in tests are read loosely on purpose; protocol tests parse them with the protocol schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseBody = any;

export type TestServer = {
  server: CentralServer;
  url: string;
  dataDir: string;
  /** The named administrator TEST_ADMIN's admin token (testing/admin.ts). */
  adminToken: string;
  /** The bootstrap token, already spent on TEST_ADMIN: refused everywhere. */
  bootstrapToken: string;
  call(
    method: 'GET' | 'POST',
    path: string,
    options?: {
      token?: string | null;
      body?: unknown;
      rawBody?: string;
      /** With rawBody: its content type (default application/json). */
      contentType?: string;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: LooseBody; headers: Headers }>;
  /**
   * `call` without the socket: the request goes through Fastify's inject,
   * the same hooks, parsers, limits and handlers, checked against the same
   * OpenAPI description. For tests that send thousands of bodies; what is
   * about HTTP itself goes through `call`.
   */
  inject: TestServer['call'];
  close(): Promise<void>;
};

export async function startTestServer(
  options: Partial<ServerOptions> = {},
  /** `isEmpty`: no administrator yet, an empty log; `adminToken` is then the unspent bootstrap token. */
  setup: { isEmpty?: boolean } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dearpos-server-'));
  const server = await createServer({
    rateLimit: false,
    // Pushes are checked on the main thread: the push-check worker costs ~0.5 s
    // of CPU to load at every server start, and the suite starts hundreds of
    // servers. The check is the same function either way; the worker path,
    // and that both paths answer alike, are pushChecker.test.ts's to prove.
    pushCheck: { inlineBelowBytes: Infinity },
    ...options,
    dataDir,
  });
  const url = await server.listen(0);
  const { adminToken, bootstrapToken } = setup.isEmpty
    ? await unspentBootstrap(server.store.db)
    : await bootstrapTestAdmin(server);
  const checkResponse = responseCheckerFor(server, options.plugins !== undefined);
  const request = (o: Parameters<TestServer['call']>[2] = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) {
      body = o.rawBody;
      headers['content-type'] = o.contentType ?? 'application/json';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    return { headers, body };
  };
  const received = (
    method: string,
    path: string,
    status: number,
    headers: Headers,
    text: string,
  ): Awaited<ReturnType<TestServer['call']>> => {
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // ndjson or empty: the caller reads it as text
    }
    checkResponse(method, path, status, headers.get('content-type') ?? '', parsed);
    return { status, body: parsed, headers };
  };
  return {
    server,
    url,
    dataDir,
    adminToken,
    bootstrapToken,
    async call(method, path, o = {}) {
      const { headers, body } = request(o);
      const res = await fetch(url + path, { method, headers, body });
      return received(method, path, res.status, res.headers, await res.text());
    },
    async inject(method, path, o = {}) {
      const { headers, body } = request(o);
      const res = await server.app.inject({
        method,
        url: path,
        headers,
        ...(body === undefined ? {} : { payload: body }),
      });
      const answered = new Headers();
      for (const [name, value] of Object.entries(res.headers))
        if (value !== undefined) answered.set(name, String(value));
      return received(method, path, res.statusCode, answered, res.body);
    },
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One checker for every server with the same routes: the OpenAPI description
 * depends on the route declarations only, never on a server's data, and
 * generating it and compiling its schemas costs ~150 ms of CPU per server.
 * A server with extra plugins gets its own.
 */
let sharedChecker: { routes: string; check: ReturnType<typeof openApiResponseChecker> } | null =
  null;

function responseCheckerFor(
  server: CentralServer,
  hasExtraPlugins: boolean,
): ReturnType<typeof openApiResponseChecker> {
  const build = () => openApiResponseChecker(server.app.swagger() as unknown as OpenApiDocument);
  if (hasExtraPlugins) return build();
  const routes = JSON.stringify(server.registeredRoutes);
  if (sharedChecker?.routes !== routes) sharedChecker = { routes, check: build() };
  return sharedChecker.check;
}

type OpenApiResponse = { content?: Record<string, { schema: unknown }> };
type OpenApiDocument = {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components?: { schemas?: Record<string, unknown> };
};

/**
 * Checks a response against the OpenAPI document: the operation must declare
 * its status (exactly, as 4XX/5XX, or default), and a JSON body must match
 * that response's JSON Schema (converted with zod's fromJSONSchema).
 */
export function openApiResponseChecker(
  doc: OpenApiDocument,
): (method: string, path: string, status: number, contentType: string, body: unknown) => void {
  const operations = Object.entries(doc.paths).map(([template, ops]) => ({
    template,
    // `{name}` is one path segment; a wildcard route (`/*` or `{*}`) takes the rest of the path.
    pattern: new RegExp(
      `^${template.replace(/\{\*\}|\*$/g, '.+').replace(/\{[^}*]+\}/g, '[^/]+')}$`,
    ),
    ops,
  }));
  const schemas = new Map<string, z.ZodType>();
  return (method, path, status, contentType, body) => {
    const pathname = path.split('?')[0]!;
    const where = `${method} ${pathname} answered ${status} ${JSON.stringify(body).slice(0, 300)}`;
    const operation = operations.find((o) => o.pattern.test(pathname));
    const op = operation?.ops[method.toLowerCase()];
    if (!operation || !op) {
      // Hidden from the description (the description itself), or no such route: a 404 error body.
      if (pathname === '/docs/openapi.json') return;
      if (status !== 404 || !protocolError.safeParse(body).success)
        throw new Error(`${where}: no such operation in the OpenAPI description`);
      return;
    }
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => op.responses[k]);
    if (!key) throw new Error(`${where}: the OpenAPI description declares no ${status} response`);
    const content = op.responses[key]!.content ?? {};
    if (!contentType.includes('application/json')) {
      if (!Object.keys(content).some((type) => type !== 'application/json'))
        throw new Error(`${where} as ${contentType}: the description declares only JSON`);
      return;
    }
    const jsonSchema = content['application/json']?.schema;
    if (!jsonSchema) throw new Error(`${where}: the description declares no JSON body`);
    const id = `${method} ${operation.template} ${key}`;
    let schema = schemas.get(id);
    if (!schema) {
      // zod resolves only #/$defs/… references: the document's components become $defs.
      const rooted = JSON.stringify({
        ...jsonSchema,
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $defs: doc.components?.schemas ?? {},
      }).replaceAll('"#/components/schemas/', '"#/$defs/');
      schema = z.fromJSONSchema(JSON.parse(rooted) as Parameters<typeof z.fromJSONSchema>[0]);
      schemas.set(id, schema);
    }
    const result = schema.safeParse(body);
    if (!result.success)
      throw new Error(`${where}: does not match its OpenAPI schema: ${result.error.message}`);
  };
}

/** A small catalog for tests: two stores, terminals, a release and ring targets. */
export const TEST_FLEET = {
  stores: [
    { id: 'S-1', name: 'Store One', region: 'North', ring: 'pilot', timezone: 'Europe/Paris' },
    { id: 'S-2', name: 'Store Two', region: 'South', ring: 'general', timezone: 'Europe/Paris' },
  ],
  terminals: [
    {
      id: 'T-1',
      storeId: 'S-1',
      name: 'Till 1',
      model: 'X1',
      serial: 'SN1',
      installed: null,
      lastSeen: null,
    },
    {
      id: 'T-2',
      storeId: 'S-2',
      name: 'Till 1',
      model: 'X1',
      serial: 'SN2',
      installed: null,
      lastSeen: null,
    },
  ],
};

/**
 * The users simulated devices (tech-1, createSimDevice's default actor) and
 * test consoles (u-tech) act as, regional (every store). The server judges
 * every pushed event by the actor rule: without them in the catalog, events
 * are appended but quarantined `actor_unknown`, and no read model or feed
 * counts them.
 */
export const TEST_USERS = [
  { id: 'tech-1', name: 'Test technician', role: 'technician', pin: '123456', storeIds: [] },
  {
    id: 'u-tech',
    name: 'Test console technician',
    role: 'technician',
    pin: '123456',
    storeIds: [],
  },
] as const;

/** Creates TEST_USERS (or the users given) through the admin API. */
export async function createTestUsers(
  t: {
    adminToken: string;
    call(
      method: 'POST',
      path: string,
      options: { token: string; body: unknown },
    ): Promise<{ status: number; body: LooseBody }>;
  },
  users: ReadonlyArray<(typeof TEST_USERS)[number] | Record<string, unknown>> = TEST_USERS,
): Promise<void> {
  for (const user of users) {
    const res = await t.call('POST', '/v1/admin/users', { token: t.adminToken, body: user });
    if (res.status !== 200) throw new Error(`create user: ${JSON.stringify(res.body)}`);
  }
}

/** Imports TEST_FLEET, enrolls a simulated device for `storeId`, and returns its token. */
export async function enrollSim(
  t: TestServer,
  device: { deviceId: string; publicKey: string },
  storeId: string,
): Promise<string> {
  const code = await t.call('POST', '/v1/admin/enrollment-codes', {
    token: t.adminToken,
    body: { storeId },
  });
  if (code.status !== 200) throw new Error(`enrollment code: ${JSON.stringify(code.body)}`);
  const { code: enrollmentCode } = code.body as { code: string };
  const res = await t.call('POST', '/v1/enroll', {
    body: { code: enrollmentCode, deviceId: device.deviceId, publicKey: device.publicKey },
  });
  if (res.status !== 200) throw new Error(`enroll: ${JSON.stringify(res.body)}`);
  return (res.body as { deviceToken: string }).deviceToken;
}

/** Every catalog change a device token may read, page by page from cursor 0. */
export async function pullAllChanges(t: TestServer, token: string): Promise<CatalogChange[]> {
  const all: CatalogChange[] = [];
  let cursor = '0';
  for (;;) {
    const res = await t.call('GET', `/v1/changes?cursor=${cursor}`, { token });
    if (res.status !== 200) throw new Error(`changes: ${res.status} ${JSON.stringify(res.body)}`);
    const page = changesResponse.parse(res.body);
    all.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return all;
  }
}
