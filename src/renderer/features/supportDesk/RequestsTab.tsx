/**
 * Feature requests at the desk: votes counted in stores, not clicks, with
 * the stores that asked; the desk sets a status (planned for a release,
 * shipped, declined) or merges a request into another (its stores' votes
 * carry over), and the stores that asked see it.
 */
import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RequestRow, TriageAction } from '#shared/feedback/deskProtocol.ts';
import { REQUEST_STATUSES } from '#shared/feedback/triage.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { requestStatusWords } from './labels.ts';
import { SUPPORT_DESK_TEST_IDS } from './testIds.ts';

function RequestActions({ row }: { row: RequestRow }) {
  const api = useApi();
  const client = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [plannedFor, setPlannedFor] = useState('');
  const [into, setInto] = useState('');
  const act = useMutation({
    mutationFn: (action: TriageAction) => api['supportDesk:act']({ action }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['desk'] }),
  });
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap">
        <Select
          aria-label={t('supportDesk:requests.setStatus')}
          data={REQUEST_STATUSES.map((s) => ({ value: s, label: requestStatusWords(s) }))}
          value={status}
          onChange={setStatus}
          size="xs"
          w={140}
        />
        {status === 'planned' && (
          <TextInput
            aria-label={t('supportDesk:requests.plannedFor')}
            placeholder={t('supportDesk:requests.plannedFor')}
            value={plannedFor}
            onChange={(e) => setPlannedFor(e.currentTarget.value)}
            size="xs"
            w={130}
          />
        )}
        <Button
          size="xs"
          variant="light"
          disabled={status === null}
          onClick={() =>
            act.mutate({
              type: 'feedback.request.status_set',
              payload: {
                requestId: row.id,
                status: status as (typeof REQUEST_STATUSES)[number],
                ...(status === 'planned' ? { plannedFor: plannedFor.trim() } : {}),
              },
            })
          }
        >
          {t('supportDesk:requests.setStatus')}
        </Button>
      </Group>
      <Group gap={4} wrap="nowrap">
        <TextInput
          aria-label={t('supportDesk:requests.mergeInto')}
          placeholder={t('supportDesk:requests.mergeInto')}
          value={into}
          onChange={(e) => setInto(e.currentTarget.value)}
          size="xs"
          w={140}
        />
        <Button
          size="xs"
          variant="default"
          disabled={into.trim() === ''}
          onClick={() =>
            act.mutate({
              type: 'feedback.request.merged',
              payload: { requestId: row.id, into: into.trim() },
            })
          }
        >
          {t('supportDesk:requests.merge')}
        </Button>
      </Group>
      {act.isError && <ErrorState error={act.error} />}
    </Stack>
  );
}

export function RequestsTab({ actingUser }: { actingUser: string | null }) {
  const api = useApi();
  const requests = useQuery({
    queryKey: ['desk', 'supportRequests'],
    queryFn: () => api['supportDesk:requests']({ offset: 0, limit: 500 }),
  });
  if (requests.isPending) return <LoadingRows rows={6} />;
  if (requests.isError)
    return <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />;
  if (requests.data.rows.length === 0) return <Empty title={t('supportDesk:requests.empty')} />;
  return (
    <Stack gap="xs">
      {actingUser && (
        <Text size="xs" c="dimmed">
          {t('supportDesk:triage.actingAs', { user: actingUser })}
        </Text>
      )}
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('supportDesk:requests.columns.request')}</Table.Th>
            <Table.Th>{t('supportDesk:requests.columns.status')}</Table.Th>
            <Table.Th>{t('supportDesk:requests.columns.votes')}</Table.Th>
            <Table.Th>{t('supportDesk:requests.columns.store')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.data.rows.map((r) => (
            <Table.Tr key={r.id} data-testid={SUPPORT_DESK_TEST_IDS.requestRow}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {r.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {`${r.id} · ${r.description}`}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{requestStatusWords(r.status)}</Badge>
                {r.plannedFor && <Text size="xs">{r.plannedFor}</Text>}
                {r.mergedInto && <Text size="xs">{`→ ${r.mergedInto}`}</Text>}
              </Table.Td>
              <Table.Td title={t('supportDesk:requests.voters', { stores: r.voters.join(', ') })}>
                {t('supportDesk:requests.votes', { count: r.votes })}
                <Text size="xs" c="dimmed">
                  {r.voters.join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>{r.storeId}</Table.Td>
              <Table.Td>
                <RequestActions row={r} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
