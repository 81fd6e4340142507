/**
 * One export control for every table: CSV or JSON of the filtered view, in
 * the order shown. Rows are read page by page through the same contract call
 * the table uses, so a 50,000-terminal view never crosses the boundary at
 * once; above EXPORT_PROGRESS_THRESHOLD rows a progress bar says how far it
 * is. The desktop app saves through its save dialog (`exports:save`);
 * browser mode downloads the file.
 */
import { useState } from 'react';
import { Button, Group, Menu, Progress, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import {
  exportFileName,
  toCsv,
  toJson,
  type ExportColumn,
  type ExportFormat,
} from '../../shared/exports/toCsv.ts';
import { useSaveTextFile } from './saveTextFile.ts';
import { isApiError } from '../api/client.ts';
import { t } from '../i18n/index.ts';

export const EXPORT_TEST_IDS = {
  button: 'export-button',
  csv: 'export-csv',
  json: 'export-json',
  progress: 'export-progress',
} as const;

/** Above this many rows the export shows its progress. */
const EXPORT_PROGRESS_THRESHOLD = 10_000;
const PAGE_SIZE = 500;

export type ExportButtonProps<Row> = {
  /** What is exported, for the file name and the button's accessible name ("fleet terminals"). */
  what: string;
  columns: readonly ExportColumn<Row>[];
  /** Rows in the filtered view. */
  total: number;
  /** Reads `limit` rows of the filtered view from `offset`, in the order shown. */
  loadPage: (offset: number, limit: number) => Promise<readonly Row[]>;
  testId?: string;
};

/** A loader for a table that already holds its whole filtered view. */
export function pagesOf<Row>(rows: readonly Row[]): ExportButtonProps<Row>['loadPage'] {
  return (offset, limit) => Promise.resolve(rows.slice(offset, offset + limit));
}

export function ExportButton<Row>(props: ExportButtonProps<Row>) {
  const saveTextFile = useSaveTextFile();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const isBusy = progress !== null;
  const numbers = new Intl.NumberFormat();

  async function run(format: ExportFormat): Promise<void> {
    const total = props.total;
    setProgress({ done: 0, total });
    try {
      const rows: Row[] = [];
      while (rows.length < total) {
        const page = await props.loadPage(rows.length, Math.min(PAGE_SIZE, total - rows.length));
        if (page.length === 0) break;
        rows.push(...page);
        setProgress({ done: rows.length, total });
      }
      const content = format === 'csv' ? toCsv(rows, props.columns) : toJson(rows, props.columns);
      const fileName = exportFileName(props.what, format, new Date());
      await saveTextFile({
        fileName,
        content,
        mimeType: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
      });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: t('components:exportFailed'),
        message: isApiError(error) || error instanceof Error ? error.message : String(error),
      });
    } finally {
      setProgress(null);
    }
  }

  const progressText = progress
    ? t('components:exportProgress', {
        done: numbers.format(progress.done),
        total: numbers.format(progress.total),
      })
    : '';
  return (
    <Group gap="xs" wrap="nowrap">
      {progress && progress.total > EXPORT_PROGRESS_THRESHOLD && (
        <Group gap={6} wrap="nowrap" data-testid={EXPORT_TEST_IDS.progress}>
          <Progress
            w={120}
            value={(progress.done / progress.total) * 100}
            aria-label={progressText}
          />
          <Text size="xs" c="dimmed" role="status">
            {progressText}
          </Text>
        </Group>
      )}
      <Menu position="bottom-end" disabled={isBusy}>
        <Menu.Target>
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconDownload size={14} />}
            loading={isBusy}
            aria-label={t('components:exportLabel', { what: props.what })}
            data-testid={props.testId ?? EXPORT_TEST_IDS.button}
          >
            {t('components:exportButton')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item data-testid={EXPORT_TEST_IDS.csv} onClick={() => void run('csv')}>
            {t('components:exportCsv')}
          </Menu.Item>
          <Menu.Item data-testid={EXPORT_TEST_IDS.json} onClick={() => void run('json')}>
            {t('components:exportJson')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
