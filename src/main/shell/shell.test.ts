import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCrashDumps } from './crashDumps.ts';
import { createRendererErrorLog } from './rendererErrors.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-shell-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('crash dumps offered to a bug report', () => {
  it('lists the .dmp files Crashpad wrote, newest first, and nothing else', () => {
    mkdirSync(join(dir, 'completed'));
    mkdirSync(join(dir, 'pending'));
    writeFileSync(join(dir, 'completed', 'old.dmp'), 'a');
    utimesSync(join(dir, 'completed', 'old.dmp'), new Date('2026-12-01'), new Date('2026-12-01'));
    writeFileSync(join(dir, 'pending', 'new.dmp'), 'abc');
    utimesSync(join(dir, 'pending', 'new.dmp'), new Date('2026-12-06'), new Date('2026-12-06'));
    writeFileSync(join(dir, 'settings.dat'), 'crashpad database');
    expect(listCrashDumps(dir)).toEqual({
      dir,
      dumps: [
        { name: join('pending', 'new.dmp'), bytes: 3, modifiedAt: '2026-12-06T00:00:00.000Z' },
        { name: join('completed', 'old.dmp'), bytes: 1, modifiedAt: '2026-12-01T00:00:00.000Z' },
      ],
    });
  });

  it('lists none in browser mode or when the folder does not exist yet', () => {
    expect(listCrashDumps(null)).toEqual({ dir: null, dumps: [] });
    expect(listCrashDumps(join(dir, 'missing')).dumps).toEqual([]);
  });
});

describe('renderer errors in the main log', () => {
  it('writes at most the limit per minute, then says how many were dropped', () => {
    const file = join(dir, 'console.log');
    const log = pino(pino.destination({ dest: file, sync: true }));
    let t = 0;
    const errors = createRendererErrorLog({ log, now: () => t, perMinute: 2 });
    const results = [1, 2, 3, 4].map((n) => errors.report({ kind: 'error', message: `boom ${n}` }));
    expect(results).toEqual([true, true, false, false]);
    t = 60_000;
    expect(errors.report({ kind: 'unhandledrejection', message: 'later' })).toBe(true);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; scope: string; droppedBefore?: number });
    expect(lines.map((l) => l.msg)).toEqual([
      'renderer error: boom 1',
      'renderer error: boom 2',
      'renderer unhandledrejection: later',
    ]);
    expect(lines[2]).toMatchObject({ scope: 'renderer', droppedBefore: 2 });
  });
});
