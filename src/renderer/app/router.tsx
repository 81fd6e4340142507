import { Button, Center, Stack, Text } from '@mantine/core';
import { createHashRouter, Link, Navigate, useRouteError } from 'react-router';
import { ErrorState } from '../components/QueryState.tsx';
import { NAV_ITEMS, REPORT_ROUTES } from './navigation.tsx';
import { Shell } from './Shell.tsx';
import { SHELL_TEXT } from './text.ts';

function NotFound() {
  return (
    <Center py="xl">
      <Stack align="center">
        <Text>{SHELL_TEXT.notFound}</Text>
        <Button component={Link} to="/fleet" variant="light">
          {SHELL_TEXT.backToFleet}
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
      title={SHELL_TEXT.fatalTitle}
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
        { index: true, element: <Navigate to="/fleet" replace /> },
        ...NAV_ITEMS.flatMap((item) => item.routes),
        ...REPORT_ROUTES,
        { path: '*', element: <NotFound /> },
      ],
    },
  ]);
}
