/**
 * A release candidate's JUnit results: imported by an administrator (API and
 * command line), refused whole when malformed, served in the catalog pull and
 * to desks. A real server on 127.0.0.1, on SQLite and on PostgreSQL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAdmin } from '../admin.ts';
import { createSimDevice } from '../testing/device.ts';
import {
  enrollSim,
  pullAllChanges,
  startTestServer,
  TEST_FLEET,
  type TestServer,
} from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const REPORT = `<?xml version="1.0"?>
<testsuites>
  <testsuite name="checkout">
    <testcase name="card"/><testcase name="cash"><failure message="drawer did not open"/></testcase>
    <testcase name="voucher"><skipped/></testcase>
  </testsuite>
  <testsuite name="sync"><testcase name="push"/></testsuite>
</testsuites>`;

const RELEASE = {
  id: 'rel-3.0.0',
  version: '3.0.0',
  type: 'major',
  ring: 'pilot',
  status: 'planned',
  plannedAt: null,
  actualAt: null,
  title: 'Release 3',
  notesMarkdown: '',
};

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('test results on %s', (dialect) => {
  let t: TestServer;
  let databaseUrl: string | undefined;
  let deviceToken: string;
  let desk: string;
  const url = `/v1/admin/releases/${RELEASE.id}/test-results`;

  beforeAll(async () => {
    databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: RELEASE });
    deviceToken = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:North', role: 'release' },
    });
    const enrolled = await t.call('POST', '/v1/desk/enroll', {
      body: {
        code: code.body.code,
        deskId: 'desk-rel',
        publicKey: createSimDevice('S-1').publicKey,
      },
    });
    desk = enrolled.body.deskToken as string;
  });
  afterAll(() => t.close());

  async function stored() {
    const res = await t.call('GET', `/v1/desk/releases/${RELEASE.id}/test-results`, {
      token: desk,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.summary as Record<string, unknown> | null;
  }

  it('malformed XML is 400 with where and why, and nothing is stored or published', async () => {
    const changesBefore = (await pullAllChanges(t, deviceToken)).length;
    const res = await t.call('POST', url, {
      token: t.adminToken,
      body: { xml: '<testsuites>\n<testsuite name="a">\n</testsuites>' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_input');
    expect(res.body.message).toContain('line 3, column 1: </testsuites> closes <testsuite>');
    expect(res.body.message).toContain('Nothing was stored.');
    expect(await stored()).toBeNull();
    expect((await pullAllChanges(t, deviceToken)).length).toBe(changesBefore);
  });

  it('an unknown release is 404, a device token 403, a report over the limit 413', async () => {
    const unknown = await t.call('POST', '/v1/admin/releases/rel-9/test-results', {
      token: t.adminToken,
      body: { xml: REPORT },
    });
    expect(unknown.status).toBe(404);
    const device = await t.call('POST', url, { token: deviceToken, body: { xml: REPORT } });
    expect(device.status).toBe(403);
    const huge = await t.call('POST', url, {
      token: t.adminToken,
      body: { xml: `<testsuite name="x">${' '.repeat(9 * 1024 * 1024)}</testsuite>` },
    });
    expect(huge.status).toBe(413);
    expect(await stored()).toBeNull();
  });

  it('an import is summarised, served to desks and published in the catalog pull', async () => {
    const res = await t.call('POST', url, { token: t.adminToken, body: { xml: REPORT } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      releaseId: RELEASE.id,
      total: 4,
      failed: 1,
      skipped: 1,
      suites: [
        { name: 'checkout', total: 3, failed: 1, skipped: 1 },
        { name: 'sync', total: 1, failed: 0, skipped: 0 },
      ],
      failedCases: [{ suite: 'checkout', name: 'cash', message: 'drawer did not open' }],
    });
    expect(await stored()).toEqual(res.body);
    const published = (await pullAllChanges(t, deviceToken)).filter(
      (c) => c.entity === 'testResults',
    );
    expect(published).toEqual([{ entity: 'testResults', op: 'upsert', value: res.body }]);
  });

  it('the admin command line imports a file the same way; the latest import replaces the last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    const file = join(dir, 'results.xml');
    writeFileSync(file, '<testsuite name="smoke"><testcase name="boots"/></testsuite>');
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const env = process.env.DATABASE_URL;
    if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
    try {
      const rc = await runAdmin([
        'import-test-results',
        '--as',
        'test-admin',
        '--release',
        RELEASE.id,
        '--xml',
        file,
        '--data',
        t.dataDir,
      ]);
      expect(rc).toBe(0);
    } finally {
      write.mockRestore();
      if (env === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = env;
    }
    expect(out.join('')).toContain('1 tests, 0 failed, 0 skipped in 1 suite(s)');
    expect(await stored()).toMatchObject({ total: 1, failed: 0, suites: [{ name: 'smoke' }] });
  });
});
