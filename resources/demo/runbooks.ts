/**
 * The demo fleet's deployment parts (issue 5): runbooks for a minor release
 * (canary first, an intervention point, the smoke test), a hotfix (all at
 * once) and a major release with a data migration (blue-green, gated by the
 * store manager's go before the switch), each with its rollback runbook; feature flags per ring and store; trading hours and
 * freezes for a few stores. generate.ts writes them into catalog.json.
 */
import type { Catalog, CatalogStore, CatalogTerminal } from '../../src/shared/catalog/schema.ts';
import type {
  CatalogFeatureFlag,
  CatalogRunbook,
  RunbookStep,
} from '../../src/shared/deployments/runbook.ts';
import type { StoreWindows, TradingDay } from '../../src/shared/deployments/windows.ts';
import { SMOKE_TEMPLATE_ID } from './checklistTemplates.ts';

function step(id: string, title: string, instructions: string, mandatory = true) {
  return { id, title, instructions, mandatory };
}

const captureVersion = (id: string, after: string): RunbookStep => ({
  kind: 'version_capture',
  ...step(
    id,
    `Record the version on each lane ${after}`,
    'Open Settings → About on the lane and type the version shown, or scan the label on the screen with the camera.',
  ),
});

const smokeTest = (id: string, mandatory = true): RunbookStep => ({
  kind: 'checklist',
  ...step(
    id,
    'Run the smoke test',
    'Run the POS smoke test on the lanes just updated. A failed mandatory item fails this step.',
    mandatory,
  ),
  templateId: SMOKE_TEMPLATE_ID,
});

/** 4.4.0 (minor): one lane first, smoke-tested, then the others. */
export const MINOR_RUNBOOK: CatalogRunbook = {
  id: 'rb-4.4.0',
  releaseId: 'rel-4.4.0',
  title: 'DearPOS 4.4.0: canary lane first',
  strategies: ['canary_first', 'all_at_once'],
  steps: [
    {
      kind: 'instruction',
      ...step(
        'close-lane',
        'Close the lane',
        'Finish the sale in progress, print the X report, and put up the "lane closed" sign.',
      ),
    },
    {
      kind: 'intervention',
      ...step(
        'confirm-ready',
        'Confirm the lane is ready to update',
        'Check Settings → Sync shows 0 sales waiting and the cash drawer is counted. Assign this to yourself: you take responsibility for updating the lane.',
      ),
      role: 'technician',
    },
    {
      kind: 'instruction',
      ...step(
        'install',
        'Install 4.4.0 from the USB key',
        'Insert the DearPOS 4.4.0 USB key, open Settings → Update → From USB and confirm. The lane restarts twice (about 6 minutes).',
      ),
    },
    captureVersion('capture', 'after the update'),
    smokeTest('smoke'),
    {
      kind: 'instruction',
      ...step(
        'reopen',
        'Reopen the lane',
        'Take down the sign and tell the staff the lane is back.',
        false,
      ),
    },
  ],
  rollbackSteps: [
    {
      kind: 'instruction',
      ...step(
        'rb-install',
        'Reinstall the previous release',
        'Insert the USB key of the release the lane ran before, open Settings → Update → From USB → Allow downgrade, and confirm.',
      ),
    },
    captureVersion('rb-capture', 'after the rollback'),
    smokeTest('rb-smoke', false),
  ],
};

/** 4.2.1 (hotfix): every lane at once, a three-minute restart. */
export const HOTFIX_RUNBOOK: CatalogRunbook = {
  id: 'rb-4.2.1',
  releaseId: 'rel-4.2.1',
  title: 'Hotfix 4.2.1: all lanes at once',
  strategies: ['all_at_once'],
  steps: [
    {
      kind: 'instruction',
      ...step(
        'announce',
        'Warn the store',
        'Tell the store manager every lane restarts at once for about 3 minutes. Wait until no sale is in progress.',
      ),
    },
    {
      kind: 'instruction',
      ...step(
        'install',
        'Install the hotfix on every lane',
        'On each lane: Settings → Update → Check now → Install 4.2.1.',
      ),
    },
    captureVersion('capture', 'after the hotfix'),
    smokeTest('smoke'),
  ],
  rollbackSteps: [
    {
      kind: 'instruction',
      ...step(
        'rb-install',
        'Reinstall the previous release',
        'On each lane: Settings → Update → History → Reinstall the previous release.',
      ),
    },
    captureVersion('rb-capture', 'after the rollback'),
  ],
};

