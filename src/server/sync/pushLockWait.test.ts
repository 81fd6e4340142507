// A push that waited for the log lock must see what the push before it
// committed: on PostgreSQL the lock and the device's head are read in one
// statement (push.ts, lockHeadAndReadDevice), which is only right if the
// device row it returns is the newest one, not the one from before the wait.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pushResponse } from '../../shared/sync/protocol.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

let postgres: TestPostgres;
let databaseUrl: string;
let t: TestServer;
beforeAll(async () => {
  postgres = await startTestPostgres();
  databaseUrl = await postgres.createDatabase();
  t = await startTestServer({ databaseUrl });
  expect(
    (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET })).status,
  ).toBe(200);
});
afterAll(async () => {
  await t.close();
  postgres.stop();
});

/** Resolves once `count` backends wait for a lock (checked every 20 ms, up to 10 s). */
async function lockWaiters(client: pg.Client, count: number): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
    );
    if (rows[0]!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No push waited for the log lock within 10 s.`);
}

it('a push that waited for the log lock continues from the device head committed meanwhile', async () => {
  const d = createSimDevice('S-1');
  const token = await enrollSim(t, d, 'S-1');
  for (let i = 0; i < 6; i++) d.record('fleet.version.recorded', versionPayload(i));

  const holder = new pg.Client({ connectionString: databaseUrl });
  const watcher = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await watcher.connect();
  try {
    // Another transaction holds the log lock and moves the device's head to seq 3,
    // as the push of seqs 1..3 does before it commits.
    await holder.query('BEGIN');
    await holder.query('SELECT size FROM log_head WHERE id = 1 FOR UPDATE');
    await holder.query('UPDATE devices SET last_seq = 3, last_hash = $1 WHERE id = $2', [
      d.events[2]!.hash,
      d.deviceId,
    ]);
    const pending = t.call('POST', '/v1/events', { token, body: d.pushBody(4, 6) });
    await lockWaiters(watcher, 1);
    await holder.query('COMMIT');

    const res = await pending;
    expect(res.status).toBe(200);
    expect(pushResponse.parse(res.body)).toMatchObject({
      ackSeq: 6,
      appended: { firstSeq: 4, lastSeq: 6 },
    });
  } finally {
    await holder.end();
    await watcher.end();
  }
});
