import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createElectronPdfPrinter, type ElectronPrinting } from '../electron/pdfPrinter.ts';
import { startTestApp, TECH, type TestApp } from '../app/testSupport.ts';

const apps: TestApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PDF_BYTES = new TextEncoder().encode('%PDF-1.7 report');

/** Electron's side of printing, as the desktop app wires it: a save dialog and printToPDF. */
function fakePrinting(savePath: string | null, calls: string[]): ElectronPrinting {
  return {
    defaultDir: '/home/maya/Documents',
    hasWindow: () => true,
    askSavePath: (defaultPath) => {
      calls.push(`ask ${defaultPath}`);
      return Promise.resolve(savePath);
    },
    printPage: (options) => {
      calls.push(`print ${options.pageSize}`);
      return Promise.resolve(PDF_BYTES);
    },
  };
}

describe('reports:savePdf', () => {
  it('answers unavailable in browser mode (no printer), so the page prints through the browser', async () => {
    const app = await startTestApp({ signInAs: TECH });
    apps.push(app);
    const result = await app.dispatch('reports:savePdf', { fileName: 'decision-4.0.1.pdf' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('in the desktop app asks where to save, prints the page to A4 and writes the PDF there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
    dirs.push(dir);
    const target = join(dir, 'decision.pdf');
    const calls: string[] = [];
    const app = await startTestApp({
      signInAs: TECH,
      pdfPrinter: createElectronPdfPrinter(fakePrinting(target, calls)),
    });
    apps.push(app);
    const result = await app.dispatch('reports:savePdf', { fileName: 'decision-4.0.1.pdf' });
    expect(result).toEqual({ ok: true, value: { isSaved: true, path: target } });
    expect(calls).toEqual(['ask /home/maya/Documents/decision-4.0.1.pdf', 'print A4']);
    expect(readFileSync(target)).toEqual(Buffer.from(PDF_BYTES));
  });

  it('adds .pdf when the save dialog returns a name without it, and answers the path it wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
    dirs.push(dir);
    const app = await startTestApp({
      signInAs: TECH,
      pdfPrinter: createElectronPdfPrinter(fakePrinting(join(dir, 'record'), [])),
    });
    apps.push(app);
    const result = await app.dispatch('reports:savePdf', { fileName: 'decision.pdf' });
    expect(result).toEqual({ ok: true, value: { isSaved: true, path: join(dir, 'record.pdf') } });
    expect(readFileSync(join(dir, 'record.pdf'))).toEqual(Buffer.from(PDF_BYTES));
  });

  it('writes nothing when the user cancels the save dialog', async () => {
    const calls: string[] = [];
    const app = await startTestApp({
      signInAs: TECH,
      pdfPrinter: createElectronPdfPrinter(fakePrinting(null, calls)),
    });
    apps.push(app);
    const result = await app.dispatch('reports:savePdf', { fileName: 'run.pdf' });
    expect(result).toEqual({ ok: true, value: { isSaved: false, path: null } });
    expect(calls).toEqual(['ask /home/maya/Documents/run.pdf']);
  });

  it('refuses a file name that is a path or not a PDF, and a caller who is not signed in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
    dirs.push(dir);
    const calls: string[] = [];
    const app = await startTestApp({
      pdfPrinter: createElectronPdfPrinter(fakePrinting(join(dir, 'x.pdf'), calls)),
    });
    apps.push(app);
    expect(await app.dispatch('reports:savePdf', { fileName: 'run.pdf' })).toMatchObject({
      ok: false,
    });
    expectOkSignIn(await app.dispatch('session:signIn', TECH));
    for (const fileName of ['../../etc/passwd.pdf', 'report.exe', '', 'a/b.pdf']) {
      expect(await app.dispatch('reports:savePdf', { fileName })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    expect(calls).toEqual([]);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });
});

function expectOkSignIn(result: { ok: boolean }): void {
  expect(result.ok).toBe(true);
}
