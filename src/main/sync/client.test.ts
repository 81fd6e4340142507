import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushRequest } from '../../shared/sync/protocol.ts';
import { createJournal } from '../audit/journal.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { createSyncClient, pushBodyBytes, SyncHttpError } from './client.ts';
import { versionChange } from './testing/console.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sync-client-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger() });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('push body built from stored canonical events', () => {
  it('is exactly the protocol push request, with each event as it was hashed plus its hash', () => {
    const journal = createJournal(db);
    const events = journal.recordMany(
      Array.from({ length: 25 }, (_, i) => versionChange('st-1', i)),
    );
    const rows = db.sqlite.prepare('SELECT body, hash FROM journal ORDER BY seq').all() as Array<{
      body: string;
      hash: string;
    }>;
    const checkpoint = { seq: 25, head: events[24]!.hash, signature: `${'A'.repeat(86)}==` };
    const bytes = pushBodyBytes(journal.deviceId, rows, checkpoint);
    const parsed = pushRequest.parse(JSON.parse(bytes.toString('utf8')));
    expect(parsed).toEqual({ deviceId: journal.deviceId, checkpoint, events });
  });

  it('counts bytes, not characters: bodies with multi-byte UTF-8 come out whole and exact', () => {
    const rows = [
      { body: '{"note":"Caisse 2 — reçu illisible 🧾","seq":1}', hash: 'a'.repeat(64) },
      { body: '{"note":"ascii only","seq":2}', hash: 'b'.repeat(64) },
      { body: '{"note":"日本語のメモ","seq":3}', hash: 'c'.repeat(64) },
    ];
    const checkpoint = { seq: 3, head: 'c'.repeat(64), signature: `${'A'.repeat(86)}==` };
    const bytes = pushBodyBytes('dev-é', rows, checkpoint);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({
      deviceId: 'dev-é',
      checkpoint,
      events: rows.map((r) => ({ ...(JSON.parse(r.body) as object), hash: r.hash })),
    });
    expect(pushBodyBytes('d', [], checkpoint).toString('utf8')).toBe(
      `{"deviceId":"d","checkpoint":${JSON.stringify(checkpoint)},"events":[]}`,
    );
    expect(() =>
      pushBodyBytes('d', [{ body: '["not an object"]', hash: 'a' }], checkpoint),
    ).toThrow(/not a JSON object/);
  });
});

describe('the node:http client against the real central server on loopback', () => {
  let serverDir: string;
  let server: CentralServerProcess;
  beforeEach(async () => {
    serverDir = mkdtempSync(join(tmpdir(), 'sync-client-server-'));
    server = await startCentralServer({ dataDir: serverDir });
  });
  afterEach(async () => {
    await server.stop();
    rmSync(serverDir, { recursive: true, force: true });
  });

  it('reads an answer with its schema, and a refusal as a protocol error with its code', async () => {
    const client = createSyncClient(`${server.url}/`);
    const head = await client.treeHead();
    expect(head.treeHead.kind).toBe('tree-head');
    const refused = await client.pushSerialized('not-a-token', '{}').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncHttpError);
    expect(refused).toMatchObject({
      kind: 'protocol',
      status: 401,
      body: { code: 'unauthorized' },
    });
  });

  it('sends pipelined requests on kept-alive connections and gets each its own answer', async () => {
    const client = createSyncClient(server.url);
    // Alternating answers of different kinds: a crossed answer would show up as the wrong kind.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? client.treeHead().then((h) => h.treeHead.kind)
          : client
              .pushSerialized(`bad-token-${i}`, '{}')
              .catch((e: unknown) => (e as SyncHttpError).body?.code),
      ),
    );
    expect(answers).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 'tree-head' : 'unauthorized')),
    );
  });
});

describe('the node:http client without an answer', () => {
  it('reports a closed port as a network error (connection refused)', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const error = await createSyncClient(`http://127.0.0.1:${port}`)
      .treeHead()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'network',
      message: 'The central server is not reachable (connection refused).',
    });
  });

  it('gives up after its timeout when the server accepts but never answers', async () => {
    const silent = createServer(() => {
      // never answers
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as AddressInfo;
      const client = createSyncClient(`http://127.0.0.1:${port}`, { timeoutMs: 200 });
      const error = await client
        .pushSerialized('token', '{"deviceId":"d"}')
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        kind: 'network',
        message: 'The central server did not answer in time.',
      });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
