/**
 * The few lines a person needs after `npm run server` (and, with --demo, the
 * enrollment code and tokens), printed once, after everything else, so they
 * are not lost among request-log lines. The "label: value" lines are also
 * read by scripts and tests (src/main/sync/testing/centralServer.ts): keep
 * the labels.
 */
import type { DemoResult } from './demo.ts';

export type StartSummary = {
  url: string;
  /** "SQLite ./.data/server/server.sqlite" or "PostgreSQL". */
  storage: string;
  logId: string;
  demo: DemoResult | null;
};

/** The summary as plain text (no colours: codes and tokens are copied from it). */
export function formatStartSummary(summary: StartSummary): string {
  const lines = [
    '',
    `DearPOS central audit log on ${summary.url}`,
    `  Storage:          ${summary.storage}`,
    `  Log id:           ${summary.logId}`,
  ];
  const { demo } = summary;
  if (demo) {
    lines.push(
      '',
      demo.eventsPushed > 0
        ? `Demo fleet loaded: ${demo.eventsPushed} audit events pushed from ${demo.devicesPushed} demo devices.`
        : 'Demo fleet loaded (the log already held events, so no demo history was pushed).',
      `  Store:            ${demo.storeId} (${demo.storeName})`,
      `  Enrollment code:  ${demo.enrollmentCode}   (one console, once, within 24 hours)`,
      `  Auditor token:    ${demo.auditorToken}`,
      `  Admin token:      ${demo.adminToken}`,
      `                    (administrator ${demo.adminName}, ${demo.adminId}: every admin call is logged under this name)`,
      '',
      'To connect a console, open it on a new data folder',
      '(npm run web -- --data ./.data/console-2), then Sync → Connect with',
      `${summary.url} and the enrollment code above.`,
    );
  }
  lines.push('', 'Stop the server with Ctrl+C.', '');
  return lines.join('\n');
}
