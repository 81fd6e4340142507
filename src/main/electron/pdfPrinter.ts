/**
 * The desktop app's PDF printer: the save dialog, then Chromium's
 * printToPDF of the window's current page (the report on screen), then the
 * file. Electron is reached only through the small `ElectronPrinting`
 * interface, so this runs and is tested under plain Node.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedPdf } from '../../shared/contract/reports.ts';
import { AppError } from '../../shared/errors.ts';
import type { PdfPrinter } from '../reports/pdfPrinter.ts';

export type ElectronPrinting = {
  /** Where the save dialog starts (the user's documents folder). */
  defaultDir: string;
  /** The window showing the report; null when it is closed. */
  hasWindow(): boolean;
  /** Resolves to the chosen path, or null if the user cancelled. */
  askSavePath(defaultPath: string): Promise<string | null>;
  /** webContents.printToPDF of the window's page. */
  printPage(options: { pageSize: 'A4'; printBackground: true }): Promise<Uint8Array>;
};

export function createElectronPdfPrinter(printing: ElectronPrinting): PdfPrinter {
  return {
    async saveCurrentPageAsPdf(fileName): Promise<SavedPdf> {
      if (!printing.hasWindow())
        throw new AppError('unavailable', 'The console window is closed; open the report again.');
      const chosen = await printing.askSavePath(join(printing.defaultDir, fileName));
      if (!chosen) return { isSaved: false, path: null };
      // Some platforms' dialogs drop the extension; the file and the answer name the same path.
      const path = chosen.toLowerCase().endsWith('.pdf') ? chosen : `${chosen}.pdf`;
      // The print CSS of the report page lays it out on A4 and hides the app's chrome.
      const pdf = await printing.printPage({ pageSize: 'A4', printBackground: true });
      await writeFile(path, pdf);
      return { isSaved: true, path };
    },
  };
}
