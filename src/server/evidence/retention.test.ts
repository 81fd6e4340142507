import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { archiveEvidence, archivePathOf } from './retention.ts';

// Two 1×1 PNGs that differ in one pixel byte (and so in hash).
const PNG_A =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_B =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const sha = (base64: string) =>
  createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
const DAY = 24 * 60 * 60 * 1000;

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('evidence retention on %s', (dialect) => {
  let t: TestServer;
  let archiveDir: string;
  let device: string;
  let auditor: string;

  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'dearpos-archive-'));
    t = await startTestServer({
      evidenceArchiveDir: archiveDir,
      ...(dialect === 'postgres' ? { databaseUrl: await postgres.createDatabase() } : {}),
    });
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    device = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    auditor = (
      await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'a' },
      })
    ).body.token;
    for (const png of [PNG_A, PNG_B])
      expect(
        (
          await t.call('POST', `/v1/evidence/${sha(png)}`, {
            token: device,
            body: { mimeType: 'image/png', dataBase64: png },
          })
        ).status,
      ).toBe(200);
    // A is 40 days old, B 5 days.
    const now = Date.now();
    await t.server.store.db
      .updateTable('evidence_files')
      .set({ received_at: new Date(now - 40 * DAY).toISOString() })
      .where('sha256', '=', sha(PNG_A))
      .execute();
    await t.server.store.db
      .updateTable('evidence_files')
      .set({ received_at: new Date(now - 5 * DAY).toISOString() })
      .where('sha256', '=', sha(PNG_B))
      .execute();
  });
  afterAll(async () => {
    await t.close();
    rmSync(archiveDir, { recursive: true, force: true });
  });

  it('moves only files older than the policy, keeps their rows and hashes, and serves them back from the archive', async () => {
    const out = await archiveEvidence(t.server.store, {
      olderThanDays: 30,
      archiveDir,
      now: new Date(),
    });
    expect(out).toEqual({ archived: 1, bytes: 70 });
    const rows = await t.server.store.db
      .selectFrom('evidence_files')
      .select(['sha256', 'byte_length', 'archived_at', 'archive_path', 'data'])
      .orderBy('sha256')
      .execute();
    const a = rows.find((r) => r.sha256 === sha(PNG_A))!;
    const b = rows.find((r) => r.sha256 === sha(PNG_B))!;
    expect(a).toMatchObject({ byte_length: 70, archive_path: archivePathOf(sha(PNG_A)) });
    expect(Buffer.from(a.data).length).toBe(0);
    expect(b.archived_at).toBeNull();
    expect(readFileSync(join(archiveDir, archivePathOf(sha(PNG_A))))).toEqual(
      Buffer.from(PNG_A, 'base64'),
    );
    const served = await fetch(`${t.url}/v1/evidence/${sha(PNG_A)}`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.from(PNG_A, 'base64'));
    // Run again: nothing left to move, nothing changed.
    expect(
      await archiveEvidence(t.server.store, { olderThanDays: 30, archiveDir, now: new Date() }),
    ).toEqual({ archived: 0, bytes: 0 });
  });

  it('an archived file changed on disk is refused, not served; one missing says it was archived', async () => {
    const file = join(archiveDir, archivePathOf(sha(PNG_A)));
    writeFileSync(file, Buffer.from(PNG_B, 'base64'));
    const changed = await t.call('GET', `/v1/evidence/${sha(PNG_A)}`, { token: auditor });
    expect(changed.status).toBe(500);
    expect(changed.body.message).toContain('archive was changed');
    rmSync(file);
    expect(existsSync(file)).toBe(false);
    const missing = await t.call('GET', `/v1/evidence/${sha(PNG_A)}`, { token: auditor });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/archived on \d{4}-\d\d-\d\d/);
  });

  it('refuses a retention of less than a day', async () => {
    await expect(
      archiveEvidence(t.server.store, { olderThanDays: 0, archiveDir, now: new Date() }),
    ).rejects.toThrow(/at least 1/);
  });
});
