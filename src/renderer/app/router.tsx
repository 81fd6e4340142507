import { Button, Center, Stack, Text } from '@mantine/core';
import { createHashRouter, Link, redirect, useRouteError } from 'react-router';
import { ErrorState } from '../components/QueryState.tsx';
import { NAV_ITEMS, REPORT_ROUTES } from './navigation.tsx';
import { Shell } from './Shell.tsx';
import { t } from '../i18n/index.ts';

function NotFound() {
  return (
    <Center py="xl">
      <Stack align="center">
        <Text>{t('shell:notFound')}</Text>
        <Button component={Link} to="/fleet" variant="light">
          {t('shell:backToFleet')}
        </Button>
      </Stack>
    </Center>
  );
}

function RouteError() {
  const error = useRouteError();
  return (
    <ErrorState
      error={error}
      title={t('shell:fatalTitle')}
      onRetry={() => window.location.reload()}
    />
  );
}

/** Hash routes: they work from file:// in Electron and from the browser-mode server alike. */
export function createAppRouter() {
  return createHashRouter([
    {
      path: '/',
      element: <Shell />,
      errorElement: <RouteError />,
      children: [
        // A redirect decided before the first render: <Navigate> rendered an empty main area
        // first and moved to the fleet a render later (1–3 s of blank screen on a busy machine).
        { index: true, loader: () => redirect('/fleet') },
        ...NAV_ITEMS.flatMap((item) => item.routes),
        ...REPORT_ROUTES,
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
