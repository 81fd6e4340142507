import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushRequest } from '../../shared/sync/protocol.ts';
import { createJournal } from '../audit/journal.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { pushBodyText } from './client.ts';
import { versionChange } from './testing/console.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sync-client-'));
  db = await openDatabase(join(dir, 'console.sqlite'), { log: createLogger() });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('push body built from stored canonical events', () => {
  it('is exactly the protocol push request, with each event as it was hashed plus its hash', () => {
    const journal = createJournal(db);
    const events = journal.recordMany(Array.from({ length: 25 }, (_, i) => versionChange('st-1', i)));
    const rows = db.sqlite.prepare('SELECT body, hash FROM journal ORDER BY seq').all() as Array<{ body: string; hash: string }>;
    const checkpoint = { seq: 25, head: events[24]!.hash, signature: `${'A'.repeat(86)}==` };
    const text = pushBodyText(journal.deviceId, rows, checkpoint);
    const parsed = pushRequest.parse(JSON.parse(text));
    expect(parsed).toEqual({ deviceId: journal.deviceId, checkpoint, events });
  });
});
