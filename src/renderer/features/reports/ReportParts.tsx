/** Building blocks shared by the run report and the decision record (plain HTML tables: they print predictably). */
import type { ReactNode } from 'react';
import { Button, Group } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/ApiContext.tsx';
import { isApiError } from '../../api/client.ts';
import type { ChecklistRunView, EvidenceFile } from '#shared/checklists/types.ts';
import type { JournalEntryRef } from '#shared/decisions/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { scoreText } from '../checklists/answerUi.ts';
import { REPORT_TEST_IDS } from './testIds.ts';
import classes from './Report.module.css';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';

/** A file name the save dialog can suggest: letters, digits, dots and dashes only. */
export function pdfFileName(...parts: string[]): string {
  const name = parts
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${name.slice(0, 100) || 'report'}.pdf`;
}

export function ReportSheet(props: { children: ReactNode; fileName: string }) {
  const navigate = useNavigate();
  const api = useApi();
  // The desktop app saves a PDF through Chromium's printToPDF; browser mode answers
  // `unavailable` and the browser's own print dialog (with "Save as PDF") opens instead.
  async function saveOrPrint() {
    try {
      const saved = await api['reports:savePdf']({ fileName: props.fileName });
      if (saved.isSaved && saved.path)
        notifications.show({ color: 'teal', message: t('reports:savedTo', { path: saved.path }) });
    } catch (error) {
      if (isApiError(error) && error.code === 'unavailable') {
        window.print();
        return;
      }
      notifications.show({
        color: 'red',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return (
    <>
      <Group justify="space-between" className={`${classes.toolbar} ${contrast.contrast}`}>
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconArrowLeft size={14} />}
          onClick={() => void navigate(-1)}
        >
          {t('reports:back')}
        </Button>
        <Button
          size="xs"
          leftSection={<IconPrinter size={14} />}
          onClick={() => void saveOrPrint()}
          data-testid={REPORT_TEST_IDS.print}
        >
          {t('reports:print')}
        </Button>
      </Group>
      <article className={classes.sheet} data-report-sheet data-testid={REPORT_TEST_IDS.sheet}>
        {props.children}
      </article>
    </>
  );
}

export function Facts(props: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className={classes.facts}>
      {props.rows.map(([label, value]) => (
        <Fact key={label} label={label} value={value} />
      ))}
    </dl>
  );
}

function Fact(props: { label: string; value: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </>
  );
}

export function statusClass(status: string): string {
  if (status === 'passed' || status === 'pass') return classes.pass!;
  if (status === 'failed' || status === 'fail') return classes.fail!;
  return classes.other!;
}

/** Every visible item of every terminal with its latest answer, who and when. */
export function RunResults(props: { view: ChecklistRunView; showChecklist?: boolean }) {
  const { template, terminals, run } = props.view;
  const items = template.sections.flatMap((s) => s.items);
  return (
    <>
      {terminals.map((term) => {
        const states = new Map(term.items.map((i) => [i.itemId, i]));
        return (
          <div key={term.terminalId} className={classes.section}>
            <h2>
              {props.showChecklist ? `${run.templateName}, ` : ''}
              {term.terminalName} —{' '}
              <span className={statusClass(term.status)}>
                {t(`checklists:runStatus.${term.status}`)}
              </span>{' '}
              · {t('reports:score')} {scoreText(term.score)} · {t('reports:completion')}{' '}
              {term.completion} %
            </h2>
            <table className={classes.table}>
              <thead>
                <tr>
                  <th>{t('reports:item')}</th>
                  <th>{t('reports:answer')}</th>
                  <th>{t('reports:result')}</th>
                  <th>{t('reports:by')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => {
                  const state = states.get(item.id);
                  if (!state?.isVisible) return null;
                  return (
                    <tr key={item.id}>
                      <td>
                        {item.title}
                        {item.isMandatory ? ' *' : ''}
                      </td>
                      <td>
                        {state.result?.answerText ?? t('reports:notAnswered')}
                        {state.result?.note ? ` — ${state.result.note}` : ''}
                        {state.waiver
                          ? ` — ${t('reports:waived', { reason: state.waiver.reason })}`
                          : ''}
                      </td>
                      <td className={statusClass(state.status)}>
                        {state.status === 'not_started'
                          ? '—'
                          : t(`checklists:itemStatus.${state.status}`)}
                      </td>
                      <td>
                        {state.result
                          ? `${state.result.recordedBy.name}, ${formatDateTime(state.result.recordedAt)}`
                          : ''}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}

export function EvidenceGrid(props: { evidence: EvidenceFile[] }) {
  return (
    <div className={classes.section}>
      <h2>{t('reports:evidence')}</h2>
      {props.evidence.length === 0 ? (
        <p>{t('reports:noEvidence')}</p>
      ) : (
        <div className={classes.thumbs}>
          {props.evidence.map((e) => (
            <figure key={e.sha256} className={classes.thumb} style={{ margin: 0 }}>
              <img src={e.dataUrl} alt={e.fileName} data-testid={REPORT_TEST_IDS.evidence} />
              <figcaption className={classes.hash}>
                {e.fileName}
                <br />
                {e.sha256}
              </figcaption>
            </figure>
          ))}
        </div>
      )}
    </div>
  );
}

export function JournalTable(props: { entries: JournalEntryRef[] }) {
  return (
    <div className={classes.section}>
      <h2>{t('reports:journal')}</h2>
      <p style={{ margin: '0 0 4px', color: '#555' }}>{t('reports:journalHint')}</p>
      <table className={classes.table} data-testid={REPORT_TEST_IDS.journal}>
        <thead>
          <tr>
            <th>{t('reports:seq')}</th>
            <th>{t('reports:type')}</th>
            <th>{t('reports:at')}</th>
            <th>{t('reports:actor')}</th>
            <th>{t('reports:hash')}</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr key={e.eventId}>
              <td>{e.seq}</td>
              <td>{e.type}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</td>
              <td>{e.actor}</td>
              <td className={classes.hash}>{e.hash}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
