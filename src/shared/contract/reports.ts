/** Report channels: what the printable run report and decision record need, and saving them as PDF. */
import { z } from 'zod';
import type { DecisionReport, RunReport } from '../decisions/types.ts';
import { call } from './define.ts';
import { id } from './schemas.ts';

export const reportsContract = {
  /** Everything the printable run report needs. */
  'reports:runReport': call<RunReport>()({
    input: z.object({ runId: id }).strict(),
    access: 'signedIn',
  }),
  /** Everything the printable decision record needs. */
  'reports:decisionReport': call<DecisionReport>()({
    input: z.object({ decisionId: id }).strict(),
    access: 'signedIn',
  }),
  /**
   * Desktop app only: prints the report on screen to an A4 PDF with
   * Chromium's printToPDF, saved where the user picks. Browser mode answers
   * `unavailable` and the page prints through the browser instead.
   */
  'reports:savePdf': call<SavedPdf>()({
    input: z
      .object({
        fileName: z
          .string()
          .min(1)
          .max(120)
          .regex(/^[^/\\:*?"<>|]+\.pdf$/, 'a file name ending in .pdf'),
      })
      .strict(),
    access: 'signedIn',
  }),
} as const;

/** `path` is null when the user cancelled the save dialog. */
export type SavedPdf = { isSaved: boolean; path: string | null };
