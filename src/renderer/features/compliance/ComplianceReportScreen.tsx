/**
 * The printable compliance report of a release in a region
 * (/reports/compliance?releaseId=&region=): each store, each check the
 * region's rules require, its result, signer and evidence hashes, and the
 * central log's inclusion proof against the signed tree head printed with
 * it. A desk-enrolled console reads it from the central server; it prints
 * to PDF like the decision record, and exports the same rows as CSV.
 */
import { Button, Group, Select, Text } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type {
  ComplianceReport,
  ComplianceReportCheck,
  ComplianceReportStore,
} from '#shared/compliance/protocol.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatCountry, formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { useSaveTextFile } from '../../components/saveTextFile.ts';
import { t } from '../../i18n/index.ts';
import { Facts, pdfFileName, ReportSheet } from '../reports/ReportParts.tsx';
import classes from '../reports/Report.module.css';
import { COMPLIANCE_TEST_IDS } from './testIds.ts';

function resultClass(check: ComplianceReportCheck): string {
  if (check.result === 'passed' || check.result === 'passed_with_waivers') return classes.pass!;
  return classes.fail!;
}

function CheckRow({ check }: { check: ComplianceReportCheck }) {
  return (
    <tr data-testid={COMPLIANCE_TEST_IDS.check} data-result={check.result}>
      <td>
        {check.templateName}
        <br />
        <span className={classes.muted}>
          {t(`compliance:kinds.${check.kind}`)} · {check.ruleName}
        </span>
      </td>
      <td className={resultClass(check)}>
        {t(`compliance:results.${check.result}`)}
        <br />
        <span className={classes.muted}>
          {t('compliance:terminals', { passed: check.passedTerminals, count: check.terminalCount })}
        </span>
      </td>
      <td>
        {check.signer
          ? `${check.signer.name} (${check.signer.role})${check.signedAt ? `, ${formatDateTime(check.signedAt)}` : ''}`
          : '—'}
      </td>
      <td className={classes.hash}>
        {check.evidence.length === 0
          ? t('compliance:noEvidence')
          : check.evidence.map((sha) => <div key={sha}>{sha}</div>)}
      </td>
      <td className={classes.hash}>
        {check.proof ? (
          <>
            <div>
              {t('compliance:leaf', {
                index: check.proof.proof.index,
                size: check.proof.proof.size,
                hash: check.proof.eventHash,
              })}
            </div>
            <div>{t('compliance:path')}:</div>
            {check.proof.proof.path.map((node, i) => (
              <div key={`${i}-${node}`}>{node}</div>
            ))}
          </>
        ) : (
          t('compliance:noProof')
        )}
      </td>
    </tr>
  );
}

