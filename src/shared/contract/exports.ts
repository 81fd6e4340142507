/**
 * Exports of a table's filtered view (CSV or JSON, made in the renderer by
 * src/shared/exports/toCsv.ts): the desktop app saves the file where the user
 * picks in the system's save dialog. Browser mode answers `unavailable`
 * without being sent the file: the page downloads it instead.
 */
import { z } from 'zod';
import { call } from './define.ts';

/** Big enough for the whole 50,000-terminal fleet as CSV (about 6 MB) with room to spare. */
const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

export const exportsContract = {
  /** Asks where to save (suggesting `fileName`) and writes `content` there as UTF-8. */
  'exports:save': call<SavedExport>()({
    input: z
      .object({
        fileName: z
          .string()
          .min(1)
          .max(120)
          .regex(
            /^[^/\\:*?"<>|]+\.(csv|json|jsonl|md)$/,
            'a file name ending in .csv, .json, .jsonl or .md',
          ),
        content: z.string().max(MAX_EXPORT_CHARS, 'the export is larger than 64 MB'),
      })
      .strict(),
    access: 'signedIn',
  }),
} as const;

/** `path` is null when the user cancelled the save dialog. */
export type SavedExport = { isSaved: boolean; path: string | null };
