/**
 * The webhook admin command line against a real server database: the same
 * operations and the same refusals as the admin HTTP API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../admin.ts';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { openServerDb, type ServerDb } from '../db/open.ts';
import { loadOrCreateLogKey } from '../log/keys.ts';
import { runWebhooksCommand } from './cli.ts';
import { startReceiver, type Receiver } from './testing.ts';

let dir: string;
let store: ServerDb;
let rx: Receiver;
const lines: string[] = [];
const run = (...argv: string[]) =>
  runWebhooksCommand(store.db, argv, (t) => lines.push(t), {
    key: () => loadOrCreateLogKey({ dataDir: dir }),
    defaultAdminId: 'u-ada',
  });

/** The central actions in the log: type and the administrator named. */
async function centralActions(): Promise<Array<[string, string]>> {
  const rows = await store.db
    .selectFrom('log_entries')
    .select(['type', 'body'])
    .where('device_id', '=', SERVER_DEVICE_ID)
    .orderBy('idx')
    .execute();
  return rows.map((r) => [
    r.type,
    (JSON.parse(r.body) as { payload: { actedBy: { adminId: string } } }).payload.actedBy.adminId,
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-webhooks-cli-'));
  store = await openServerDb({ dataDir: dir });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin webhooks', () => {
  it('creates, lists, pauses, resumes, replays and deletes a subscription', async () => {
    await run('create', '--url', rx.url, '--events', 'console.quarantined,decision.no_go_recorded');
    const id = /subscription: (wh_\S+)/.exec(lines.join(''))![1]!;
    expect(lines.join('')).toMatch(/secret: whsec_[A-Za-z0-9+/=]{44}\n/);
    lines.length = 0;
    await run('list');
    expect(lines.join('')).toContain(`${id}\tactive\tpending 0\tdelivered 0\t${rx.url}`);
    await run('pause', '--id', id);
    lines.length = 0;
    await run('list');
    expect(lines.join('')).toContain(`${id}\tpaused (paused by an administrator)`);
    await run('resume', '--id', id);
    lines.length = 0;
    await run('replay', '--id', id, '--since', '2026-01-01T00:00:00Z');
    expect(lines.join('')).toBe('0 message(s) queued again\n');
    await run('delete', '--id', id, '--as', 'u-bob');
    lines.length = 0;
    await run('list');
    expect(lines).toEqual([]);
    // Each change is a central action naming its administrator (--as, else DEARPOS_ADMIN); reads are not.
    expect(await centralActions()).toEqual([
      ['admin.webhook.created', 'u-ada'],
      ['admin.webhook.paused', 'u-ada'],
      ['admin.webhook.resumed', 'u-ada'],
      ['admin.webhook.replayed', 'u-ada'],
      ['admin.webhook.deleted', 'u-bob'],
    ]);
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    await expect(
      run('create', '--url', 'ftp://example.com/x', '--events', 'console.quarantined'),
    ).rejects.toThrow(/at url/);
    await expect(run('create', '--url', rx.url, '--events', 'release.exploded')).rejects.toThrow(
      /at eventTypes\.0/,
    );
    const logged = (await centralActions()).length;
    await expect(run('pause', '--id', 'wh_nope')).rejects.toThrow(/no webhook subscription/);
    lines.length = 0;
    await run('list');
    expect(lines).toEqual([]);
    await expect(
      runWebhooksCommand(
        store.db,
        ['create', '--url', rx.url, '--events', 'console.quarantined'],
        (t) => lines.push(t),
        { key: () => loadOrCreateLogKey({ dataDir: dir }) },
      ),
    ).rejects.toThrow(/name the administrator you act for with --as ID/);
    lines.length = 0;
    await run('list');
    expect(lines).toEqual([]);
    expect(await centralActions()).toHaveLength(logged);
  });

  it('runs through `admin webhooks`, with exit code 1 on bad input', async () => {
    await store.close();
    try {
      expect(
        await runAdmin([
          'webhooks',
          'create',
          '--url',
          'gopher://x',
          '--events',
          'console.quarantined',
          '--data',
          dir,
        ]),
      ).toBe(1);
      expect(await runAdmin(['webhooks', 'list', '--data', dir])).toBe(0);
    } finally {
      store = await openServerDb({ dataDir: dir });
    }
  });
});