function StoreSection({ store }: { store: ComplianceReportStore }) {
  return (
    <div
      className={classes.section}
      data-testid={COMPLIANCE_TEST_IDS.store}
      data-store={store.storeId}
      data-compliant={store.isCompliant}
    >
      <h2>
        {store.storeName}
        {store.country === null ? '' : ` (${store.country})`} —{' '}
        <span className={store.isCompliant ? classes.pass : classes.fail}>
          {store.isCompliant ? t('compliance:compliant') : t('compliance:notCompliant')}
        </span>
      </h2>
      <p style={{ margin: '0 0 4px' }} className={classes.muted}>
        {store.decision
          ? t('compliance:decision', {
              decision: t(`decisions:decisions.${store.decision.decision}`, {
                defaultValue: store.decision.decision,
              }),
              name: store.decision.signer.name,
              when: formatDateTime(store.decision.signedAt),
            })
          : t('compliance:noDecision')}
      </p>
      <table className={classes.table}>
        <thead>
          <tr>
            <th>{t('compliance:check')}</th>
            <th>{t('compliance:result')}</th>
            <th>{t('compliance:signer')}</th>
            <th>{t('compliance:evidence')}</th>
            <th>{t('compliance:proof')}</th>
          </tr>
        </thead>
        <tbody>
          {store.checks.map((check) => (
            <CheckRow key={`${check.ruleId}/${check.templateId}`} check={check} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportBody({ report }: { report: ComplianceReport }) {
  const compliant = report.stores.filter((s) => s.isCompliant).length;
  // The checks carry their templates' names; the rules only their ids.
  const templateNames = new Map(
    report.stores.flatMap((s) => s.checks.map((c) => [c.templateId, c.templateName] as const)),
  );
  const head = report.treeHead;
  const scope = report.region ?? formatCountry(report.country ?? '');
  return (
    <ReportSheet fileName={pdfFileName('compliance', report.releaseVersion, scope)}>
      <h1 style={{ fontSize: 18, margin: '0 0 2px' }}>
        {t('compliance:heading', {
          title: t('compliance:title'),
          version: report.releaseVersion,
          region: scope,
        })}
      </h1>
      <p style={{ margin: '0 0 10px' }} className={classes.muted}>
        {t('reports:generated', { when: formatDateTime(report.generatedAt) })} ·{' '}
        {t('compliance:stores', { count: report.stores.length, compliant })}
      </p>
      <div className={classes.section}>
        <h2>{t('compliance:rules')}</h2>
        {report.rules.length === 0 ? (
          <p>{t('compliance:noRules')}</p>
        ) : (
          <ul style={{ margin: 0 }}>
            {report.rules.map((rule) => (
              <li key={rule.id}>
                {`${rule.name} (${rule.country === undefined ? rule.region : formatCountry(rule.country)}): `}
                {rule.checks
                  .map(
                    (c) =>
                      `${templateNames.get(c.templateId) ?? c.templateId} (${t(`compliance:kinds.${c.kind}`)})`,
                  )
                  .join(', ')}
              </li>
            ))}
          </ul>
        )}
      </div>
      {report.stores.map((store) => (
        <StoreSection key={store.storeId} store={store} />
      ))}
      <div className={classes.section} data-testid={COMPLIANCE_TEST_IDS.treeHead}>
        <h2>{t('compliance:treeHead')}</h2>
        <p style={{ margin: '0 0 4px' }} className={classes.muted}>
          {t('compliance:treeHeadHint')}
        </p>
        <Facts
          rows={[
            [t('compliance:treeSize'), String(head.treeHead.size)],
            [t('compliance:treeRoot'), <span className={classes.hash}>{head.treeHead.root}</span>],
            [t('compliance:treeAt'), formatDateTime(head.treeHead.at)],
            [t('compliance:logId'), <span className={classes.hash}>{head.treeHead.logId}</span>],
            [t('compliance:signature'), <span className={classes.hash}>{head.signature}</span>],
          ]}
        />
      </div>
    </ReportSheet>
  );
}

export function ComplianceReportScreen() {
  const api = useApi();
  const saveTextFile = useSaveTextFile();
  const [params, setParams] = useSearchParams();
  const releaseId = params.get('releaseId') ?? '';
  const region = params.get('region') ?? '';
  const country = params.get('country') ?? '';
  // A report covers one region or one country: the query names whichever is picked.
  const scope = country !== '' ? { country } : { region };
  const releases = useQuery({
    queryKey: ['releases', 'list'],
    queryFn: () => api['releases:list']({}),
  });
  const options = useQuery({
    queryKey: ['fleet', 'filterOptions'],
    queryFn: () => api['fleet:filterOptions']({}),
  });
  const connection = useQuery({
    queryKey: ['desk', 'connection'],
    queryFn: () => api['desk:connection']({}),
  });
  const isDesk = connection.data?.isConnected === true;
  const isPicked = releaseId !== '' && (region !== '' || country !== '');
  const report = useQuery({
    queryKey: ['desk', 'compliance', releaseId, region, country],
    queryFn: () => api['compliance:report']({ releaseId, ...scope }),
    enabled: isDesk && isPicked,
  });
  const pick = (key: 'releaseId' | 'region' | 'country') => (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    // Picking a region clears the country, and the other way round.
    if (value && key === 'region') next.delete('country');
    if (value && key === 'country') next.delete('region');
    setParams(next);
  };
  async function exportCsv() {
    try {
      const file = await api['compliance:reportCsv']({ releaseId, ...scope });
      await saveTextFile({ ...file, mimeType: 'text/csv' });
    } catch (error) {
      notifications.show({
        color: 'red',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return (
    <div data-testid={COMPLIANCE_TEST_IDS.screen}>
      <Group align="flex-end" gap="sm" mb="sm" className={classes.toolbar}>
        <Select
          label={t('compliance:release')}
          data={(releases.data ?? []).map((r) => ({ value: r.id, label: r.version }))}
          value={releaseId || null}
          onChange={pick('releaseId')}
          searchable
          w={160}
          data-testid={COMPLIANCE_TEST_IDS.release}
        />
        <Select
          label={t('compliance:region')}
          data={options.data?.regions ?? []}
          value={region || null}
          onChange={pick('region')}
          w={200}
          data-testid={COMPLIANCE_TEST_IDS.region}
        />
        <Select
          label={t('compliance:country')}
          data={(options.data?.countries ?? []).map((code) => ({
            value: code,
            label: formatCountry(code),
          }))}
          value={country || null}
          onChange={pick('country')}
          searchable
          w={200}
          data-testid={COMPLIANCE_TEST_IDS.country}
        />
        <Button
          variant="default"
          leftSection={<IconFileSpreadsheet size={16} />}
          disabled={!report.isSuccess}
          onClick={() => void exportCsv()}
          data-testid={COMPLIANCE_TEST_IDS.csv}
        >
          {t('compliance:csv')}
        </Button>
      </Group>
      {!connection.isPending && !isDesk ? (
        <Text>{t('compliance:notDesk')}</Text>
      ) : !isPicked ? (
        <Text>{t('compliance:pick')}</Text>
      ) : report.isPending ? (
        <LoadingRows rows={8} />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <ReportBody report={report.data} />
      )}
    </div>
  );
}
