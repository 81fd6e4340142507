/**
 * The console's quarantine marks on a real SQLite file: a retried ack notes
 * nothing twice (the first note stays), reasons are found by seq, and a mark
 * survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createJournal } from '../audit/journal.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createLogger } from '../log.ts';
import {
  countQuarantineMarks,
  listQuarantineMarks,
  quarantineReasonsOf,
  recordQuarantineMarks,
} from './quarantineMarks.ts';
import { versionChange } from './testing/console.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quarantine-marks-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger() });
  createJournal(db).recordMany([1, 2, 3].map((n) => versionChange('S-1', n)));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('notes each mark once, keeps the first note, finds reasons by seq and survives a restart', async () => {
  recordQuarantineMarks(db, [{ seq: 2, reason: 'actor_unknown' }], '2026-12-07T09:00:00.000Z');
  // The same ack again (a retried push), later.
  recordQuarantineMarks(db, [{ seq: 2, reason: 'actor_unknown' }], '2026-12-07T10:00:00.000Z');
  recordQuarantineMarks(db, [], '2026-12-07T10:00:00.000Z');
  expect(countQuarantineMarks(db)).toBe(1);
  expect([...quarantineReasonsOf(db, [1, 2, 3])]).toEqual([[2, 'actor_unknown']]);
  expect(quarantineReasonsOf(db, []).size).toBe(0);
  db.close();
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger() });
  const page = listQuarantineMarks(db, {});
  expect(page).toMatchObject({ total: 1, nextBeforeSeq: null });
  expect(page.events).toEqual([
    expect.objectContaining({
      seq: 2,
      reason: 'actor_unknown',
      userId: 'u-tech',
      type: 'fleet.version.recorded',
      notedAt: '2026-12-07T09:00:00.000Z',
    }),
  ]);
});
