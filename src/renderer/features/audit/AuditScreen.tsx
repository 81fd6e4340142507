/**
 * The audit screen: the local journal (re-verified on demand), what the
 * central log has proved of it (the tree head this console checked and the
 * inclusion of its newest sent event), and the journal's events, exported
 * as CSV/JSON or as the verifiable JSON Lines file `npm run audit:verify`
 * reads without this console. Everything here is read from the console's
 * own database, so it works offline.
 */
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Pagination,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconFileCertificate, IconShieldCheck } from '@tabler/icons-react';
import type { AuditStatus, JournalEventRow } from '#shared/contract/audit.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useSaveTextFile } from '../../components/saveTextFile.ts';
import { isApiError } from '../../api/client.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { AuditCentralActions } from './CentralActionsPanel.tsx';
import { AUDIT_TEST_IDS } from './testIds.ts';

const PAGE = 50;

function short(hash: string | null): string {
  return hash ? `${hash.slice(0, 12)}…` : '—';
}

export function AuditScreen() {
  const api = useApi();
  const status = useQuery({
    queryKey: ['sync', 'audit', 'status'],
    queryFn: () => api['audit:status']({}),
  });
  return (
    <Stack gap="sm" data-testid={AUDIT_TEST_IDS.screen}>
      <div>
        <Title order={1}>{t('audit:title')}</Title>
        <Text size="sm" c="dimmed">
          {t('audit:subtitle')}
        </Text>
      </div>
      {status.isPending && <LoadingRows rows={3} />}
      {status.isError && <ErrorState error={status.error} onRetry={() => void status.refetch()} />}
      {status.data && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <JournalCard status={status.data} />
          <CentralCard status={status.data} />
        </SimpleGrid>
      )}
      <AuditCentralActions />
      <JournalEvents />
    </Stack>
  );
}

