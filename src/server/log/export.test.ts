import { spawn } from 'node:child_process';
import { TEST_ADMIN } from '../testing/admin.ts';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../auth/tokens.ts';
import { startTestServer, type TestServer } from '../testing/harness.ts';
import { appendSyntheticEntries } from '../testing/syntheticLog.ts';
import { exportLog } from './exportCli.ts';

const SIZE = 12_000;
const CLI = resolve(import.meta.dirname, 'exportCli.ts');

let t: TestServer;
let auditor: string;
let dir: string;

beforeAll(async () => {
  // An empty log (no administrator's bootstrap entry), so the synthetic entries are the whole log.
  t = await startTestServer({}, { isEmpty: true });
  await appendSyntheticEntries(t.server, SIZE);
  const db = t.server.store.db;
  await db
    .updateTable('log_entries')
    .set({ quarantine_reason: 'actor_unknown: user "ghost" is not in the catalog' })
    .where('idx', '=', 7)
    .execute();
  await db.updateTable('log_entries').set({ store_id: 'S-"odd]\\' }).where('idx', '=', 8).execute();
  auditor = await issueToken(db, 'auditor', { label: 'siem', now: new Date() });
  dir = mkdtempSync(join(tmpdir(), 'dearpos-export-'));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/log/export', () => {
  it('JSON Lines: each entry with its index, hash and quarantine, the event as hashed', async () => {
    const res = await t.call('GET', '/v1/log/export?start=5&limit=4', { token: auditor });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-next-index')).toBe('9');
    const lines = (res.body as string)
      .trimEnd()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            index: number;
            hash: string;
            quarantine: string | null;
            event: { type: string };
          },
      );
    expect(lines.map((l) => l.index)).toEqual([5, 6, 7, 8]);
    const text = (res.body as string).split('\n')[0]!;
    const body = text.slice(text.indexOf('"event":') + '"event":'.length, -1);
    expect(createHash('sha256').update(body).digest('hex')).toBe(lines[0]!.hash);
    expect(lines[2]!.quarantine).toContain('actor_unknown');
    expect(lines[1]!.quarantine).toBeNull();
    expect(lines[0]!.event.type).toBe('fleet.version.recorded');
  });

  it('RFC 5424 syslog: priority by quarantine, structured data escaped, the event as the message', async () => {
    const res = await t.call('GET', '/v1/log/export?start=6&limit=3&format=syslog', {
      token: auditor,
    });
    const lines = (res.body as string).trimEnd().split('\n');
    const shape =
      /^<(\d+)>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \S+ dearpos-central-log - fleet\.version\.recorded \[dearpos@32473 index="\d+" hash="[0-9a-f]{64}" store="(?:[^"\\\]]|\\["\\\]])*" device="[^"]*" seq="\d+"( quarantine="(?:[^"\\\]]|\\["\\\]])*")?\] \uFEFF\{.*\}$/;
    for (const line of lines) expect(line).toMatch(shape);
    expect(lines[0]).toMatch(/^<110>/);
    expect(lines[1]).toMatch(/^<108>.* quarantine="actor_unknown/);
    expect(lines[2]).toContain('store="S-\\"odd\\]\\\\"');
  });

  it('refuses bad input and callers without an auditor or admin token', async () => {
    for (const query of ['start=0&format=xml', 'start=0&limit=0', 'start=0&limit=10001', 'limit=5'])
      expect((await t.call('GET', `/v1/log/export?${query}`, { token: auditor })).status).toBe(400);
    const beyond = await t.call('GET', `/v1/log/export?start=${SIZE + 1}`, { token: auditor });
    expect(beyond.status).toBe(400);
    expect(beyond.body.message).toContain('beyond');
    expect((await t.call('GET', '/v1/log/export?start=0')).status).toBe(401);
    const admin = await issueToken(t.server.store.db, 'admin', {
      userId: TEST_ADMIN.id,
      now: new Date(),
    });
    await t.server.store.db
      .insertInto('users')
      .values({ id: TEST_ADMIN.id, data: JSON.stringify({ role: 'admin' }) })
      .execute();
    expect((await t.call('GET', '/v1/log/export?start=0&limit=1', { token: admin })).status).toBe(
      200,
    );
  });
});

describe('the resumable exporter', () => {
  it('killed with SIGKILL again and again, it finishes with every entry exactly once', async () => {
    const expected = join(dir, 'expected.jsonl');
    await exportLog({ server: t.url, token: auditor, out: expected, format: 'jsonl' });
    const out = join(dir, 'killed.jsonl');
    let kills = 0;
    for (let run = 0; run < 30; run++) {
      const child = spawn(
        process.execPath,
        [
          '--experimental-strip-types',
          '--no-warnings',
          CLI,
          '--server',
          t.url,
          '--out',
          out,
          '--page-size',
          '3000',
        ],
        { env: { ...process.env, DEARPOS_AUDITOR_TOKEN: auditor }, stdio: 'ignore' },
      );
      // Kill it as soon as it has acknowledged one more page (or let it finish).
      const before = existsSync(`${out}.cursor`) ? readFileSync(`${out}.cursor`, 'utf8') : '';
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const watcher = watch(dir, () => {
        const now = existsSync(`${out}.cursor`) ? readFileSync(`${out}.cursor`, 'utf8') : '';
        if (now !== before && now !== '') child.kill('SIGKILL');
      });
      const code = await exited;
      watcher.close();
      if (code === 0) break;
      kills++;
    }
    // Four pages: killed after each of the first three (or later, when the kill lands late).
    expect(kills).toBeGreaterThanOrEqual(1);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(expected, 'utf8'));
    const indexes = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { index: number }).index);
    expect(indexes).toEqual(Array.from({ length: SIZE }, (_, i) => i));
  });

  it('a page written but not acknowledged by the cursor is cut and written once', async () => {
    const out = join(dir, 'torn.jsonl');
    await exportLog({ server: t.url, token: auditor, out, format: 'jsonl', pageSize: 5000 });
    const whole = readFileSync(out, 'utf8');
    // As if killed after writing part of the next page: bytes beyond the cursor's length.
    const cursor = JSON.parse(readFileSync(`${out}.cursor`, 'utf8')) as { bytes: number };
    const cut = Buffer.byteLength(whole.slice(0, whole.indexOf('{"index":5000,')));
    writeFileSync(`${out}.cursor`, JSON.stringify({ next: 5000, bytes: cut, format: 'jsonl' }));
    expect(cursor.bytes).toBe(Buffer.byteLength(whole));
    await exportLog({ server: t.url, token: auditor, out, format: 'jsonl' });
    expect(readFileSync(out, 'utf8')).toBe(whole);
  });

  it('refuses a file it did not write, and a cursor of the other format', async () => {
    const stray = join(dir, 'stray.jsonl');
    writeFileSync(stray, 'hello\n');
    await expect(
      exportLog({ server: t.url, token: auditor, out: stray, format: 'jsonl' }),
    ).rejects.toThrow(/without .*cursor/);
    const out = join(dir, 'fmt.log');
    await exportLog({ server: t.url, token: auditor, out, format: 'syslog' });
    await expect(
      exportLog({ server: t.url, token: auditor, out, format: 'jsonl' }),
    ).rejects.toThrow(/syslog lines/);
  });
});
