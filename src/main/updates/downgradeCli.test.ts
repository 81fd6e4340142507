import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJournal } from '../audit/journal.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { runDowngradeCli } from './downgradeCli.ts';

const log = createLogger({ level: 'silent' });
const now = () => new Date('2026-12-07T10:00:00.000Z');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-downgrade-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  let out = '';
  let err = '';
  const code = runDowngradeCli(args, { out: (t) => (out += t), err: (t) => (err += t) }, now);
  return { code, out, err };
}

/** A database written by console 9.0.0 holding two events the server never acknowledged. */
async function writtenByNewerConsole(): Promise<string[]> {
  const db = await openDatabase(join(dir, 'console.sqlite'), { log, appVersion: '9.0.0' });
  const journal = createJournal(db, { now });
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const { event } = journal.record({
      type: 'fleet.version.recorded',
      storeId: 's1',
      actor: { userId: 'u-tech', role: 'technician' },
      payload: {
        terminalId: 't1',
        version: `9.${n}.0`,
        releaseId: 'r1',
        previousVersion: null,
        source: 'typed',
      },
      tables: ['terminal_current'],
      apply: () => undefined,
    });
    ids.push(event.id);
  }
  db.close();
  return ids;
}

describe('npm run console:downgrade', () => {
  it('exports the unsynced events, keeps the newer database and lets the older console open its data folder', async () => {
    const ids = await writtenByNewerConsole();
    await expect(
      openDatabase(join(dir, 'console.sqlite'), { log, appVersion: '1.4.0' }),
    ).rejects.toMatchObject({
      code: 'database_newer',
    });
    const { code, out } = run(['--data', dir, '--version', '1.4.0']);
    expect(code).toBe(0);
    expect(out).toContain('2 event(s) not yet synced were exported first');
    const exportFile = /exported first: (.+)$/m.exec(out)![1]!;
    const lines = readFileSync(exportFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id?: string; kind?: string });
    expect(lines[0]).toMatchObject({ kind: 'unsynced-journal', count: 2, writtenBy: '9.0.0' });
    expect(lines.slice(1).map((e) => e.id)).toEqual(ids);
    const kept = /kept, untouched: (.+)$/m.exec(out)![1]!;
    expect(existsSync(kept)).toBe(true);
    (await openDatabase(join(dir, 'console.sqlite'), { log, appVersion: '1.4.0' })).close();
  });

  it('refuses a database this version opens as it is, and bad arguments, changing nothing', async () => {
    (await openDatabase(join(dir, 'console.sqlite'), { log, appVersion: '1.4.0' })).close();
    const same = run(['--data', dir, '--version', '1.4.0']);
    expect(same.code).toBe(1);
    expect(same.err).toContain('nothing to downgrade');
    expect(run(['--data', dir, '--version', 'latest']).err).toContain('not a console version');
    expect(run(['--bogus']).code).toBe(2);
    expect(run(['--data', join(dir, 'nowhere'), '--version', '1.4.0']).err).toContain(
      'There is no console database',
    );
    (await openDatabase(join(dir, 'console.sqlite'), { log, appVersion: '1.4.0' })).close();
  });
});