function JournalCard({ status }: { status: AuditStatus }) {
  const api = useApi();
  const verify = useMutation({ mutationFn: () => api['audit:verifyJournal']({}) });
  const result = verify.data;
  return (
    <Paper withBorder p="sm">
      <Stack gap={6}>
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('audit:journalTitle')}
          </Title>
          <Button
            size="compact-sm"
            leftSection={<IconShieldCheck size={14} />}
            loading={verify.isPending}
            onClick={() => verify.mutate()}
            data-testid={AUDIT_TEST_IDS.verify}
          >
            {t('audit:verify')}
          </Button>
        </Group>
        <Text size="sm">{t('audit:events', { count: status.journal.count })}</Text>
        <Text size="sm">
          {t('audit:head')}: <Code>{short(status.journal.headHash)}</Code>
        </Text>
        <Text size="sm">
          {t('audit:lastEvent')}: {formatDateTime(status.journal.lastAt)}
        </Text>
        {verify.isError && <ErrorState error={verify.error} />}
        {result && (
          <Alert
            color={result.ok ? 'teal' : 'red'}
            role="status"
            data-testid={AUDIT_TEST_IDS.verdict}
            p="xs"
          >
            {result.ok
              ? t('audit:verifiedOk', { count: result.count })
              : t('audit:verifiedBroken', { seq: result.seq, reason: result.reason })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function CentralCard({ status }: { status: AuditStatus }) {
  return (
    <Paper withBorder p="sm">
      <Stack gap={6}>
        <Title order={2} size="h4">
          {t('audit:centralTitle')}
        </Title>
        {!status.isEnrolled && (
          <Text size="sm" c="dimmed">
            {t('audit:notEnrolled')}
          </Text>
        )}
        {status.isEnrolled && !status.treeHead && (
          <Text size="sm" c="dimmed">
            {t('audit:treeHeadNone')}
          </Text>
        )}
        {status.treeHead && (
          <Stack gap={2} data-testid={AUDIT_TEST_IDS.treeHead}>
            <Text size="sm" fw={600}>
              {t('audit:treeHead', { size: status.treeHead.size })}
            </Text>
            <Text size="sm">
              {t('audit:root')}: <Code>{short(status.treeHead.root)}</Code>
            </Text>
            <Text size="sm">
              {t('audit:signedAt')}: {formatDateTime(status.treeHead.signedAt)} ·{' '}
              {t('audit:verifiedAt')}: {formatDateTime(status.treeHead.verifiedAt)}
            </Text>
            <Text size="sm">{t('audit:acked', { seq: status.ackedSeq })}</Text>
          </Stack>
        )}
        {status.isEnrolled && (
          <Text size="sm" data-testid={AUDIT_TEST_IDS.inclusion}>
            {status.inclusion
              ? t('audit:inclusion', {
                  index: status.inclusion.index,
                  size: status.inclusion.treeSize,
                })
              : t('audit:inclusionNone')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function JournalEvents() {
  const api = useApi();
  const saveTextFile = useSaveTextFile();
  const [type, setType] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const query = { offset: (page - 1) * PAGE, limit: PAGE, ...(type ? { type } : {}) };
  const events = useQuery({
    queryKey: ['sync', 'audit', 'journal', query],
    queryFn: () => api['audit:journalEvents'](query),
    placeholderData: (previous) => previous,
  });
  const bundle = useMutation({
    mutationFn: async () => {
      const file = await api['audit:journalExport']({});
      await saveTextFile({
        fileName: file.fileName,
        content: file.content,
        mimeType: 'application/x-ndjson',
      });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: t('audit:bundleFailed'),
        message: isApiError(error) || error instanceof Error ? error.message : String(error),
      }),
  });
  const columns: ExportColumn<JournalEventRow>[] = [
    { header: t('audit:colSeq'), value: (r) => r.seq },
    { header: t('audit:colAt'), value: (r) => r.at },
    { header: t('audit:colType'), value: (r) => r.type },
    { header: t('audit:colUser'), value: (r) => r.userId },
    { header: t('audit:colStore'), value: (r) => r.storeId },
    { header: t('audit:colHash'), value: (r) => r.hash },
    {
      header: t('audit:colSynced'),
      value: (r) => (r.isSynced ? t('audit:synced') : t('audit:notSynced')),
    },
  ];
  const data = events.data;
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h4">
            {t('audit:eventsTitle')}
          </Title>
          <Group gap="xs" align="flex-end">
            <Select
              size="xs"
              label={t('audit:typeFilter')}
              placeholder={t('audit:allTypes')}
              data={data?.types ?? []}
              value={type}
              onChange={(value) => {
                setType(value);
                setPage(1);
              }}
              clearable
              searchable
              w={240}
              data-testid={AUDIT_TEST_IDS.typeFilter}
            />
            <ExportButton
              what={t('audit:exportWhat')}
              columns={columns}
              total={data?.total ?? 0}
              loadPage={async (offset, limit) =>
                (
                  await api['audit:journalEvents']({
                    offset,
                    limit,
                    ...(type ? { type } : {}),
                  })
                ).rows
              }
            />
            <Tooltip label={t('audit:bundleHint')}>
              <Button
                size="compact-sm"
                variant="default"
                leftSection={<IconFileCertificate size={14} />}
                loading={bundle.isPending}
                onClick={() => bundle.mutate()}
                data-testid={AUDIT_TEST_IDS.bundle}
              >
                {t('audit:bundle')}
              </Button>
            </Tooltip>
          </Group>
        </Group>
        {events.isError && (
          <ErrorState error={events.error} onRetry={() => void events.refetch()} />
        )}
        {data && data.total === 0 && <Empty title={t('audit:empty')} />}
        {data && data.total > 0 && (
          <>
            <Table striped highlightOnHover fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  {columns.map((c) => (
                    <Table.Th key={c.header}>{c.header}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.map((r) => (
                  <Table.Tr key={r.seq} data-testid={AUDIT_TEST_IDS.row}>
                    <Table.Td>{r.seq}</Table.Td>
                    <Table.Td>{formatDateTime(r.at)}</Table.Td>
                    <Table.Td>
                      <Code>{r.type}</Code>
                    </Table.Td>
                    <Table.Td>{r.userId}</Table.Td>
                    <Table.Td>{r.storeId}</Table.Td>
                    <Table.Td>
                      <Code>{short(r.hash)}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.isSynced ? 'teal' : 'gray'} size="sm">
                        {r.isSynced ? t('audit:synced') : t('audit:notSynced')}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Pagination
              size="sm"
              total={Math.ceil(data.total / PAGE)}
              value={page}
              onChange={setPage}
              getControlProps={(control) => ({ 'aria-label': `${t('audit:page')} ${control}` })}
            />
          </>
        )}
      </Stack>
    </Paper>
  );
}
