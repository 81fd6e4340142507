/** The `compliance:*` channels (src/shared/contract/compliance.ts), read from the central server through the desk's token. */
import { complianceCsvFileName, complianceReportCsv } from '../../shared/compliance/csv.ts';
import {
  complianceReport,
  type ComplianceReport,
  type ComplianceReportQuery,
} from '../../shared/compliance/protocol.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';
import type { DeskService } from '../desk/service.ts';

export function createComplianceHandlers(
  desk: Pick<DeskService, 'request'>,
): FeatureHandlers<'compliance'> {
  async function report(input: ComplianceReportQuery): Promise<ComplianceReport> {
    const query = new URLSearchParams({ releaseId: input.releaseId });
    if (input.region !== undefined) query.set('region', input.region);
    if (input.country !== undefined) query.set('country', input.country);
    return complianceReport.parse(
      await desk.request(`/v1/desk/compliance-report?${query.toString()}`),
    );
  }
  return {
    'compliance:report': (input) => report(input),
    'compliance:reportCsv': async (input) => {
      const out = await report(input);
      return { fileName: complianceCsvFileName(out), content: complianceReportCsv(out) };
    },
  };
}