/** 5.0.0 (major, data migration): staged on the standby slot while the lanes keep selling, then one switch. */
export const MAJOR_RUNBOOK: CatalogRunbook = {
  id: 'rb-5.0.0',
  releaseId: 'rel-5.0.0',
  title: 'DearPOS 5.0.0: blue-green with data migration',
  strategies: ['blue_green'],
  steps: [
    {
      kind: 'intervention',
      ...step(
        'approve-migration',
        'Store manager approves the migration',
        'Confirm the end-of-day report is printed and no refund of a sale before today is expected during the migration.',
      ),
      role: 'manager',
    },
    {
      kind: 'stage',
      ...step(
        'stage',
        'Stage 5.0.0 on the standby slot',
        'On each lane: Settings → Update → Stage on standby. The lane keeps selling on its current release.',
      ),
    },
    {
      kind: 'wait',
      ...step(
        'migrate',
        'Wait for the data migration',
        'The sales database is migrated on the standby slot (15–30 minutes). Do not power the lanes off.',
      ),
      durationMs: 20 * 60_000,
    },
    {
      kind: 'instruction',
      ...step(
        'check-migration',
        'Check the migration finished',
        'Settings → Update → Standby must show "Migration complete" on every lane.',
      ),
    },
    {
      kind: 'decision',
      ...step(
        'store-go',
        "Store manager's go before the switch",
        'The store manager signs GO (or GO with conditions) on the Go / no-go screen, on any console of the store. The switch waits until the latest decision is a go.',
      ),
    },
    {
      kind: 'switch',
      ...step(
        'switch',
        'Switch every lane to 5.0.0',
        'Settings → Update → Switch slots on each lane. It restarts in under a minute; the old slot is kept for an instant switch back.',
      ),
    },
    captureVersion('capture', 'after the switch'),
    smokeTest('smoke'),
  ],
  rollbackSteps: [
    {
      kind: 'switch',
      ...step(
        'rb-switch',
        'Switch back to the old slot',
        'Settings → Update → Switch back on each lane: the previous release and its data are still on the old slot.',
      ),
    },
    captureVersion('rb-capture', 'after switching back'),
  ],
};

export const DEMO_RUNBOOKS: CatalogRunbook[] = [MINOR_RUNBOOK, HOTFIX_RUNBOOK, MAJOR_RUNBOOK];

export const DEMO_FEATURE_FLAGS: CatalogFeatureFlag[] = [
  {
    releaseId: 'rel-4.4.0',
    key: 'assist-mode',
    description: 'Staff can take over a self-checkout lane from any terminal.',
    defaultValue: false,
    byRing: { lab: true, pilot: true },
    // Lyon asked to wait: its self-checkout lanes are being replaced.
    byStore: { 'st-lyo-01': false },
  },
  {
    releaseId: 'rel-4.4.0',
    key: 'offline-price-updates',
    description: 'Price updates are applied offline from the last catalog the lane received.',
    defaultValue: true,
    byRing: {},
    byStore: {},
  },
  {
    releaseId: 'rel-5.0.0',
    key: 'tap-to-pay',
    description: 'Customers can pay by tapping a phone on the lane.',
    defaultValue: false,
    byRing: { lab: true },
    byStore: { 'st-nyc-01': false },
  },
  {
    releaseId: 'rel-5.0.0',
    key: 'deferred-authorisation',
    description: 'Card payments are authorised later when the payment provider is down.',
    defaultValue: true,
    byRing: { lab: true },
    byStore: {},
  },
];

