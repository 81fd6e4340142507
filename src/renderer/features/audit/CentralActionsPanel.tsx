/**
 * Central actions: what administrators changed in the catalog (a release
 * published, a user revoked, a desk code issued…), as the central log
 * records it: when, who (by name), what, about what, and the log entry an
 * auditor can prove. Read from the central server for a console connected
 * as a desk (its scope applies), newest first, filtered by action and by
 * administrator, paged back by log index.
 */
import { useState } from 'react';
import { Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconChevronRight, IconChevronsLeft } from '@tabler/icons-react';
import {
  CENTRAL_ACTION_TYPES,
  centralActionTypeKey,
  isCentralActionType,
  type CentralActionType,
} from '#shared/audit/centralActions.ts';
import type { CentralActionRow } from '#shared/desk/centralActions.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useCan } from '../../api/permissions.ts';
import { formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { AUDIT_TEST_IDS } from './testIds.ts';

function typeWords(type: string): string {
  return isCentralActionType(type) ? t(`centralActions:types.${centralActionTypeKey(type)}`) : type;
}

function subjectWords(row: CentralActionRow): string {
  if (row.subject === null) return t('centralActions:chainWide');
  return t(`centralActions:subject.${row.subject.kind}`, { id: row.subject.id });
}

function AdminCell({ row }: { row: CentralActionRow }) {
  return (
    <Stack gap={0}>
      <Text size="sm">{row.adminName ?? row.adminId}</Text>
      <Text size="xs" c="dimmed">
        {row.adminName === null
          ? `${row.adminId} · ${t('centralActions:unknownAdmin')}`
          : row.adminId}
        {row.via === 'cli' && ` · ${t('centralActions:via_cli')}`}
        {row.via === 'bootstrap' && ` · ${t('centralActions:via_bootstrap')}`}
        {row.via === 'desk' && ` · ${t('centralActions:via_desk')}`}
      </Text>
    </Stack>
  );
}

/**
 * The panel; `isDesk` false shows why there is nothing to list on this
 * console. `isTitled` false leaves the title to a surrounding drawer.
 */
export function CentralActionsPanel({
  isDesk,
  isTitled = true,
}: {
  isDesk: boolean;
  isTitled?: boolean;
}) {
  const api = useApi();
  const [type, setType] = useState<CentralActionType | null>(null);
  const [adminId, setAdminId] = useState<string | null>(null);
  // Older pages are reached by the log index of the last action shown (keyset), newest first.
  const [before, setBefore] = useState<number | undefined>(undefined);
  const input = {
    ...(before !== undefined ? { before } : {}),
    ...(type !== null ? { type } : {}),
    ...(adminId !== null ? { adminId } : {}),
  };
  const actions = useQuery({
    queryKey: ['desk', 'centralActions', input],
    queryFn: () => api['desk:centralActions'](input),
    enabled: isDesk,
    placeholderData: keepPreviousData,
  });
  const isFiltered = type !== null || adminId !== null;
  return (
    <Paper
      withBorder={isTitled}
      p={isTitled ? 'sm' : 0}
      data-testid={AUDIT_TEST_IDS.centralActions}
    >
      <Stack gap="xs">
        <div>
          {isTitled && (
            <Title order={2} size="h4">
              {t('centralActions:title')}
            </Title>
          )}
          <Text size="sm" c="dimmed">
            {t('centralActions:subtitle')}
          </Text>
        </div>
        {!isDesk && (
          <Text size="sm" c="dimmed">
            {t('centralActions:notDesk')}
          </Text>
        )}
        {isDesk && (
          <Group gap="sm" align="flex-end">
            <Select
              label={t('centralActions:typeFilter')}
              placeholder={t('centralActions:allTypes')}
              data={CENTRAL_ACTION_TYPES.map((value) => ({ value, label: typeWords(value) }))}
              value={type}
              onChange={(value) => {
                setType(value !== null && isCentralActionType(value) ? value : null);
                setBefore(undefined);
              }}
              clearable
              searchable
              w={280}
              data-testid={AUDIT_TEST_IDS.centralTypeFilter}
            />
            <Select
              label={t('centralActions:adminFilter')}
              placeholder={t('centralActions:allAdmins')}
              data={(actions.data?.admins ?? []).map((a) => ({
                value: a.id,
                label: `${a.name} (${a.id})`,
              }))}
              value={adminId}
              onChange={(value) => {
                setAdminId(value);
                setBefore(undefined);
              }}
              clearable
              searchable
              w={260}
              data-testid={AUDIT_TEST_IDS.centralAdminFilter}
            />
          </Group>
        )}
        {isDesk && actions.isPending && <LoadingRows rows={5} />}
        {isDesk && actions.isError && (
          <ErrorState error={actions.error} onRetry={() => void actions.refetch()} />
        )}
        {actions.data && actions.data.actions.length === 0 && (
          <Empty
            title={isFiltered ? t('centralActions:emptyFiltered') : t('centralActions:empty')}
          />
        )}
        {actions.data && actions.data.actions.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('centralActions:colAt')}</Table.Th>
                  <Table.Th>{t('centralActions:colAdmin')}</Table.Th>
                  <Table.Th>{t('centralActions:colWhat')}</Table.Th>
                  <Table.Th>{t('centralActions:colSubject')}</Table.Th>
                  <Table.Th ta="right">{t('centralActions:colIndex')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {actions.data.actions.map((row) => (
                  <Table.Tr key={row.index} data-testid={AUDIT_TEST_IDS.centralRow}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(row.at)}</Table.Td>
                    <Table.Td>
                      <AdminCell row={row} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {typeWords(row.type)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{subjectWords(row)}</Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {row.index}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {isDesk && actions.data && (before !== undefined || actions.data.next !== null) && (
          <Group gap="xs" justify="flex-end">
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconChevronsLeft size={14} />}
              disabled={before === undefined}
              onClick={() => setBefore(undefined)}
            >
              {t('centralActions:newest')}
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              rightSection={<IconChevronRight size={14} />}
              disabled={actions.data.next === null}
              onClick={() => setBefore(actions.data.next ?? undefined)}
              data-testid={AUDIT_TEST_IDS.centralOlder}
            >
              {t('centralActions:older')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The audit screen's section: shown to the roles that may read desks, listing
 * when this console is connected as a desk and saying why not otherwise.
 */
export function AuditCentralActions() {
  const api = useApi();
  const permission = useCan('desk:centralActions');
  const connection = useQuery({
    queryKey: ['desk', 'connection'],
    queryFn: () => api['desk:connection']({}),
    enabled: permission.allowed,
  });
  if (!permission.allowed || !connection.data) return null;
  return <CentralActionsPanel isDesk={connection.data.isConnected} />;
}
