/**
 * The few lines a person needs after `npm run server` (and, with --demo, the
 * enrollment code and tokens), printed once, after everything else, so they
 * are not lost among request-log lines.
 */
import type { DemoResult } from './demo.ts';

export type StartSummary = {
  url: string;
  /** "SQLite ./.data/server/server.sqlite" or "PostgreSQL". */
  storage: string;
  logId: string;
  demo: DemoResult | null;
};

/** The summary as lines of plain text (no colours: it is copied from, and pasted into forms). */
export function formatStartSummary(summary: StartSummary): string {
  const lines = [
    '',
    '── DearPOS central audit log ─────────────────────────────────────────',
    `  Address          ${summary.url}`,
    `  Storage          ${summary.storage}`,
    `  Log id           ${summary.logId}`,
  ];
  const { demo } = summary;
  if (demo) {
    const store = `${demo.storeId} (${demo.storeName})`;
    lines.push(
      '',
      demo.eventsPushed > 0
        ? `  Demo fleet loaded: ${demo.eventsPushed} audit events pushed from ${demo.devicesPushed} demo devices.`
        : '  Demo fleet loaded (the log already held events: no demo history pushed).',
      `  Store            ${store}`,
      `  Enrollment code  ${demo.enrollmentCode}   (one console, once, within 24 hours)`,
      `  Auditor token    ${demo.auditorToken}`,
      `  Admin token      ${demo.adminToken}`,
      '',
      '  To connect a console: open it with a new data folder',
      `  (npm run web -- --data ./.data/console-2), then Sync → Connect with`,
      `  ${summary.url} and the enrollment code above.`,
    );
  }
  lines.push('', '  Stop the server with Ctrl+C.', '');
  return lines.join('\n');
}
