/**
 * Compliance channels (console side): a desk-enrolled console reads the
 * compliance report of a release in a region of its scope from the central
 * server (the server checks the scope again), for its print view and CSV.
 */
import type { ComplianceReport } from '../compliance/protocol.ts';
import { complianceReportQuery } from '../compliance/protocol.ts';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';

export const complianceContract = {
  /** Each store of the region, each required check, its result, signer, evidence hashes and inclusion proof. */
  'compliance:report': call<ComplianceReport>()({
    input: complianceReportQuery,
    access: CHANNEL_ACCESS['compliance:report'],
  }),
  /** The same report as a CSV file (formula cells neutralised), named for the release and region. */
  'compliance:reportCsv': call<{ fileName: string; content: string }>()({
    input: complianceReportQuery,
    access: CHANNEL_ACCESS['compliance:reportCsv'],
  }),
} as const;
