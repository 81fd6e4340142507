/**
 * The release desk's two views, progression and calendar, linked from each
 * other's header; and the connection check both make first (a console not
 * enrolled as a desk is told where to connect).
 */
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert, Anchor, Button, Group, Stack, Title } from '@mantine/core';
import { IconCalendar, IconChartBar } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { ErrorState, LoadingRows } from '../../components/QueryState.tsx';
import { t } from '../../i18n/index.ts';
import { RELEASE_DESK_TEST_IDS } from './testIds.ts';

const VIEWS = [
  { path: '/release-desk', label: 'calendar:progression', icon: <IconChartBar size={16} /> },
  {
    path: '/release-desk/calendar',
    label: 'calendar:calendar',
    icon: <IconCalendar size={16} />,
  },
] as const;

export function DeskViews() {
  const { pathname } = useLocation();
  return (
    <Group gap={4} component="nav" aria-label={t('calendar:views')}>
      {VIEWS.map((v) => {
        const isCurrent = pathname === v.path;
        return (
          <Button
            key={v.path}
            component={Link}
            to={v.path}
            variant={isCurrent ? 'light' : 'subtle'}
            leftSection={v.icon}
            aria-current={isCurrent ? 'page' : undefined}
            data-testid={
              v.path === '/release-desk/calendar' ? RELEASE_DESK_TEST_IDS.calendarLink : undefined
            }
          >
            {t(v.label)}
          </Button>
        );
      })}
    </Group>
  );
}

export function DeskConnectionGate(props: { title: string; children: ReactNode }) {
  const api = useApi();
  const connection = useQuery({
    queryKey: ['desk', 'connection'],
    queryFn: () => api['desk:connection']({}),
  });
  if (connection.isPending) return <LoadingRows rows={6} />;
  if (connection.isError || !connection.data.isConnected)
    return (
      <Stack gap="sm">
        <Title order={1}>{props.title}</Title>
        {connection.isError ? (
          <ErrorState error={connection.error} />
        ) : (
          <Alert color="blue">
            {t('releaseDesk:notConnected')}{' '}
            <Anchor component={Link} to="/desk">
              {t('releaseDesk:connectOnDesk')}
            </Anchor>
          </Alert>
        )}
      </Stack>
    );
  return <>{props.children}</>;
}
