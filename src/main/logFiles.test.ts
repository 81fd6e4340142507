import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRotatingLogFile } from './logFiles.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dearpos-logs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('console log rotation', () => {
  it('keeps each file under the limit and only the newest `keep` old files, losing no recent line', () => {
    const file = join(dir, 'logs', 'console.log');
    const log = createRotatingLogFile({ file, maxBytes: 1000, keep: 3 });
    const line = (i: number) => `${JSON.stringify({ msg: 'line', i, pad: 'x'.repeat(60) })}\n`;
    for (let i = 0; i < 200; i++) log.write(line(i));
    log.flushSync();
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual([
      'console.log',
      'console.log.1',
      'console.log.2',
      'console.log.3',
    ]);
    for (const name of readdirSync(join(dir, 'logs'))) {
      expect(statSync(join(dir, 'logs', name)).size).toBeLessThanOrEqual(1000);
    }
    // The newest lines, in order across the current file and .1, .2, .3.
    const kept = ['console.log.3', 'console.log.2', 'console.log.1', 'console.log']
      .flatMap((n) =>
        readFileSync(join(dir, 'logs', n), 'utf8')
          .trim()
          .split('\n'),
      )
      .map((l) => (JSON.parse(l) as { i: number }).i);
    expect(kept.at(-1)).toBe(199);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 200 - kept.length + k));
  });

  it('counts what a previous run left in the file', () => {
    const file = join(dir, 'console.log');
    writeFileSync(file, 'x'.repeat(990) + '\n');
    const log = createRotatingLogFile({ file, maxBytes: 1000, keep: 2 });
    log.write('{"msg":"after restart"}\n');
    log.flushSync();
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"after restart"}\n');
    expect(statSync(`${file}.1`).size).toBe(991);
  });
});
