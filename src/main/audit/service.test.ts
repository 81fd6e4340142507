import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditStatus, JournalEventsPage } from '../../shared/contract/audit.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startTestApp, TECH } from '../app/testSupport.ts';
import { startCentralServer, type CentralServerProcess } from '../sync/testing/centralServer.ts';
import { openTestConsole, type TestConsole } from '../sync/testing/console.ts';
import { writeFileSync } from 'node:fs';
import { verifyAuditFile } from './verifyFile.ts';
import { createAuditService } from './service.ts';

describe('the audit screen’s calls', () => {
  it('journal state, pages by type, and a verifiable export, on a demo console offline', async () => {
    const app = await startTestApp({ withDemo: true });
    try {
      expectOk(await app.dispatch('session:signIn', TECH));
      const page = expectOk(
        await app.dispatch('fleet:listTerminals', {
          filter: {},
          sort: { key: 'store', desc: false },
          offset: 0,
          limit: 12,
        }),
      ) as { rows: Array<{ id: string }> };
      for (const [i, terminal] of page.rows.entries())
        expectOk(
          await app.dispatch('fleet:recordVersion', {
            terminalId: terminal.id,
            version: i % 2 === 0 ? '4.4.0' : '5.0.0',
            source: 'typed',
          }),
        );
      const status = expectOk(await app.dispatch('audit:status', {})) as AuditStatus;
      expect(status.isEnrolled).toBe(false);
      expect(status.treeHead).toBeNull();
      expect(status.journal.count).toBeGreaterThan(10);
      const all = expectOk(
        await app.dispatch('audit:journalEvents', { offset: 0, limit: 5 }),
      ) as JournalEventsPage;
      expect(all.total).toBe(status.journal.count);
      expect(all.rows).toHaveLength(5);
      // Newest first, and none sent: the demo fleet is never synced.
      expect(all.rows[0]!.seq).toBe(status.journal.headSeq);
      expect(all.rows.every((r) => !r.isSynced)).toBe(true);
      const type = all.types[0]!;
      const ofType = expectOk(
        await app.dispatch('audit:journalEvents', { offset: 0, limit: 500, type }),
      ) as JournalEventsPage;
      expect(ofType.rows.length).toBeGreaterThan(0);
      expect(ofType.rows.every((r) => r.type === type)).toBe(true);

      const file = expectOk(await app.dispatch('audit:journalExport', {})) as {
        fileName: string;
        content: string;
      };
      expect(file.fileName).toMatch(/^journal-[\d-]+\.jsonl$/);
      // The file npm run audit:verify reads: verified without the console.
      const saved = join(app.dir, file.fileName);
      writeFileSync(saved, file.content);
      expect(verifyAuditFile(saved)).toMatchObject({
        kind: 'journal-export',
        ok: true,
        count: status.journal.count,
      });

      for (const bad of [
        { offset: 0, limit: 0 },
        { offset: -1, limit: 5 },
        { offset: 0, limit: 5, type: "x'; DROP TABLE journal" },
        { offset: 0, limit: 5, extra: 1 },
      ]) {
        const result = await app.dispatch('audit:journalEvents', bad);
        expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
    } finally {
      await app.dispose();
    }
  });

  it('refuses a caller who is not signed in', async () => {
    const app = await startTestApp({ withDemo: true });
    try {
      expect(await app.dispatch('audit:status', {})).toMatchObject({
        ok: false,
        error: { code: 'not_signed_in' },
      });
    } finally {
      await app.dispose();
    }
  });
});

describe('after a sync with a real central server', () => {
  let server: CentralServerProcess;
  let c: TestConsole;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dearpos-audit-'));
    server = await startCentralServer({ dataDir: join(dir, 'server'), isDemo: true });
    c = await openTestConsole(dir);
  });
  afterAll(async () => {
    await c.close();
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the verified tree head and the proven inclusion of its newest event', async () => {
    await c.engine.connect({ serverUrl: server.url, enrollmentCode: server.enrollmentCode! });
    c.record(30);
    await c.drain();
    const audit = createAuditService({ db: c.db, now: () => new Date() });
    const status = audit.status();
    const head = (
      (await (await fetch(`${server.url}/v1/log/tree-head`)).json()) as {
        treeHead: { size: number; root: string };
      }
    ).treeHead;
    expect(status.isEnrolled).toBe(true);
    expect(status.treeHead).toMatchObject({ size: head.size, root: head.root });
    expect(status.inclusion).toMatchObject({ index: head.size - 1, treeSize: head.size });
    expect(status.ackedSeq).toBe(status.journal.headSeq);
    expect(audit.journalEvents({ offset: 0, limit: 50 }).rows.every((r) => r.isSynced)).toBe(true);
  });
});
