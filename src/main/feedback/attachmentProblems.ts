/**
 * A bug report's attachments the central server refused for good (too big, a
 * media type it does not take; sync/evidenceUpload.ts), shown on the report
 * in "Our reports" so the store knows the desk got the report without them.
 */
import type { OurBugReport } from '../../shared/feedback/types.ts';
import type { Db } from '../db/open.ts';

export function withAttachmentProblems<T extends { reports: OurBugReport[] }>(db: Db, ours: T): T {
  if (ours.reports.length === 0) return ours;
  const rows = db.sqlite
    .prepare(
      `SELECT b.id AS reportId, coalesce(e.file_name, r.sha256) AS name, r.code, r.message
       FROM bug_reports b JOIN json_each(b.evidence) j
       JOIN evidence_upload_refusals r ON r.sha256 = j.value
       LEFT JOIN evidence_files e ON e.sha256 = r.sha256
       WHERE b.id IN (SELECT value FROM json_each(?)) ORDER BY b.id, j.key`,
    )
    .all(JSON.stringify(ours.reports.map((r) => r.id))) as Array<{
    reportId: string;
    name: string;
    code: string;
    message: string;
  }>;
  if (rows.length === 0) return ours;
  const byReport = new Map<string, NonNullable<OurBugReport['attachmentProblems']>>();
  for (const { reportId, ...problem } of rows)
    byReport.set(reportId, [...(byReport.get(reportId) ?? []), problem]);
  return {
    ...ours,
    reports: ours.reports.map((r) => {
      const problems = byReport.get(r.id);
      return problems ? { ...r, attachmentProblems: problems } : r;
    }),
  };
}
