import type Database from 'better-sqlite3';
import { issueToken } from '../auth/tokens.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb } from '../db/open.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createLogIntegrityMonitor } from './integrity.ts';
import { loadOrCreateLogKey, sha256Hex } from './keys.ts';

function capturingLogger() {
  const lines: Array<{ level: number; msg: string; reason?: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as (typeof lines)[number]);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

async function push(t: TestServer, token: string, device: SimDevice, count: number) {
  const from = device.events.length + 1;
  for (let i = 0; i < count; i++) device.record('fleet.version.recorded', versionPayload(i));
  return t.call('POST', '/v1/events', {
    token,
    body: device.pushBody(from, device.events.length),
  });
}

async function treeHeadCount(t: TestServer): Promise<number> {
  const row = await t.server.store.db
    .selectFrom('tree_heads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(['sqlite', 'postgres'] as const)(
  'the server checks its stored log (%s)',
  (dialect) => {
    let dataDir: string;
    let databaseUrl: string | undefined;
    let t: TestServer;
    let token: string;
    const device = createSimDevice('S-1');
    const restart = async (logger = capturingLogger()) => {
      await t.close();
      t = await startTestServer({ dataDir, databaseUrl, logger: logger.log });
      return logger;
    };

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'dearpos-integrity-'));
      databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
      t = await startTestServer({ dataDir, databaseUrl });
      await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
      token = await enrollSim(t, device, 'S-1');
      // 40 events in 4 pushes after 3 central actions (the administrator's bootstrap, the fleet
      // import, the enrollment code): signed tree heads, stored Merkle nodes at level 4 and 5.
      for (let i = 0; i < 4; i++) expect((await push(t, token, device, 10)).status).toBe(200);
    });
    afterAll(async () => {
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('verifies an untouched log at start and, incrementally, what is appended after', async () => {
      await restart();
      expect(t.server.integrity.status()).toMatchObject({ ok: true, verifiedSize: 43 });
      expect((await t.call('GET', '/readyz')).status).toBe(200);
      expect((await push(t, token, device, 5)).status).toBe(200);
      expect(await t.server.integrity.checkNow()).toMatchObject({ ok: true, verifiedSize: 48 });
      const metrics = await t.server.integrity.registry.metrics();
      expect(metrics).toMatch(/dearpos_log_integrity_ok 1/);
      expect(metrics).toMatch(/dearpos_log_verified_size 48/);
    });

    it('after one stored event body is edited and the server restarted, it raises the alarm and signs no new tree head', async () => {
      await t.close();
      // The operator's worst day: someone edits a stored event in the database.
      const store = await openServerDb({ dataDir, databaseUrl, log: capturingLogger().log });
      await store.db
        .updateTable('log_entries')
        .set({ body: sql<string>`replace(body, '"typed"', '"scanned"')` })
        .where('idx', '=', 7)
        .execute();
      await store.close();

      const logger = capturingLogger();
      t = await startTestServer({ dataDir, databaseUrl, logger: logger.log });
      const status = t.server.integrity.status();
      expect(status.ok).toBe(false);
      expect(status.reason).toMatch(/log entry 7/);
      const alarm = logger.lines.find((l) => l.level === 50);
      expect(alarm?.msg).toMatch(/LOG INTEGRITY ALARM/);
      expect(alarm?.reason).toMatch(/log entry 7/);
      expect(await t.server.integrity.registry.metrics()).toMatch(/dearpos_log_integrity_ok 0/);
      // The orchestrator sees it: /readyz fails with the reason, /metrics carries the alarm.
      const ready = await t.call('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(JSON.stringify(ready.body)).toMatch(/logIntegrity.*log entry 7/);
      // A halted log takes no central action either (an auditor token issued through the API
      // would be one): this token is written straight into the database.
      const halted = await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'metrics' },
      });
      expect(halted.status).toBe(503);
      const auditor = await issueToken(t.server.store.db, 'auditor', {
        label: 'metrics',
        now: new Date(),
      });
      const metrics = await fetch(`${t.url}/metrics`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      const text = await metrics.text();
      expect(text).toMatch(/dearpos_log_integrity_ok 0/);
      expect(text).toMatch(/dearpos_log_integrity_failures_total 1/);

      const headsBefore = await treeHeadCount(t);
      const refused = await push(t, token, device, 3);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'unavailable' });
      expect(refused.body.message).toMatch(/halted/);
      expect(await treeHeadCount(t)).toBe(headsBefore);
      // Nothing of the refused push was stored; the alarm stays raised.
      const size = await t.server.store.db
        .selectFrom('log_head')
        .select('size')
        .executeTakeFirstOrThrow();
      expect(Number(size.size)).toBe(48);
      expect((await t.server.integrity.checkNow()).ok).toBe(false);
      device.events.splice(45);
    });
  },
);

