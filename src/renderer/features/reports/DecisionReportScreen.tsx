/** The printable go / no-go decision record (/reports/decisions/:decisionId). */
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { SCORE_RULE_TEXT } from '../checklists/answerUi.ts';
import { checklistKeys } from '../checklists/queries.ts';
import { DECISIONS_TEXT } from '../decisions/text.ts';
import {
  EvidenceGrid,
  Facts,
  JournalTable,
  pdfFileName,
  ReportSheet,
  RunResults,
} from './ReportParts.tsx';
import { REPORT_TEST_IDS } from './testIds.ts';
import { REPORTS_TEXT } from './text.ts';
import classes from './Report.module.css';

export function DecisionReportScreen() {
  const { decisionId = '' } = useParams();
  const api = useApi();
  const report = useQuery({
    queryKey: checklistKeys.decisionReport(decisionId),
    queryFn: () => api['reports:decisionReport']({ decisionId }),
  });
  if (report.isPending) return <LoadingRows rows={12} />;
  if (report.isError)
    return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const { decision: d, runs, failedItems, evidence, signature, journal, generatedAt } = report.data;
  const isGo = d.decision !== 'no-go';
  return (
    <ReportSheet fileName={pdfFileName('decision', d.releaseVersion, d.storeName)}>
      <h1 style={{ fontSize: 18, margin: '0 0 2px' }}>
        {REPORTS_TEXT.decisionTitle}: {d.releaseVersion} at {d.storeName}
      </h1>
      <p style={{ margin: '0 0 10px', color: 'var(--report-muted)' }}>
        {REPORTS_TEXT.generated(formatDateTime(generatedAt))}
      </p>
      <p
        style={{ fontSize: 20, fontWeight: 800, margin: '4px 0 8px' }}
        className={isGo ? classes.verdictGo : classes.verdictNoGo}
        data-testid={REPORT_TEST_IDS.decision}
      >
        {DECISIONS_TEXT.decisions[d.decision].toUpperCase()}
      </p>
      <Facts
        rows={[
          [REPORTS_TEXT.release, d.releaseVersion],
          [REPORTS_TEXT.store, d.storeName],
          [REPORTS_TEXT.reason, d.reason],
          [REPORTS_TEXT.verdictAtSigning, DECISIONS_TEXT.verdict[d.verdictAtSigning]],
          [
            REPORTS_TEXT.signedBy,
            `${d.signedBy.name} (${d.signedBy.role}), ${formatDateTime(d.signedAt)}`,
          ],
          [
            REPORTS_TEXT.binding,
            d.binding.matches ? DECISIONS_TEXT.matches : DECISIONS_TEXT.noLongerMatching,
          ],
        ]}
      />
      {d.conditions.length > 0 && (
        <div className={classes.section}>
          <h2>{REPORTS_TEXT.conditions}</h2>
          <ol style={{ margin: 0 }}>
            {d.conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
        </div>
      )}
      <div className={classes.section}>
        <h2>{REPORTS_TEXT.criteria}</h2>
        <table className={classes.table}>
          <tbody>
            {d.criteriaAtSigning.map((c) => (
              <tr key={c.id}>
                <td className={c.isMet ? classes.pass : classes.fail} style={{ width: 60 }}>
                  {c.isMet ? DECISIONS_TEXT.met : DECISIONS_TEXT.unmet}
                </td>
                <td>{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={classes.section}>
        <h2>{REPORTS_TEXT.signature}</h2>
        <img
          src={signature.dataUrl}
          alt={REPORTS_TEXT.signature}
          className={classes.signature}
          data-testid={REPORT_TEST_IDS.signature}
        />
        <p style={{ margin: '2px 0' }}>
          {d.signedBy.name}, {formatDateTime(d.signedAt)}
        </p>
        <p className={classes.hash} style={{ margin: 0 }}>
          {REPORTS_TEXT.decisionEvent} {d.eventHash}
          <br />
          {REPORTS_TEXT.digest} {d.digest} ({REPORTS_TEXT.rests(d.resultCount, d.evidenceCount)})
        </p>
        {!d.binding.matches && (
          <div className={classes.fail}>
            {REPORTS_TEXT.noLongerMatching}
            <ul style={{ margin: 0 }}>
              {d.binding.changes.map((c, i) => (
                <li key={i}>{c.message}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className={classes.section} data-testid={REPORT_TEST_IDS.failedItems}>
        <h2>{REPORTS_TEXT.failedItems}</h2>
        {failedItems.length === 0 ? (
          <p>{REPORTS_TEXT.noFailedItems}</p>
        ) : (
          <table className={classes.table}>
            <thead>
              <tr>
                <th>{REPORTS_TEXT.checklist}</th>
                <th>{REPORTS_TEXT.terminals}</th>
                <th>{REPORTS_TEXT.item}</th>
                <th>{REPORTS_TEXT.answer}</th>
              </tr>
            </thead>
            <tbody>
              {failedItems.map((f) => (
                <tr key={`${f.runId}-${f.terminalName}-${f.itemTitle}`}>
                  <td>{f.templateName}</td>
                  <td>{f.terminalName}</td>
                  <td className={classes.fail}>{f.itemTitle}</td>
                  <td>
                    {f.answerText}
                    {f.isWaived && f.waiverReason
                      ? ` — ${REPORTS_TEXT.waived(f.waiverReason)}`
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {runs.map((run) => (
        <RunResults key={run.run.id} view={run} showChecklist />
      ))}
      {runs.length > 0 && (
        <>
          <p style={{ margin: '4px 0 0', color: 'var(--report-muted)' }}>
            {REPORTS_TEXT.mandatoryLegend}
          </p>
          <p style={{ margin: '4px 0 0', color: 'var(--report-muted)' }}>
            {REPORTS_TEXT.score}: {SCORE_RULE_TEXT}
          </p>
        </>
      )}
      <EvidenceGrid evidence={evidence} />
      <JournalTable entries={journal} />
    </ReportSheet>
  );
}
