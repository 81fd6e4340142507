/**
 * The desktop shell's calls: renderer errors and unhandled rejections
 * forwarded to the console's log, and the local crash dumps a bug report can
 * offer as attachments.
 */
import { z } from 'zod';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { empty } from './schemas.ts';

export type CrashDump = { name: string; bytes: number; modifiedAt: string };
export type CrashDumpList = {
  /** Where the desktop app writes crash dumps; null in browser mode. */
  dir: string | null;
  dumps: CrashDump[];
};

export type CapturedWindow = { sha256: string; size: number; dataBase64: string };

const RENDERER_ERROR_KINDS = ['error', 'unhandledrejection', 'render'] as const;

const rendererErrorInput = z
  .object({
    kind: z.enum(RENDERER_ERROR_KINDS),
    message: z.string().max(2000),
    stack: z.string().max(8000).optional(),
    /** The screen (hash route) it happened on. */
    route: z.string().max(200).optional(),
  })
  .strict();

export const shellContract = {
  /** A renderer error or unhandled rejection, written to the console's log (rate-limited). */
  'shell:reportError': call<{ isLogged: boolean }>()({
    input: rendererErrorInput,
    access: 'public',
  }),
  'shell:listCrashDumps': call<CrashDumpList>()({ input: empty, access: 'signedIn' }),
  /**
   * A screenshot of the console's window (Electron's capturePage), stored as
   * evidence for a bug report; `unavailable` in browser mode, where the page
   * draws itself (html-to-image).
   */
  'shell:captureWindow': call<CapturedWindow>()({
    input: empty,
    access: CHANNEL_ACCESS['shell:captureWindow'],
  }),
} as const;
