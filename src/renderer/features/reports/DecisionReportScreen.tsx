/** The printable go / no-go decision record (/reports/decisions/:decisionId). */
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { scoreRuleText } from '../checklists/answerUi.ts';
import { checklistKeys } from '../checklists/queries.ts';
import {
  EvidenceGrid,
  Facts,
  JournalTable,
  pdfFileName,
  ReportSheet,
  RunResults,
} from './ReportParts.tsx';
import { REPORT_TEST_IDS } from './testIds.ts';
import { passedOf } from '#shared/releases/testResults.ts';
import classes from './Report.module.css';
import { t } from '../../i18n/index.ts';
import { RiskRecord } from '../riskComms/RiskRecord.tsx';

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
        {t('reports:decisionHeading', {
          title: t('reports:decisionTitle'),
          version: d.releaseVersion,
          store: d.storeName,
        })}
      </h1>
      <p style={{ margin: '0 0 10px', color: 'var(--report-muted)' }}>
        {t('reports:generated', { when: formatDateTime(generatedAt) })}
      </p>
      <p
        style={{ fontSize: 20, fontWeight: 800, margin: '4px 0 8px' }}
        className={isGo ? classes.verdictGo : classes.verdictNoGo}
        data-testid={REPORT_TEST_IDS.decision}
      >
        {t(`decisions:decisions.${d.decision}`).toUpperCase()}
      </p>
      <Facts
        rows={[
          [t('reports:release'), d.releaseVersion],
          [t('reports:store'), d.storeName],
          [t('reports:reason'), d.reason],
          [t('reports:verdictAtSigning'), t(`decisions:verdict.${d.verdictAtSigning}`)],
          [
            t('reports:signedBy'),
            `${d.signedBy.name} (${d.signedBy.role}), ${formatDateTime(d.signedAt)}`,
          ],
          [
            t('reports:binding'),
            d.binding.matches ? t('decisions:matches') : t('decisions:noLongerMatching'),
          ],
        ]}
      />
      {d.conditions.length > 0 && (
        <div className={classes.section}>
          <h2>{t('reports:conditions')}</h2>
          <ol style={{ margin: 0 }}>
            {d.conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
        </div>
      )}
      <div className={classes.section}>
        <h2>{t('reports:criteria')}</h2>
        <table className={classes.table}>
          <tbody>
            {d.criteriaAtSigning.map((c) => (
              <tr key={c.id}>
                <td className={c.isMet ? classes.pass : classes.fail} style={{ width: 60 }}>
                  {c.isMet ? t('decisions:met') : t('decisions:unmet')}
                </td>
                <td>{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <RiskRecord risks={d.risks} />
      <div className={classes.section} data-testid={REPORT_TEST_IDS.testResults}>
        <h2>{t('reports:testResults')}</h2>
        {d.testResults === null ? (
          <p>{t('reports:testResultsNone')}</p>
        ) : (
          <>
            <p style={{ margin: '0 0 2px' }}>
              <span className={d.testResults.failed > 0 ? classes.fail : classes.pass}>
                {t('releases:testResultsCounts', {
                  total: d.testResults.total,
                  passed: passedOf(d.testResults),
                  failed: d.testResults.failed,
                  skipped: d.testResults.skipped,
                })}
              </span>
            </p>
            <p className={classes.hash} style={{ margin: 0 }}>
              {t('releases:testResultsImported', {
                when: formatDateTime(d.testResults.importedAt),
                hash: d.testResults.sha256,
              })}
            </p>
          </>
        )}
      </div>
      <div className={classes.section}>
        <h2>{t('reports:signature')}</h2>
        <img
          src={signature.dataUrl}
          alt={t('reports:signature')}
          className={classes.signature}
          data-testid={REPORT_TEST_IDS.signature}
        />
        <p style={{ margin: '2px 0' }}>
          {d.signedBy.name}, {formatDateTime(d.signedAt)}
        </p>
        <p className={classes.hash} style={{ margin: 0 }}>
          {t('reports:decisionEvent')} {d.eventHash}
          <br />
          {t('reports:digest')} {d.digest} (
          {t('reports:rests', { results: d.resultCount, evidence: d.evidenceCount })})
        </p>
        {!d.binding.matches && (
          <div className={classes.fail}>
            {t('reports:noLongerMatching')}
            <ul style={{ margin: 0 }}>
              {d.binding.changes.map((c, i) => (
                <li key={i}>{c.message}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className={classes.section} data-testid={REPORT_TEST_IDS.failedItems}>
        <h2>{t('reports:failedItems')}</h2>
        {failedItems.length === 0 ? (
          <p>{t('reports:noFailedItems')}</p>
        ) : (
          <table className={classes.table}>
            <thead>
              <tr>
                <th>{t('reports:checklist')}</th>
                <th>{t('reports:terminals')}</th>
                <th>{t('reports:item')}</th>
                <th>{t('reports:answer')}</th>
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
                      ? ` — ${t('reports:waived', { reason: f.waiverReason })}`
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
            {t('reports:mandatoryLegend')}
          </p>
          <p style={{ margin: '4px 0 0', color: 'var(--report-muted)' }}>
            {t('reports:score')}: {scoreRuleText()}
          </p>
        </>
      )}
      <EvidenceGrid evidence={evidence} />
      <JournalTable entries={journal} />
    </ReportSheet>
  );
}
