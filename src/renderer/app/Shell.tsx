import { Suspense } from 'react';
import { AppShell, Group, NavLink, Text } from '@mantine/core';
import { NavLink as RouterNavLink, Outlet } from 'react-router';
import { LoadingRows } from '../components/QueryState.tsx';
import { COMMON_TEXT } from '../components/text.ts';
import { NAV_ITEMS } from './navigation.tsx';
import { StatusBar } from './StatusBar.tsx';

/** Navigation on the left, the screen in the middle, the status bar always at the bottom. */
export function Shell() {
  return (
    <AppShell navbar={{ width: 176, breakpoint: 0 }} footer={{ height: 40 }} padding="md">
      <AppShell.Navbar p="xs">
        <Group px="xs" py={8} mb="xs">
          <Text fw={800} size="sm" lh={1.2}>
            {COMMON_TEXT.appName}
          </Text>
        </Group>
        {NAV_ITEMS.map((item) => (
          <RouterNavLink
            key={item.path}
            to={`/${item.path}`}
            style={{ textDecoration: 'none' }}
            data-testid={item.testId}
          >
            {({ isActive }) => (
              <NavLink
                component="span"
                label={item.label}
                leftSection={item.icon}
                active={isActive}
              />
            )}
          </RouterNavLink>
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<LoadingRows rows={8} height={28} />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
    </AppShell>
  );
}
