/**
 * The checklists screen's "Due" section: what the release desk assigned to
 * the user's store, overdue first (in red), with counts. A finished run of
 * the checklist completes an assignment; done ones are counted, not listed.
 */
import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { AssignmentStatus } from '#shared/checklists/assignments.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';

const STATUS_COLOR: Record<AssignmentStatus, string> = {
  overdue: 'red',
  due: 'blue',
  done: 'teal',
};

export function DueAssignments() {
  const api = useApi();
  const assignments = useQuery({
    queryKey: ['checklists', 'assignments'],
    queryFn: () => api['checklists:assignments']({}),
  });
  if (assignments.isPending) return <LoadingRows rows={2} />;
  if (assignments.isError)
    return <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />;
  const all = assignments.data;
  // A console without assignments shows nothing: the section is for stores the desk asked.
  if (all.length === 0) return null;
  const count = (s: AssignmentStatus) => all.filter((a) => a.status === s).length;
  const open = all.filter((a) => a.status !== 'done');
  return (
    <Paper withBorder p="sm" data-testid={CHECKLIST_TEST_IDS.due}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3">
            {t('checklists:due.title')}
          </Title>
          <Group gap="xs">
            {count('overdue') > 0 && (
              <Badge color="red" variant="filled" data-testid={CHECKLIST_TEST_IDS.overdueCount}>
                {t('checklists:due.overdueCount', { count: count('overdue') })}
              </Badge>
            )}
            <Badge color="blue" variant="light" data-testid={CHECKLIST_TEST_IDS.dueCount}>
              {t('checklists:due.dueCount', { count: count('due') })}
            </Badge>
            {count('done') > 0 && (
              <Badge color="teal" variant="light">
                {t('checklists:due.doneCount', { count: count('done') })}
              </Badge>
            )}
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          {t('checklists:due.hint')}
        </Text>
        {open.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('checklists:due.none')}
          </Text>
        ) : (
          <Table withTableBorder fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('checklists:due.checklist')}</Table.Th>
                <Table.Th>{t('checklists:due.release')}</Table.Th>
                <Table.Th>{t('checklists:due.store')}</Table.Th>
                <Table.Th>{t('checklists:due.dueAt')}</Table.Th>
                <Table.Th>{t('checklists:due.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((a) => (
                <Table.Tr key={a.id} data-testid={CHECKLIST_TEST_IDS.dueRow} data-status={a.status}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {a.templateName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('checklists:due.assignedBy', {
                        user: a.assignedByName,
                        desk: a.assignedBy.deskId,
                      })}
                      {a.note ? ` · ${a.note}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{a.releaseVersion ?? t('checklists:due.anyRelease')}</Table.Td>
                  <Table.Td>{a.storeId}</Table.Td>
                  <Table.Td
                    c={a.status === 'overdue' ? 'red' : undefined}
                    fw={a.status === 'overdue' ? 600 : undefined}
                  >
                    {formatDateTime(a.dueAt)}
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={STATUS_COLOR[a.status]}
                      variant={a.status === 'overdue' ? 'filled' : 'light'}
                    >
                      {t(`checklists:due.statuses.${a.status}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
