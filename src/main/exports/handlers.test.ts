import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TECH, type TestApp } from '../app/testSupport.ts';

const CSV = "\uFEFFStore,Terminals\r\n'=cmd,4\r\n";
let dir: string;
let browserMode: TestApp;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exports-'));
  browserMode = await startTestApp({ signInAs: TECH });
});
afterAll(async () => {
  await browserMode.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports:save', () => {
  it('answers unavailable in browser mode (no save dialog), so the page downloads the file', async () => {
    const result = await browserMode.dispatch('exports:save', {
      fileName: 'fleet.csv',
      content: CSV,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('refuses a file name that is a path or not .csv / .json, and writes nothing', async () => {
    for (const fileName of ['../fleet.csv', 'fleet.exe', 'C:\\fleet.csv']) {
      const result = await browserMode.dispatch('exports:save', { fileName, content: CSV });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('in the desktop app asks where to save and writes the export there, adding a dropped extension; a cancel writes nothing', async () => {
    const answers = [join(dir, 'fleet-europe'), null];
    const asked: string[] = [];
    const app = await startTestApp({
      signInAs: TECH,
      saveDialog: {
        askSavePath: (fileName) => {
          asked.push(fileName);
          return Promise.resolve(answers.shift() ?? null);
        },
      },
    });
    try {
      const saved = await app.dispatch('exports:save', {
        fileName: 'fleet-2026-12-07.csv',
        content: CSV,
      });
      expect(saved).toEqual({
        ok: true,
        value: { isSaved: true, path: join(dir, 'fleet-europe.csv') },
      });
      expect(readFileSync(join(dir, 'fleet-europe.csv'), 'utf8')).toBe(CSV);
      const cancelled = await app.dispatch('exports:save', {
        fileName: 'fleet.json',
        content: '[]',
      });
      expect(cancelled).toEqual({ ok: true, value: { isSaved: false, path: null } });
      expect(asked).toEqual(['fleet-2026-12-07.csv', 'fleet.json']);
    } finally {
      await app.dispose();
    }
  });
});
