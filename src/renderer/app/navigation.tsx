/**
 * The features in the navigation, in order. A feature adds one entry and its
 * routes here (issues 4 and 5 add checklists and deployments; the sync
 * engineer adds the sync panel from src/renderer/features/sync/). Every entry
 * must be a real screen: no placeholders.
 */
import { lazy, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { IconBuildingStore, IconCloudUpload, IconRocket } from '@tabler/icons-react';
import { FleetScreen } from '../features/fleet/FleetScreen.tsx';
import { SYNC_TEST_IDS } from '../features/sync/testIds.ts';
import { TEST_IDS } from '../testIds.ts';

// The fleet is the landing screen and loads with the app; other screens load
// on first visit, so the first paint does not wait for Markdown parsers etc.
const ReleasesScreen = lazy(() =>
  import('../features/releases/ReleasesScreen.tsx').then((m) => ({ default: m.ReleasesScreen })),
);
const SyncPanel = lazy(() => import('../features/sync/SyncPanel.tsx').then((m) => ({ default: m.SyncPanel })));

export type NavItem = {
  /** Top-level path without the slash; also the first segment of its routes. */
  path: string;
  label: string;
  icon: ReactNode;
  testId: string;
  routes: RouteObject[];
};

export const NAV_ITEMS: NavItem[] = [
  {
    path: 'fleet',
    label: 'Fleet',
    icon: <IconBuildingStore size={18} />,
    testId: TEST_IDS.navFleet,
    routes: [
      { path: 'fleet', element: <FleetScreen /> },
      { path: 'fleet/terminals/:terminalId', element: <FleetScreen /> },
    ],
  },
  {
    path: 'releases',
    label: 'Releases',
    icon: <IconRocket size={18} />,
    testId: TEST_IDS.navReleases,
    routes: [
      { path: 'releases', element: <ReleasesScreen /> },
      { path: 'releases/:releaseId', element: <ReleasesScreen /> },
      { path: 'releases/stores', element: <ReleasesScreen /> },
      { path: 'releases/stores/:storeId', element: <ReleasesScreen /> },
    ],
  },
  {
    path: 'sync',
    label: 'Sync',
    icon: <IconCloudUpload size={18} />,
    testId: SYNC_TEST_IDS.nav,
    routes: [{ path: 'sync', element: <SyncPanel /> }],
  },
];

/**
 * Where the status bar's pending-events count leads: the sync panel, once a
 * feature registers a `sync` entry above; until then the count is plain text.
 */
export function syncPanelPath(): string | null {
  return NAV_ITEMS.some((item) => item.path === 'sync') ? '/sync' : null;
}
