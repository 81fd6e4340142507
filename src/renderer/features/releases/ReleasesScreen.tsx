import { Group, Paper, ScrollArea, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconBuildingStore, IconFileText, IconList } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { ReleaseStatusBadge, ReleaseTypeBadge, RingBadge } from '../../components/Badges.tsx';
import { formatCount, formatDate } from '../../components/format.ts';
import { Empty, ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { ChangelogView } from './ChangelogView.tsx';
import { CHANGELOG_TEST_IDS } from './changelogTestIds.ts';
import { ReleaseDetail } from './ReleaseDetail.tsx';
import classes from './ReleasesScreen.module.css';
import { StoreNotesView } from './StoreNotesView.tsx';
import { t } from '../../i18n/index.ts';

/** Releases: the catalog with a detail panel (/releases/:id), and the store view (/releases/stores/:storeId). */
export function ReleasesScreen() {
  const navigate = useNavigate();
  const location = useLocation();
  const { releaseId, storeId } = useParams();
  const tab = location.pathname.startsWith('/releases/stores')
    ? 'stores'
    : location.pathname === '/releases/changelog'
      ? 'changelog'
      : 'catalog';

  return (
    <Stack gap="sm">
      <div>
        <Title order={1}>{t('releases:title')}</Title>
        <Text size="sm" c="dimmed">
          {t('releases:subtitle')}
        </Text>
      </div>
      <Tabs
        value={tab}
        onChange={(next) =>
          void navigate(
            next === 'stores'
              ? '/releases/stores'
              : next === 'changelog'
                ? '/releases/changelog'
                : '/releases',
          )
        }
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="catalog" leftSection={<IconList size={14} />}>
            {t('releases:tabCatalog')}
          </Tabs.Tab>
          <Tabs.Tab value="stores" leftSection={<IconBuildingStore size={14} />}>
            {t('releases:tabStores')}
          </Tabs.Tab>
          <Tabs.Tab
            value="changelog"
            leftSection={<IconFileText size={14} />}
            data-testid={CHANGELOG_TEST_IDS.tab}
          >
            {t('releases:tabChangelog')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="catalog" pt="sm">
          <ReleaseCatalog
            selectedId={releaseId ?? null}
            onSelect={(id) => void navigate(`/releases/${encodeURIComponent(id)}`)}
          />
        </Tabs.Panel>
        <Tabs.Panel value="changelog" pt="sm">
          <ChangelogView />
        </Tabs.Panel>
        <Tabs.Panel value="stores" pt="sm">
          <StoreNotesView
            storeId={storeId ?? null}
            onSelect={(id) =>
              void navigate(id ? `/releases/stores/${encodeURIComponent(id)}` : '/releases/stores')
            }
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function ReleaseCatalog(props: { selectedId: string | null; onSelect: (id: string) => void }) {
  const api = useApi();
  const releases = useQuery({
    queryKey: queryKeys.releases(),
    queryFn: () => api['releases:list']({}),
  });
  if (releases.isPending) return <LoadingRows rows={8} height={30} />;
  if (releases.isError)
    return <ErrorState error={releases.error} onRetry={() => void releases.refetch()} />;
  if (releases.data.length === 0)
    return <Empty title={t('releases:empty')} description={t('releases:emptyHint')} />;

  return (
    <div className={classes.split}>
      <Paper withBorder radius="md" className={classes.list}>
        <ScrollArea.Autosize mah="calc(100vh - 230px)">
          {/* Tight cell spacing: at 1366 px the seven columns (Terminals last) fit beside the detail panel. */}
          <Table highlightOnHover stickyHeader verticalSpacing={6} horizontalSpacing={8} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('releases:colVersion')}</Table.Th>
                <Table.Th>{t('releases:colTitle')}</Table.Th>
                <Table.Th>{t('releases:colType')}</Table.Th>
                <Table.Th>{t('releases:colRing')}</Table.Th>
                <Table.Th>{t('releases:colStatus')}</Table.Th>
                <Table.Th>{t('releases:colDates')}</Table.Th>
                <Table.Th ta="right">{t('releases:colTerminals')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {releases.data.map((release) => (
                <Table.Tr
                  key={release.id}
                  className={classes.row}
                  data-selected={release.id === props.selectedId || undefined}
                  onClick={() => props.onSelect(release.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') props.onSelect(release.id);
                  }}
                  tabIndex={0}
                  data-testid={TEST_IDS.releaseRow}
                  data-release-id={release.id}
                >
                  <Table.Td>
                    <Text ff="monospace" fw={600} size="sm">
                      {release.version}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={220}>
                    <Text size="sm" truncate="end">
                      {release.title}
                    </Text>
                    {release.targetOfRings.length > 0 && (
                      <Group gap={4} mt={2}>
                        <Text size="xs" c="dimmed">
                          {t('releases:targetOf')}
                        </Text>
                        {release.targetOfRings.map((ring) => (
                          <RingBadge key={ring} ring={ring} />
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td className={classes.nowrap}>
                    <ReleaseTypeBadge type={release.type} />
                  </Table.Td>
                  <Table.Td className={classes.nowrap}>
                    <RingBadge ring={release.ring} />
                  </Table.Td>
                  <Table.Td className={classes.nowrap}>
                    <ReleaseStatusBadge status={release.status} />
                  </Table.Td>
                  <Table.Td className={classes.nowrap}>
                    <Text size="xs" c="dimmed" span>
                      {t('releases:plannedShort')}{' '}
                    </Text>
                    <Text size="xs" span>
                      {formatDate(release.plannedAt)}
                    </Text>
                    <br />
                    <Text size="xs" c="dimmed" span>
                      {t('releases:actualShort')}{' '}
                    </Text>
                    <Text size="xs" span>
                      {formatDate(release.actualAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" className={classes.num}>
                    {formatCount(release.terminalCount)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      </Paper>
      <Paper withBorder radius="md" p="md" className={classes.detail}>
        {props.selectedId ? (
          <ReleaseDetail releaseId={props.selectedId} />
        ) : (
          <Empty title={t('releases:pickRelease')} />
        )}
      </Paper>
    </div>
  );
}
