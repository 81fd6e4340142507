import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { canonicalEventText } from './canonicalEvent.ts';
import { createJournal, ROWS_PER_INSERT, sha256Hex } from './journal.ts';

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
    payload: {
      terminalId: 't1',
      version: `1.${n}.0`,
      releaseId: 'r1',
      previousVersion: null,
      source: 'typed' as const,
    },
    tables: ['terminal_current'] as const,
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
      journal.record({
        ...versionChange(2),
        apply: () => {
          throw new Error('state write failed');
        },
      }),
    ).toThrow('state write failed');
    expect(journal.head().seq).toBe(1);
    expect(journal.record(versionChange(3)).event.seq).toBe(2);
    expect(journal.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses a payload that does not match its event type, or a role that may not record it', () => {
    const journal = createJournal(db);
    const bad = { ...versionChange(1), payload: { terminalId: 't1' } } as unknown as ReturnType<
      typeof versionChange
    >;
    expect(() => journal.record(bad)).toThrow(/not valid/);
    expect(() =>
      journal.record({ ...versionChange(1), actor: { userId: 'u', role: 'support' } }),
    ).toThrow(/cannot record/);
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

  describe('recordMany, which inserts its rows many at a time', () => {
    // Two full many-row statements and a remainder that goes in row by row.
    const count = 2 * ROWS_PER_INSERT + 5;
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...versionChange(from + i),
        storeId: `s${(from + i) % 3}`,
        actor: (from + i) % 2 ? actor : ({ userId: 'u-lead', role: 'manager' } as const),
      }));

    it('stores every event with exactly the columns, text and hash it returned, in seq order', () => {
      const journal = createJournal(db);
      journal.record(versionChange(0));
      const events = journal.recordMany(batch(1, count));
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 2));
      const rows = db.sqlite
        .prepare(
          'SELECT seq, id, at, type, store_id, actor_user_id, body, hash FROM journal WHERE seq > 1 ORDER BY seq',
        )
        .all() as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(count);
      rows.forEach((row, i) => {
        const event = events[i]!;
        const { hash, ...body } = event;
        expect(row).toEqual({
          seq: event.seq,
          id: event.id,
          at: event.at,
          type: event.type,
          store_id: event.storeId,
          actor_user_id: event.actor.userId,
          body: canonicalEventText(body),
          hash,
        });
        expect(sha256Hex(row.body as string)).toBe(hash);
      });
      expect(journal.head()).toEqual({ seq: count + 1, hash: events.at(-1)!.hash });
      expect(journal.verify()).toMatchObject({ ok: true, count: count + 1 });
      expect(journal.record(versionChange(999)).event.prev).toBe(events.at(-1)!.hash);
    });

    it('runs each change’s state writes in order, and an apply that throws after a full statement leaves nothing', () => {
      const journal = createJournal(db);
      journal.record(versionChange(0));
      const applied: number[] = [];
      const changes = batch(1, count).map((change, i) => ({
        ...change,
        apply: () => {
          applied.push(i);
          if (i === ROWS_PER_INSERT + 3) throw new Error('state write failed');
        },
      }));
      expect(() => journal.recordMany(changes)).toThrow('state write failed');
      expect(applied).toEqual(Array.from({ length: ROWS_PER_INSERT + 4 }, (_, i) => i));
      expect(db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get()).toBe(1);
      expect(journal.head().seq).toBe(1);
      expect(journal.recordMany(batch(1, 3)).map((e) => e.seq)).toEqual([2, 3, 4]);
      expect(journal.verify()).toMatchObject({ ok: true, count: 4 });
    });

    it('an invalid change in the middle of a batch refuses the whole batch', () => {
      const journal = createJournal(db);
      const changes = batch(1, count);
      changes[ROWS_PER_INSERT + 1] = {
        ...changes[ROWS_PER_INSERT + 1]!,
        payload: { ...versionChange(1).payload, version: '' },
      };
      expect(() => journal.recordMany(changes)).toThrow(/not valid/);
      expect(db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get()).toBe(0);
    });

    it('takes a bigger page cache only while a big batch is written, and gives it back', () => {
      const journal = createJournal(db);
      const usual = db.sqlite.pragma('cache_size', { simple: true });
      let during: unknown;
      const changes = batch(1, 20_000);
      changes[0] = {
        ...changes[0]!,
        apply: () => {
          during = db.sqlite.pragma('cache_size', { simple: true });
          return 0;
        },
      };
      journal.recordMany(changes);
      expect(during).toBeLessThan(-2000 * 5); // KiB, negative: well above SQLite's 2 MB default
      expect(db.sqlite.pragma('cache_size', { simple: true })).toBe(usual);
      const failing = batch(1, 20_000);
      failing[1] = {
        ...failing[1]!,
        apply: () => {
          throw new Error('state write failed');
        },
      };
      expect(() => journal.recordMany(failing)).toThrow('state write failed');
      expect(db.sqlite.pragma('cache_size', { simple: true })).toBe(usual);
    });
  });
});
