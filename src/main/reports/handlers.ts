/** The `reports:*` channels: what the printable reports need, and saving them as PDF. */
import type { FeatureHandlers } from '../app/dispatcher.ts';
import { createSavePdfHandler, type PdfPrinter } from './pdfPrinter.ts';
import type { ReportsService } from './service.ts';

export function createReportsHandlers(deps: {
  reports: ReportsService;
  pdfPrinter?: PdfPrinter | null | undefined;
}): FeatureHandlers<'reports'> {
  const { reports } = deps;
  return {
    'reports:runReport': (input) => reports.runReport(input.runId),
    'reports:decisionReport': (input) => reports.decisionReport(input.decisionId),
    'reports:savePdf': createSavePdfHandler(deps.pdfPrinter),
  };
}
