import { Suspense } from 'react';
import { AppShell, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { Link, Outlet, useMatch } from 'react-router';
import { LoadingRows } from '../components/QueryState.tsx';
import { ColorSchemeSwitch } from './ColorSchemeSwitch.tsx';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { NAV_ITEMS, type NavItem } from './navigation.tsx';
import { StatusBar } from './StatusBar.tsx';
import { ReportLauncher } from '../features/feedback/ReportLauncher.tsx';
import { t } from '../i18n/index.ts';
import { BlockedBanner } from '../features/releases/BlockedBanner.tsx';
import { WhatsNewBanner } from '../features/riskComms/WhatsNewBanner.tsx';

/**
 * One navigation entry: Mantine's NavLink rendered as the router's link, so it
 * keeps Mantine's colours (a router link wrapping it showed the browser's
 * blue and visited purple) and is one focusable link, not a link around a span.
 */
function ShellNavLink(props: { item: NavItem }) {
  const { item } = props;
  const isActive = useMatch({ path: `/${item.path}`, end: false }) !== null;
  return (
    <NavLink
      component={Link}
      to={`/${item.path}`}
      label={item.label}
      leftSection={item.icon}
      active={isActive}
      aria-current={isActive ? 'page' : undefined}
      data-testid={item.testId}
    />
  );
}

/** Navigation on the left, the screen in the middle, the status bar always at the bottom. */
export function Shell() {
  return (
    <AppShell navbar={{ width: 176, breakpoint: 0 }} footer={{ height: 40 }} padding="md">
      <AppShell.Navbar p="xs">
        <Group px="xs" py={8} mb="xs">
          <Text fw={800} size="sm" lh={1.2}>
            {t('common:appName')}
          </Text>
        </Group>
        {/* The entries scroll when the window is too short for them all; the switches below stay
            in the navigation column instead of spilling over the status bar. */}
        <AppShell.Section grow component={ScrollArea} scrollbarSize={6}>
          {NAV_ITEMS.map((item) => (
            <ShellNavLink key={item.path} item={item} />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Stack pt="xs" gap="xs">
            <LanguageSwitch />
            <ColorSchemeSwitch />
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <BlockedBanner />
        <WhatsNewBanner />
        <Suspense fallback={<LoadingRows rows={8} height={28} />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
      <ReportLauncher />
    </AppShell>
  );
}
