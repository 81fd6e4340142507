/**
 * The events of this console that the central server appended but
 * quarantined (they broke the actor rule), each with the reason in plain
 * words and what to do about it. They count on no console or desk; the
 * journal keeps them. The Sync screen shows the list whenever the status
 * counts any.
 */
import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { IconUserExclamation } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { QuarantinedEventPage } from '#shared/contract/index.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ErrorState } from '../../components/QueryState.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { SYNC_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

/** Loads and shows the newest quarantined events; nothing when there are none. */
export function QuarantinedEvents(props: { count: number }) {
  const api = useApi();
  const page = useQuery({
    queryKey: [...queryKeys.syncStatus(), 'quarantined', props.count] as const,
    queryFn: () => api['sync:quarantined']({ limit: 20 }),
    enabled: props.count > 0,
  });
  if (props.count === 0) return null;
  if (page.isError) return <ErrorState error={page.error} onRetry={() => void page.refetch()} />;
  if (!page.data) return null;
  return <QuarantinedEventsView page={page.data} />;
}

/** The list itself, from one page (no back-end calls). */
export function QuarantinedEventsView(props: { page: QuarantinedEventPage }) {
  const { page } = props;
  if (page.total === 0) return null;
  const hidden = page.total - page.events.length;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconUserExclamation size={20} />}
      title={t('sync:quarantine.title', { count: page.total, n: formatCount(page.total) })}
      data-testid={SYNC_TEST_IDS.quarantined}
    >
      <Stack gap="xs">
        <Text size="sm">{t('sync:quarantine.intro')}</Text>
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sync:quarantine.what')}</Table.Th>
              <Table.Th>{t('sync:quarantine.by')}</Table.Th>
              <Table.Th>{t('sync:quarantine.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.events.map((e) => (
              <Table.Tr
                key={e.seq}
                data-testid={SYNC_TEST_IDS.quarantinedRow}
                data-seq={e.seq}
                data-reason={e.reason}
              >
                <Table.Td>
                  <Text size="sm">{e.type}</Text>
                  <Text size="xs" c="dimmed">
                    #{e.seq} · {formatDateTime(e.at)}
                  </Text>
                </Table.Td>
                <Table.Td>{e.userId}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <Badge color="orange" variant="outline" size="sm">
                      {e.reason}
                    </Badge>
                  </Group>
                  <Text size="sm">{e.explanation}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {hidden > 0 && (
          <Text size="xs" c="dimmed">
            {t('sync:quarantine.more', { n: formatCount(hidden) })}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
