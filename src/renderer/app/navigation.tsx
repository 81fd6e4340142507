/**
 * The features in the navigation, in order. A feature adds one entry and its
 * routes here (issues 4 and 5 add checklists and deployments; the sync
 * engineer adds the sync panel from src/renderer/features/sync/). Every entry
 * must be a real screen: no placeholders.
 *
 * Start-up budget (web.fleetReady50k, ≤ 1.5 s to a usable fleet screen):
 * every screen except the fleet is a lazy route, so its code (and its
 * libraries: Markdown, signature pads…) is neither downloaded nor evaluated
 * when the console opens on the fleet. For a new screen:
 *   const MyScreen = lazy(() => import('../features/my/MyScreen.tsx').then((m) => ({ default: m.MyScreen })));
 * then `{ path: 'my', element: <MyScreen /> }` in its entry below; Shell wraps
 * the outlet in <Suspense>. Import from a feature here only what the
 * navigation itself needs (test ids, icons), never its screens or hooks
 * statically. The fleet's own start-up calls are in app/startupCalls.ts.
 */
import { lazy, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import {
  IconBuildingStore,
  IconChecklist,
  IconCloudUpload,
  IconFilePencil,
  IconGavel,
  IconHistory,
  IconMessageReport,
  IconHeartbeat,
  IconRocket,
  IconShieldCheck,
  IconTags,
  IconLifebuoy,
  IconWorld,
  IconChartBar,
} from '@tabler/icons-react';
import { AUDIT_TEST_IDS } from '../features/audit/testIds.ts';
import { CHANGE_REQUEST_TEST_IDS } from '../features/changeRequests/testIds.ts';
import { CHECKLIST_TEST_IDS } from '../features/checklists/testIds.ts';
import { FEEDBACK_TEST_IDS } from '../features/feedback/testIds.ts';
import { DECISION_TEST_IDS } from '../features/decisions/testIds.ts';
import { DEPLOYMENT_TEST_IDS } from '../features/deployments/testIds.ts';
import { FleetScreen } from '../features/fleet/FleetScreen.tsx';
import { DESK_TEST_IDS } from '../features/desk/testIds.ts';
import { SUPPORT_DESK_TEST_IDS } from '../features/supportDesk/testIds.ts';
import { HEALTH_TEST_IDS } from '../features/health/testIds.ts';
import { RELEASE_DESK_TEST_IDS } from '../features/releaseDesk/testIds.ts';
import { SYNC_TEST_IDS } from '../features/sync/testIds.ts';
import { REVISION_TEST_IDS } from '../features/revisions/testIds.ts';
import { t } from '../i18n/index.ts';
import { TEST_IDS } from '../testIds.ts';

// The fleet is the landing screen and loads with the app; other screens load
// on first visit, so the first paint does not wait for Markdown parsers etc.
const ReleasesScreen = lazy(() =>
  import('../features/releases/ReleasesScreen.tsx').then((m) => ({ default: m.ReleasesScreen })),
);
const SyncPanel = lazy(() =>
  import('../features/sync/SyncPanel.tsx').then((m) => ({ default: m.SyncPanel })),
);
const ChecklistsScreen = lazy(() =>
  import('../features/checklists/ChecklistsScreen.tsx').then((m) => ({
    default: m.ChecklistsScreen,
  })),
);
const RunScreen = lazy(() =>
  import('../features/checklists/RunScreen.tsx').then((m) => ({ default: m.RunScreen })),
);
const DecisionsScreen = lazy(() =>
  import('../features/decisions/DecisionsScreen.tsx').then((m) => ({ default: m.DecisionsScreen })),
);
const OurReportsScreen = lazy(() =>
  import('../features/feedback/OurReportsScreen.tsx').then((m) => ({
    default: m.OurReportsScreen,
  })),
);
const ChangeRequestsScreen = lazy(() =>
  import('../features/changeRequests/ChangeRequestsScreen.tsx').then((m) => ({
    default: m.ChangeRequestsScreen,
  })),
);
const DeploymentsScreen = lazy(() =>
  import('../features/deployments/DeploymentsScreen.tsx').then((m) => ({
    default: m.DeploymentsScreen,
  })),
);
const DeploymentScreen = lazy(() =>
  import('../features/deployments/DeploymentScreen.tsx').then((m) => ({
    default: m.DeploymentScreen,
  })),
);
const DeskStoresScreen = lazy(() =>
  import('../features/desk/StoresScreen.tsx').then((m) => ({ default: m.StoresScreen })),
);
const SupportDeskScreen = lazy(() =>
  import('../features/supportDesk/SupportDeskScreen.tsx').then((m) => ({
    default: m.SupportDeskScreen,
  })),
);
const KpiScreen = lazy(() =>
  import('../features/health/KpiScreen.tsx').then((m) => ({ default: m.KpiScreen })),
);
const ReleaseHealthScreen = lazy(() =>
  import('../features/health/ReleaseHealthScreen.tsx').then((m) => ({
    default: m.ReleaseHealthScreen,
  })),
);
const ReleaseProgressionScreen = lazy(() =>
  import('../features/releaseDesk/ProgressionScreen.tsx').then((m) => ({
    default: m.ProgressionScreen,
  })),
);
const ReleaseCalendarScreen = lazy(() =>
  import('../features/releaseDesk/CalendarScreen.tsx').then((m) => ({
    default: m.ReleaseCalendarScreen,
  })),
);
const AuditScreen = lazy(() =>
  import('../features/audit/AuditScreen.tsx').then((m) => ({ default: m.AuditScreen })),
);
const RunReportScreen = lazy(() =>
  import('../features/reports/RunReportScreen.tsx').then((m) => ({ default: m.RunReportScreen })),
);
const ComplianceReportScreen = lazy(() =>
  import('../features/compliance/ComplianceReportScreen.tsx').then((m) => ({
    default: m.ComplianceReportScreen,
  })),
);
const RevisionsScreen = lazy(() =>
  import('../features/revisions/RevisionsScreen.tsx').then((m) => ({
    default: m.RevisionsScreen,
  })),
);
const DecisionReportScreen = lazy(() =>
  import('../features/reports/DecisionReportScreen.tsx').then((m) => ({
    default: m.DecisionReportScreen,
  })),
);

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
    get label() {
      return t('shell:nav.fleet');
    },
    icon: <IconBuildingStore size={18} />,
    testId: TEST_IDS.navFleet,
    routes: [
      { path: 'fleet', element: <FleetScreen /> },
      { path: 'fleet/terminals/:terminalId', element: <FleetScreen /> },
    ],
  },
  {
    path: 'releases',
    get label() {
      return t('shell:nav.releases');
    },
    icon: <IconTags size={18} />,
    testId: TEST_IDS.navReleases,
    routes: [
      { path: 'releases', element: <ReleasesScreen /> },
      { path: 'releases/:releaseId', element: <ReleasesScreen /> },
      { path: 'releases/changelog', element: <ReleasesScreen /> },
      { path: 'releases/stores', element: <ReleasesScreen /> },
      { path: 'releases/stores/:storeId', element: <ReleasesScreen /> },
    ],
  },
  {
    path: 'deployments',
    get label() {
      return t('shell:nav.deployments');
    },
    icon: <IconRocket size={18} />,
    testId: DEPLOYMENT_TEST_IDS.nav,
    routes: [
      { path: 'deployments', element: <DeploymentsScreen /> },
      { path: 'deployments/:deploymentId', element: <DeploymentScreen /> },
    ],
  },
  {
    path: 'checklists',
    get label() {
      return t('shell:nav.checklists');
    },
    icon: <IconChecklist size={18} />,
    testId: CHECKLIST_TEST_IDS.nav,
    routes: [
      { path: 'checklists', element: <ChecklistsScreen /> },
      { path: 'checklists/runs/:runId', element: <RunScreen /> },
    ],
  },
  {
    path: 'decisions',
    get label() {
      return t('shell:nav.decisions');
    },
    icon: <IconGavel size={18} />,
    testId: DECISION_TEST_IDS.nav,
    routes: [{ path: 'decisions', element: <DecisionsScreen /> }],
  },
  {
    path: 'change-requests',
    get label() {
      return t('shell:nav.changeRequests');
    },
    icon: <IconFilePencil size={18} />,
    testId: CHANGE_REQUEST_TEST_IDS.nav,
    routes: [{ path: 'change-requests', element: <ChangeRequestsScreen /> }],
  },
  {
    path: 'our-reports',
    get label() {
      return t('feedback:ours.nav');
    },
    icon: <IconMessageReport size={18} />,
    testId: FEEDBACK_TEST_IDS.nav,
    routes: [{ path: 'our-reports', element: <OurReportsScreen /> }],
  },
  {
    // Desks: the stores of a region or of every store, from the central read models.
    path: 'desk',
    get label() {
      return t('shell:nav.desk');
    },
    icon: <IconWorld size={18} />,
    testId: DESK_TEST_IDS.nav,
    routes: [{ path: 'desk', element: <DeskStoresScreen /> }],
  },
  {
    // The support desk: bug reports and feature requests from the stores in scope.
    path: 'support',
    get label() {
      return t('shell:nav.supportDesk');
    },
    icon: <IconLifebuoy size={18} />,
    testId: SUPPORT_DESK_TEST_IDS.nav,
    routes: [{ path: 'support', element: <SupportDeskScreen /> }],
  },
  {
    // Desks: release KPIs and each release's health, from the central server's aggregates.
    path: 'health',
    get label() {
      return t('shell:nav.health');
    },
    icon: <IconHeartbeat size={18} />,
    testId: HEALTH_TEST_IDS.nav,
    routes: [
      { path: 'health', element: <KpiScreen /> },
      { path: 'health/releases/:releaseId', element: <ReleaseHealthScreen /> },
    ],
  },
  {
    // The release desk: one release across every store of the desk's scope.
    path: 'release-desk',
    get label() {
      return t('shell:nav.releaseDesk');
    },
    icon: <IconChartBar size={18} />,
    testId: RELEASE_DESK_TEST_IDS.nav,
    routes: [
      { path: 'release-desk', element: <ReleaseProgressionScreen /> },
      { path: 'release-desk/calendar', element: <ReleaseCalendarScreen /> },
    ],
  },
  {
    // Runbook and checklist template versions: history, diffs, approvals (a desk approves).
    path: 'revisions',
    get label() {
      return t('shell:nav.revisions');
    },
    icon: <IconHistory size={18} />,
    testId: REVISION_TEST_IDS.nav,
    routes: [
      { path: 'revisions', element: <RevisionsScreen /> },
      { path: 'revisions/:kind/:docId', element: <RevisionsScreen /> },
    ],
  },
  {
    path: 'sync',
    get label() {
      return t('shell:nav.sync');
    },
    icon: <IconCloudUpload size={18} />,
    testId: SYNC_TEST_IDS.nav,
    routes: [{ path: 'sync', element: <SyncPanel /> }],
  },
  {
    path: 'audit',
    get label() {
      return t('shell:nav.audit');
    },
    icon: <IconShieldCheck size={18} />,
    testId: AUDIT_TEST_IDS.nav,
    routes: [{ path: 'audit', element: <AuditScreen /> }],
  },
];

/** Printable pages reached from a screen (run report, decision record), not from the navigation. */
export const REPORT_ROUTES: RouteObject[] = [
  { path: 'reports/runs/:runId', element: <RunReportScreen /> },
  { path: 'reports/decisions/:decisionId', element: <DecisionReportScreen /> },
  { path: 'reports/compliance', element: <ComplianceReportScreen /> },
];

/**
 * Where the status bar's pending-events count leads: the sync panel, once a
 * feature registers a `sync` entry above; until then the count is plain text.
 */
export function syncPanelPath(): string | null {
  return NAV_ITEMS.some((item) => item.path === 'sync') ? '/sync' : null;
}
