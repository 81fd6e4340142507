/**
 * The compliance report as CSV: one row per store and required check, each
 * with the proof of its result event and the signed tree head it verifies
 * against (papaparse, formula cells neutralised). The server's CSV route and
 * the console's export write the same file from the same report.
 */
import { toCsv, type ExportColumn } from '../exports/toCsv.ts';
import type { ComplianceReport, ComplianceReportCheck, ComplianceReportStore } from './protocol.ts';

type CsvRow = {
  store: ComplianceReportStore;
  check: ComplianceReportCheck;
  head: ComplianceReport['treeHead'];
};

const CSV_COLUMNS: ExportColumn<CsvRow>[] = [
  { header: 'Store', value: (r) => r.store.storeName },
  { header: 'Store id', value: (r) => r.store.storeId },
  { header: 'Country', value: (r) => r.store.country },
  { header: 'Rule', value: (r) => r.check.ruleName },
  { header: 'Check', value: (r) => r.check.templateName },
  { header: 'Kind', value: (r) => r.check.kind },
  { header: 'Result', value: (r) => r.check.result },
  { header: 'Passed terminals', value: (r) => r.check.passedTerminals },
  { header: 'Required terminals', value: (r) => r.check.terminalCount },
  { header: 'Signer', value: (r) => r.check.signer?.name ?? null },
  { header: 'Signed at', value: (r) => r.check.signedAt },
  { header: 'Evidence SHA-256', value: (r) => r.check.evidence.join(' ') },
  { header: 'Event hash', value: (r) => r.check.proof?.eventHash ?? null },
  { header: 'Leaf index', value: (r) => r.check.proof?.proof.index ?? null },
  { header: 'Audit path', value: (r) => r.check.proof?.proof.path.join(' ') ?? null },
  { header: 'Tree size', value: (r) => r.head.treeHead.size },
  { header: 'Tree root', value: (r) => r.head.treeHead.root },
  { header: 'Tree head at', value: (r) => r.head.treeHead.at },
  { header: 'Tree head signature', value: (r) => r.head.signature },
  { header: 'Decision', value: (r) => r.store.decision?.decision ?? null },
];

/** One row per store and required check, each with the signed tree head its proof verifies against (papaparse, formulas neutralised). */
export function complianceReportCsv(report: ComplianceReport): string {
  return toCsv(
    report.stores.flatMap((store) =>
      store.checks.map((check) => ({ store, check, head: report.treeHead })),
    ),
    CSV_COLUMNS,
  );
}

/** `compliance-<version>-<region or country>.csv`, letters, digits, dots and dashes only. */
export function complianceCsvFileName(
  report: Pick<ComplianceReport, 'releaseVersion' | 'region' | 'country'>,
): string {
  const scope = (report.country ?? report.region ?? '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `compliance-${report.releaseVersion}-${scope}.csv`;
}
