/** The printable report of one checklist run (/reports/runs/:runId). */
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { scoreRuleText, scoreText } from '../checklists/answerUi.ts';
import { checklistKeys } from '../checklists/queries.ts';
import {
  EvidenceGrid,
  Facts,
  JournalTable,
  pdfFileName,
  ReportSheet,
  RunResults,
  statusClass,
} from './ReportParts.tsx';
import { t } from '../../i18n/index.ts';

export function RunReportScreen() {
  const { runId = '' } = useParams();
  const api = useApi();
  const report = useQuery({
    queryKey: checklistKeys.runReport(runId),
    queryFn: () => api['reports:runReport']({ runId }),
  });
  if (report.isPending) return <LoadingRows rows={12} />;
  if (report.isError)
    return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const { run } = report.data.run;
  return (
    <ReportSheet fileName={pdfFileName('checklist-run', run.templateName, run.releaseVersion)}>
      <h1 style={{ fontSize: 18, margin: '0 0 2px' }}>
        {t('reports:runTitle')}: {run.templateName}
      </h1>
      <p style={{ margin: '0 0 10px', color: '#555' }}>
        {t('reports:generated', { when: formatDateTime(report.data.generatedAt) })}
      </p>
      <Facts
        rows={[
          [t('reports:release'), run.releaseVersion],
          [t('reports:store'), run.storeName],
          [t('reports:checklist'), `${run.templateName} v${run.templateVersion}`],
          [
            t('reports:status'),
            <span className={statusClass(run.status)}>
              {t(`checklists:runStatus.${run.status}`)}
            </span>,
          ],
          [t('reports:score'), scoreText(run.score)],
          [t('reports:completion'), `${run.completion} %`],
          [t('reports:startedBy'), `${run.startedBy.name}, ${formatDateTime(run.startedAt)}`],
          [t('reports:terminals'), run.terminals.map((t) => t.name).join(', ')],
        ]}
      />
      <RunResults view={report.data.run} />
      <p style={{ margin: '4px 0 0', color: '#555' }}>{t('reports:mandatoryLegend')}</p>
      <p style={{ margin: '4px 0 0', color: '#555' }}>
        {t('reports:score')}: {scoreRuleText()}
      </p>
      <EvidenceGrid evidence={report.data.evidence} />
      <JournalTable entries={report.data.journal} />
    </ReportSheet>
  );
}
