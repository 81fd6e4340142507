import { lazy, Suspense, type ReactNode } from 'react';
import {
  Anchor,
  Badge,
  Divider,
  Drawer,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBarcode, IconDatabase, IconKeyboard } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { VersionHistoryEntry } from '#shared/contract/index.ts';
import { assertNever } from '#shared/errors.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { DriftBadge, RingBadge } from '../../components/Badges.tsx';
import { DRIFT_COLOR } from '../../components/colors.ts';
import { formatAgo, formatDateTime } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { RecordVersionForm } from './RecordVersionForm.tsx';
import type { VersionSource } from './scanner.ts';
import { ProvenanceBadge } from '../../components/ProvenanceBadge.tsx';
import { t } from '../../i18n/index.ts';

// Flags are read on demand: their panel (and the change request modal behind it) stays out of the fleet's start-up bundle.
const TerminalFlags = lazy(() =>
  import('../deployments/TerminalFlags.tsx').then((m) => ({ default: m.TerminalFlags })),
);

function sourceIcon(source: VersionHistoryEntry['source']) {
  switch (source) {
    case 'catalog':
      return <IconDatabase size={12} />;
    case 'typed':
      return <IconKeyboard size={12} />;
    case 'scanned':
      return <IconBarcode size={12} />;
    default:
      return assertNever(source, 'version source');
  }
}

function sourceLabel(source: VersionHistoryEntry['source']): string {
  switch (source) {
    case 'catalog':
      return t('fleet:sourceCatalog');
    case 'typed':
      return t('fleet:sourceTyped');
    case 'scanned':
      return t('fleet:sourceScanned');
    default:
      return assertNever(source, 'version source');
  }
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {props.label}
      </Text>
      <Text size="sm" component="div">
        {props.children}
      </Text>
    </div>
  );
}

/** Terminal detail: what it runs, what it should run, how it got there, and "Record version". */
export function TerminalDrawer(props: {
  terminalId: string | null;
  onClose: () => void;
  canRecord: boolean;
}) {
  const { terminalId, onClose } = props;
  const api = useApi();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: queryKeys.terminal(terminalId ?? ''),
    queryFn: () => api['fleet:getTerminal']({ terminalId: terminalId! }),
    enabled: terminalId !== null,
  });
  // History names who recorded each version by user id; show the person's name.
  const users = useQuery({
    queryKey: queryKeys.users(),
    queryFn: () => api['session:listUsers']({}),
    staleTime: 300_000,
    enabled: terminalId !== null,
  });
  const nameOf = (userId: string) => users.data?.find((u) => u.id === userId)?.name ?? userId;
  const record = useMutation({
    mutationFn: (input: { version: string; source: VersionSource }) =>
      api['fleet:recordVersion']({ terminalId: terminalId!, ...input }),
    onSuccess: (result) => {
      notifications.show({
        color: 'teal',
        message: t('fleet:recordDone', {
          version: result.terminal.version ?? '',
          terminal: result.terminal.name,
        }),
      });
      // db:changed will say the same; invalidating here makes the update immediate.
      for (const domain of ['fleet', 'releases', 'sync'] as const) {
        void queryClient.invalidateQueries({ queryKey: [domain] });
      }
    },
  });

  const data = detail.data;
  return (
    <Drawer
      opened={terminalId !== null}
      onClose={onClose}
      position="right"
      size={480}
      title={<Title order={4}>{data ? data.terminal.name : t('fleet:detailTitle')}</Title>}
    >
      {detail.isPending && <LoadingRows rows={8} />}
      {detail.isError && <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />}
      {data && (
        <Stack gap="md" data-testid={TEST_IDS.terminalDetail}>
          <SimpleGrid cols={2} spacing="sm" verticalSpacing={6}>
            <Field label={t('fleet:detailStore')}>
              <Group gap={6}>
                {data.store.name} <RingBadge ring={data.store.ring} />
              </Group>
            </Field>
            <Field label={t('fleet:detailModel')}>{data.terminal.model}</Field>
            <Field label={t('fleet:detailSerial')}>
              <Text ff="monospace" size="sm">
                {data.terminal.serial}
              </Text>
            </Field>
            <Field label={t('fleet:detailLastSeen')}>{formatAgo(data.terminal.lastSeen)}</Field>
            <Field label={t('fleet:detailInstalled')}>
              <Group gap={6}>
                <Text
                  ff="monospace"
                  size="sm"
                  fw={600}
                  c={data.terminal.isDrift ? DRIFT_COLOR : undefined}
                >
                  {data.terminal.version ?? t('common:unknownVersion')}
                </Text>
                <DriftBadge isDrift={data.terminal.isDrift} />
              </Group>
            </Field>
            <Field label={t('fleet:detailTarget')}>
              <Text ff="monospace" size="sm">
                {data.terminal.targetVersion ?? t('common:dash')}
              </Text>
            </Field>
          </SimpleGrid>
          {data.terminal.isDrift && (
            <Anchor
              component={Link}
              to={`/releases/stores/${encodeURIComponent(data.store.id)}`}
              size="sm"
            >
              {t('fleet:notesToTarget')}
            </Anchor>
          )}
          {props.canRecord && (
            <>
              <Divider label={t('fleet:recordTitle')} labelPosition="left" />
              <RecordVersionForm
                key={terminalId}
                autoFocus
                isPending={record.isPending}
                error={record.error?.message ?? null}
                onRecord={(version, source) => record.mutateAsync({ version, source })}
              />
            </>
          )}
          {data.terminal.releaseId !== null && (
            <Suspense fallback={<LoadingRows rows={2} />}>
              <TerminalFlags storeId={data.store.id} releaseId={data.terminal.releaseId} />
            </Suspense>
          )}
          <Divider label={t('fleet:historyTitle')} labelPosition="left" />
          {data.history.length === 0 ? (
            <Empty title={t('fleet:historyEmpty')} />
          ) : (
            <Timeline active={0} bulletSize={20} lineWidth={2}>
              {data.history.map((entry, i) => (
                <Timeline.Item
                  key={entry.eventId ?? `${entry.observedAt}-${i}`}
                  bullet={sourceIcon(entry.source)}
                  title={
                    <Group gap={6}>
                      <Text ff="monospace" fw={600} size="sm">
                        {entry.version}
                      </Text>
                      {entry.releaseId === null && (
                        <Badge size="xs" color="gray" variant="light">
                          {t('common:unknownVersion')}
                        </Badge>
                      )}
                    </Group>
                  }
                  data-testid={TEST_IDS.historyEntry}
                >
                  <Text size="xs" c="dimmed">
                    {formatDateTime(entry.observedAt)} · {sourceLabel(entry.source)}
                    {entry.recordedBy
                      ? ` · ${t('fleet:by', { name: nameOf(entry.recordedBy) })}`
                      : ''}
                  </Text>
                  {entry.eventId && <ProvenanceBadge eventId={entry.eventId} />}
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