describe('what the check catches (sqlite)', () => {
  let t: TestServer;
  let token: string;
  const device = createSimDevice('S-1');

  beforeAll(async () => {
    t = await startTestServer();
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    token = await enrollSim(t, device, 'S-1');
    for (let i = 0; i < 3; i++) expect((await push(t, token, device, 12)).status).toBe(200);
  });
  afterAll(() => t.close());

  /** A fresh monitor over a copy of the log with one tampering applied. */
  async function checkTampered(
    tamper: string | ((sqlite: Database.Database) => void),
  ): Promise<string | undefined> {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-integrity-copy-'));
    try {
      const copy = join(dir, 'server.sqlite');
      t.server.store.sqlite!.exec(`VACUUM INTO '${copy}'`);
      const store = await openServerDb({ dataDir: dir, log: capturingLogger().log });
      if (typeof tamper === 'string') store.sqlite!.exec(tamper);
      else tamper(store.sqlite!);
      const monitor = createLogIntegrityMonitor({
        db: store.db,
        key: loadOrCreateLogKey({ dataDir: t.dataDir }),
        log: capturingLogger().log,
      });
      const status = await monitor.checkNow();
      await store.close();
      return status.ok ? undefined : status.reason;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('an event body and its hash edited together (the root no longer matches the signed tree head)', async () => {
    const reason = await checkTampered((sqlite) => {
      const row = sqlite.prepare('SELECT body FROM log_entries WHERE idx = 30').get() as {
        body: string;
      };
      const body = row.body.replace('"typed"', '"scanned"');
      sqlite
        .prepare('UPDATE log_entries SET body = ?, hash = ? WHERE idx = 30')
        .run(body, sha256Hex(body));
    });
    expect(reason).toMatch(/tree head signed/);
  });

  it('a stored Merkle node, a deleted entry, a re-rooted log head, a forged tree head', async () => {
    expect(
      await checkTampered(
        `UPDATE merkle_nodes SET hash = '${'0'.repeat(64)}' WHERE level = 4 AND idx = 1`,
      ),
    ).toMatch(/Merkle node 4:1 does not match/);
    expect(await checkTampered('DELETE FROM log_entries WHERE idx = 20')).toMatch(
      /log entry 20 is missing/,
    );
    expect(
      await checkTampered(
        `UPDATE log_head SET root = '${'1'.repeat(64)}'; DELETE FROM tree_heads WHERE size = 39`,
      ),
    ).toMatch(/log head's root/);
    expect(
      await checkTampered(
        `UPDATE tree_heads SET at = '2020-01-01T00:00:00.000Z' WHERE size = (SELECT max(size) FROM tree_heads)`,
      ),
    ).toMatch(/not signed by this log's key/);
    expect(await checkTampered('SELECT 1')).toBeUndefined();
  });

  it('an entry edited after start is caught by the next scheduled check, which reads only what is new', async () => {
    expect(t.server.integrity.status()).toMatchObject({ ok: true, verifiedSize: 0 });
    expect(await t.server.integrity.checkNow()).toMatchObject({ ok: true, verifiedSize: 39 });
    expect((await push(t, token, device, 4)).status).toBe(200);
    t.server.store.sqlite!.exec(
      `UPDATE log_entries SET body = replace(body, '"typed"', '"scanned"') WHERE idx = 40`,
    );
    const status = await t.server.integrity.checkNow();
    expect(status).toMatchObject({ ok: false, verifiedSize: 39 });
    expect(status.reason).toMatch(/log entry 40/);
    expect((await push(t, token, device, 1)).status).toBe(503);
  });
});