const day = (open: string, close: string): TradingDay => ({ open, close });
const week = (
  weekday: TradingDay | null,
  saturday: TradingDay | null,
  sunday: TradingDay | null,
): StoreWindows['tradingHours'] => ({
  mon: weekday,
  tue: weekday,
  wed: weekday,
  thu: weekday,
  fri: weekday,
  sat: saturday,
  sun: sunday,
});

/**
 * Trading hours and freezes for a few stores. Lille Euralille (below) has
 * none on purpose: the deployment end-to-end test runs there at any hour;
 * Paris Rivoli shows the windows at work.
 */
export const DEMO_STORE_WINDOWS: StoreWindows[] = [
  {
    storeId: 'st-par-01',
    tradingHours: week(day('08:30', '21:00'), day('09:00', '21:00'), day('10:00', '19:00')),
    freezes: [{ name: 'Christmas trading', from: '2026-12-14T00:00', to: '2027-01-04T06:00' }],
  },
  {
    storeId: 'st-lon-01',
    tradingHours: week(day('08:00', '22:00'), day('08:00', '22:00'), day('11:30', '18:00')),
    freezes: [{ name: 'Boxing Day sale', from: '2026-12-24T00:00', to: '2026-12-29T06:00' }],
  },
  {
    storeId: 'st-tyo-01',
    // Shibuya trades past midnight: closing at 02:00 the next day.
    tradingHours: week(day('10:00', '02:00'), day('10:00', '02:00'), day('10:00', '23:00')),
    freezes: [{ name: 'New Year sales', from: '2026-12-28T00:00', to: '2027-01-05T06:00' }],
  },
  {
    storeId: 'st-syd-01',
    tradingHours: week(day('09:00', '21:00'), day('09:00', '18:00'), day('10:00', '17:00')),
    freezes: [{ name: 'Boxing Day sale', from: '2026-12-24T00:00', to: '2026-12-28T06:00' }],
  },
];

/**
 * The store of the deployment end-to-end test (issue 5): exactly 4 lanes, all
 * on 4.2.1, in the pilot ring that 4.4.0 has reached, with no trading hours
 * or freezes, so the demo minor release can go canary-first at any hour.
 */
export const DEPLOYMENT_DEMO_STORE: CatalogStore = {
  id: 'st-lil-01',
  name: 'Lille Euralille',
  region: 'Europe',
  ring: 'pilot',
  timezone: 'Europe/Paris',
  country: 'FR',
};

export const DEPLOYMENT_DEMO_TERMINALS: CatalogTerminal[] = [
  'Verifone V400c',
  'Ingenico Lane/3000',
  'Elo I-Series 4',
  'Verifone V400c',
].map((model, i) => ({
  id: `st-lil-01-t${i + 1}`,
  storeId: 'st-lil-01',
  name: `Lane ${i + 1}`,
  model,
  serial: `DP-LIL-${200_101 + i * 7}`,
  installed: { releaseId: 'rel-4.2.1', since: '2026-02-16T05:15:00Z' },
  lastSeen: '2026-03-06T18:40:00Z',
}));

/** The parts generate.ts adds to the demo catalog: the test store, runbooks, flags, windows. */
export function demoDeploymentCatalogParts(
  fleet: Pick<Catalog, 'stores' | 'terminals'>,
): Pick<Catalog, 'stores' | 'terminals' | 'runbooks' | 'featureFlags' | 'storeWindows'> {
  return {
    stores: [...fleet.stores, DEPLOYMENT_DEMO_STORE],
    terminals: [...fleet.terminals, ...DEPLOYMENT_DEMO_TERMINALS],
    runbooks: DEMO_RUNBOOKS,
    featureFlags: DEMO_FEATURE_FLAGS,
    storeWindows: DEMO_STORE_WINDOWS,
  };
}
