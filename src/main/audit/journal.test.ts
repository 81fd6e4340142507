import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createJournal } from './journal.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'journal-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger() });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const actor = { userId: 'u-tech', role: 'technician' } as const;
function versionChange(n: number) {
  return {
    type: 'fleet.version.recorded' as const,
    storeId: 's1',
    actor,
    payload: { terminalId: 't1', version: `1.${n}.0`, releaseId: 'r1', previousVersion: null, source: 'typed' as const },
    tables: ['terminal_current'],
    apply: () => n,
  };
}

describe('journal', () => {
  it('appends gapless, chained events and verifies', () => {
    const journal = createJournal(db);
    for (let i = 1; i <= 5; i++) expect(journal.record(versionChange(i)).event.seq).toBe(i);
    expect(journal.verify()).toMatchObject({ ok: true, count: 5 });
    const rows = db.sqlite.prepare('SELECT seq FROM journal').all();
    expect(rows).toHaveLength(5);
  });

  it('a change whose apply throws leaves neither state nor journal changed, and the chain continues', () => {
    const journal = createJournal(db);
    journal.record(versionChange(1));
    expect(() =>
      journal.record({ ...versionChange(2), apply: () => { throw new Error('state write failed'); } }),
    ).toThrow('state write failed');
    expect(journal.head().seq).toBe(1);
    expect(journal.record(versionChange(3)).event.seq).toBe(2);
    expect(journal.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses a payload that does not match its event type, or a role that may not record it', () => {
    const journal = createJournal(db);
    const bad = { ...versionChange(1), payload: { terminalId: 't1' } } as unknown as ReturnType<typeof versionChange>;
    expect(() => journal.record(bad)).toThrow(/not valid/);
    expect(() => journal.record({ ...versionChange(1), actor: { userId: 'u', role: 'support' } })).toThrow(/cannot record/);
    expect(journal.head().seq).toBe(0);
  });

  it('never updates or deletes an event', () => {
    const journal = createJournal(db);
    journal.record(versionChange(1));
    expect(() => db.sqlite.prepare("UPDATE journal SET type = 'x'").run()).toThrow(/never updated/);
    expect(() => db.sqlite.prepare('DELETE FROM journal').run()).toThrow(/never deleted/);
  });

  it('keeps the device id and the chain across reopen', async () => {
    const journal = createJournal(db);
    journal.record(versionChange(1));
    const file = db.file;
    db.close();
    db = await openDatabase(file, { log: createLogger() });
    const again = createJournal(db);
    expect(again.deviceId).toBe(journal.deviceId);
    expect(again.record(versionChange(2)).event.prev).toBe(journal.head().hash);
  });
});
