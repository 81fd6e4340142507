/**
 * Saving the report on screen as a PDF needs the window that shows it, so
 * only the Electron adapter can do it (webContents.printToPDF). It hands
 * createApp this port; browser mode and tests without one answer
 * `unavailable`, and the renderer falls back to the browser's own printing.
 */
import type { SavedPdf } from '../../shared/contract/reports.ts';
import { AppError } from '../../shared/errors.ts';

export type PdfPrinter = {
  /** Asks where to save (suggesting `fileName`), prints the window's page to A4 PDF, writes it. */
  saveCurrentPageAsPdf(fileName: string): Promise<SavedPdf>;
};

export function createSavePdfHandler(
  printer: PdfPrinter | null | undefined,
): (input: { fileName: string }) => Promise<SavedPdf> {
  return async (input) => {
    if (!printer) {
      throw new AppError(
        'unavailable',
        'Saving a PDF needs the desktop app; here the page prints through the browser.',
      );
    }
    return printer.saveCurrentPageAsPdf(input.fileName);
  };
}
