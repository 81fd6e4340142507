/**
 * The demo fleet: about two dozen stores in four regions and four rings,
 * several time zones, 3–6 terminals each, ten releases of every type and
 * status with realistic Markdown notes, ring targets that leave some
 * terminals drifting, and one user per role. `resources/demo/generate.ts`
 * writes it to resources/demo/catalog.json; the PINs are in
 * resources/demo/README.md. Deterministic: the same file every run.
 */
import { createHash } from 'node:crypto';
import type {
  Catalog,
  CatalogRelease,
  CatalogStore,
  CatalogTerminal,
  CatalogUser,
} from '../../shared/catalog/schema.ts';
import { DEMO_USERS } from '../../shared/demo/demoUsers.ts';
import { hashPinSync } from '../session/pin.ts';
import { seededRandom } from '../../shared/random.ts';

// The demo users live in shared code: the sign-in screen shows them on the demo fleet.
export { DEMO_USERS };

const STORES: CatalogStore[] = [
  {
    id: 'st-par-01',
    name: 'Paris Rivoli',
    region: 'Europe',
    ring: 'lab',
    timezone: 'Europe/Paris',
    country: 'FR',
  },
  {
    id: 'st-lyo-01',
    name: 'Lyon Part-Dieu',
    region: 'Europe',
    ring: 'pilot',
    timezone: 'Europe/Paris',
    country: 'FR',
  },
  {
    id: 'st-lon-01',
    name: 'London Oxford Street',
    region: 'Europe',
    ring: 'pilot',
    timezone: 'Europe/London',
    country: 'GB',
  },
  {
    id: 'st-man-01',
    name: 'Manchester Arndale',
    region: 'Europe',
    ring: 'early',
    timezone: 'Europe/London',
    country: 'GB',
  },
  {
    id: 'st-ber-01',
    name: 'Berlin Alexanderplatz',
    region: 'Europe',
    ring: 'early',
    timezone: 'Europe/Berlin',
    country: 'DE',
  },
  {
    id: 'st-mad-01',
    name: 'Madrid Gran Vía',
    region: 'Europe',
    ring: 'general',
    timezone: 'Europe/Madrid',
    country: 'ES',
  },
  {
    id: 'st-nyc-01',
    name: 'New York Herald Square',
    region: 'North America',
    ring: 'lab',
    timezone: 'America/New_York',
    country: 'US',
  },
  {
    id: 'st-bos-01',
    name: 'Boston Downtown Crossing',
    region: 'North America',
    ring: 'pilot',
    timezone: 'America/New_York',
    country: 'US',
  },
  {
    id: 'st-chi-01',
    name: 'Chicago State Street',
    region: 'North America',
    ring: 'early',
    timezone: 'America/Chicago',
    country: 'US',
  },
  {
    id: 'st-den-01',
    name: 'Denver Union Station',
    region: 'North America',
    ring: 'general',
    timezone: 'America/Denver',
    country: 'US',
  },
  {
    id: 'st-sfo-01',
    name: 'San Francisco Market St',
    region: 'North America',
    ring: 'general',
    timezone: 'America/Los_Angeles',
    country: 'US',
  },
  {
    id: 'st-sea-01',
    name: 'Seattle Pike Place',
    region: 'North America',
    ring: 'general',
    timezone: 'America/Los_Angeles',
    country: 'US',
  },
  {
    id: 'st-tyo-01',
    name: 'Tokyo Shibuya',
    region: 'Asia Pacific',
    ring: 'pilot',
    timezone: 'Asia/Tokyo',
    country: 'JP',
  },
  {
    id: 'st-osa-01',
    name: 'Osaka Umeda',
    region: 'Asia Pacific',
    ring: 'early',
    timezone: 'Asia/Tokyo',
    country: 'JP',
  },
  {
    id: 'st-sin-01',
    name: 'Singapore Orchard',
    region: 'Asia Pacific',
    ring: 'general',
    timezone: 'Asia/Singapore',
    country: 'SG',
  },
  {
    id: 'st-syd-01',
    name: 'Sydney Pitt Street',
    region: 'Asia Pacific',
    ring: 'early',
    timezone: 'Australia/Sydney',
    country: 'AU',
  },
  {
    id: 'st-mel-01',
    name: 'Melbourne Bourke Street',
    region: 'Asia Pacific',
    ring: 'general',
    timezone: 'Australia/Melbourne',
    country: 'AU',
  },
  {
    id: 'st-akl-01',
    name: 'Auckland Queen Street',
    region: 'Asia Pacific',
    ring: 'general',
    timezone: 'Pacific/Auckland',
    country: 'NZ',
  },
  {
    id: 'st-sao-01',
    name: 'São Paulo Paulista',
    region: 'Latin America',
    ring: 'pilot',
    timezone: 'America/Sao_Paulo',
    country: 'BR',
  },
  {
    id: 'st-rio-01',
    name: 'Rio de Janeiro Centro',
    region: 'Latin America',
    ring: 'general',
    timezone: 'America/Sao_Paulo',
    country: 'BR',
  },
  {
    id: 'st-mex-01',
    name: 'Mexico City Reforma',
    region: 'Latin America',
    ring: 'early',
    timezone: 'America/Mexico_City',
    country: 'MX',
  },
  {
    id: 'st-bog-01',
    name: 'Bogotá Andino',
    region: 'Latin America',
    ring: 'general',
    timezone: 'America/Bogota',
    country: 'CO',
  },
  {
    id: 'st-lim-01',
    name: 'Lima Miraflores',
    region: 'Latin America',
    ring: 'general',
    timezone: 'America/Lima',
    country: 'PE',
  },
  {
    id: 'st-scl-01',
    name: 'Santiago Costanera',
    region: 'Latin America',
    ring: 'general',
    timezone: 'America/Santiago',
    country: 'CL',
  },
];

const MODELS = ['Verifone V400c', 'Ingenico Lane/3000', 'Elo I-Series 4', 'PAX A920 Pro'] as const;

const RELEASES: CatalogRelease[] = [
  {
    id: 'rel-4.0.0',
    version: '4.0.0',
    type: 'major',
    ring: 'general',
    status: 'general',
    plannedAt: '2025-09-01T06:00:00Z',
    actualAt: '2025-09-08T06:00:00Z',
    title: 'DearPOS 4: new checkout engine',
    notesMarkdown: `## DearPOS 4.0

The checkout engine is rewritten for faster lanes and offline card payments.

### What changes for stores

- **New tender screen**: cash, card and gift card on one screen.
- Offline card payments are queued and sent when the network returns (up to 250 per lane).
- End-of-day report now prints per lane and per store.

### Before you update

1. Close the till and print the end-of-day report.
2. Make sure every lane has finished syncing sales.
3. Allow **20 minutes per lane**: the local sales database is migrated.

| Model | Minimum firmware | Migration time |
| --- | --- | --- |
| Verifone V400c | 3.2 | 8 min |
| Ingenico Lane/3000 | 11.4 | 12 min |
| Elo I-Series 4 | 2.0 | 6 min |
`,
  },
  {
    id: 'rel-4.0.1',
    version: '4.0.1',
    type: 'patch',
    ring: 'general',
    status: 'general',
    plannedAt: '2025-09-22T06:00:00Z',
    actualAt: '2025-09-23T06:00:00Z',
    title: 'Receipt and refund fixes',
    notesMarkdown: `## 4.0.1

### Fixed

- Refunds of split-tender sales now return each tender to its own method.
- Receipts no longer cut the last line of the loyalty balance on 58 mm paper.
`,
  },
  {
    id: 'rel-4.1.0',
    version: '4.1.0',
    type: 'minor',
    ring: 'general',
    status: 'general',
    plannedAt: '2025-10-20T06:00:00Z',
    actualAt: '2025-10-21T06:00:00Z',
    title: 'Loyalty lookup by phone',
    notesMarkdown: `## 4.1.0

### New

- Look up a loyalty member by phone number from the tender screen.
- Price check mode: scan an item to see its price without starting a sale.

### Changed

- The cash drawer opens only after the receipt has printed.
`,
  },
  {
    id: 'rel-4.1.1',
    version: '4.1.1',
    type: 'hotfix',
    ring: 'general',
    status: 'general',
    plannedAt: null,
    actualAt: '2025-10-24T14:30:00Z',
    title: 'Hotfix: card reader reconnect',
    notesMarkdown: `## 4.1.1 (hotfix)

- Fixes card readers that stayed disconnected after a lane restart (Ingenico Lane/3000 only).

> Apply the same day: lanes affected cannot take card payments after a restart.
`,
  },
  {
    id: 'rel-4.2.0',
    version: '4.2.0',
    type: 'minor',
    ring: 'general',
    status: 'general',
    plannedAt: '2025-12-01T06:00:00Z',
    actualAt: '2025-12-02T06:00:00Z',
    title: 'Faster end of day',
    notesMarkdown: `## 4.2.0

### New

- End-of-day closes in under a minute on stores with up to 8 lanes.
- Gift card balance shown on the receipt.

### Known issues

- The gift card balance is not shown for cards issued before 2021.
`,
  },
  {
    id: 'rel-4.2.1',
    version: '4.2.1',
    type: 'hotfix',
    ring: 'early',
    status: 'rolling_out',
    plannedAt: '2026-01-12T06:00:00Z',
    actualAt: '2026-01-13T06:00:00Z',
    title: 'Hotfix: VAT rounding on multi-buy offers',
    notesMarkdown: `## 4.2.1 (hotfix)

- VAT on "3 for 2" offers is rounded per line again, as tax authorities require.
- Receipts reprinted from the journal show the corrected VAT.
`,
  },
  {
    id: 'rel-4.3.0',
    version: '4.3.0',
    type: 'minor',
    ring: 'pilot',
    status: 'paused',
    plannedAt: '2026-02-02T06:00:00Z',
    actualAt: '2026-02-03T06:00:00Z',
    title: 'Self-checkout assist (paused)',
    notesMarkdown: `## 4.3.0

Rollout **paused** on 5 February: some Elo I-Series 4 lanes froze when switching to assist mode.

### New

- Assist mode: a staff member can take over a self-checkout lane from any terminal.
- Weighed items show the scale reading on the customer display.
`,
  },
  {
    id: 'rel-4.3.1',
    version: '4.3.1',
    type: 'patch',
    ring: 'lab',
    status: 'withdrawn',
    plannedAt: '2026-02-10T06:00:00Z',
    actualAt: null,
    title: 'Withdrawn: assist mode fix attempt',
    notesMarkdown: `## 4.3.1 (withdrawn)

This build was withdrawn before reaching any store. Do not install it.

<script>alert('release notes must never run scripts')</script>

<img src="x" onerror="alert('nor event handlers')">

If you see a pop-up when reading this note, report it to support at once.
`,
  },
  {
    id: 'rel-4.4.0',
    version: '4.4.0',
    type: 'minor',
    ring: 'pilot',
    status: 'rolling_out',
    plannedAt: '2026-03-02T06:00:00Z',
    actualAt: '2026-03-03T06:00:00Z',
    title: 'Assist mode, fixed; offline price updates',
    notesMarkdown: `## 4.4.0

### New

- Assist mode returns, with the Elo I-Series 4 freeze fixed.
- Price updates are applied offline from the last catalog the lane received.

### Upgrade steps

1. Update the canary lane first and run the smoke test.
2. Update the remaining lanes one at a time.
3. Check **Settings → About** shows 4.4.0 on every lane.
`,
  },
  {
    id: 'rel-5.0.0',
    version: '5.0.0',
    type: 'major',
    ring: 'lab',
    status: 'planned',
    plannedAt: '2026-05-04T06:00:00Z',
    actualAt: null,
    title: 'DearPOS 5: new payments platform',
    notesMarkdown: `## DearPOS 5.0 (planned)

### Highlights

- New payments platform with tap-to-pay on phones.
- Lanes keep working through a payment provider outage (deferred authorisation).

### Breaking changes

- Verifone V400c firmware 3.2 is no longer supported: update to 4.0 first.

| Step | Who | Time |
| --- | --- | --- |
| Firmware check | Technician | 5 min |
| Data migration | Automatic | 15–30 min |
| Smoke test | Technician | 10 min |
| UAT and go / no-go | Store manager | 30 min |
`,
  },
];

const RING_TARGETS: Catalog['ringTargets'] = [
  { ring: 'lab', releaseId: 'rel-5.0.0' },
  { ring: 'pilot', releaseId: 'rel-4.4.0' },
  { ring: 'early', releaseId: 'rel-4.2.1' },
  { ring: 'general', releaseId: 'rel-4.2.0' },
];

/** The releases a store of each ring may plausibly still run, newest last. */
const PLAUSIBLE: Record<CatalogStore['ring'], string[]> = {
  lab: ['rel-4.2.1', 'rel-4.4.0', 'rel-5.0.0'],
  pilot: ['rel-4.2.0', 'rel-4.2.1', 'rel-4.3.0', 'rel-4.4.0'],
  early: ['rel-4.1.1', 'rel-4.2.0', 'rel-4.2.1'],
  general: ['rel-4.0.1', 'rel-4.1.0', 'rel-4.1.1', 'rel-4.2.0'],
};

function demoTerminals(): CatalogTerminal[] {
  const random = seededRandom(20260105);
  const terminals: CatalogTerminal[] = [];
  let serial = 100_000;
  for (const store of STORES) {
    const count = 3 + Math.floor(random() * 4);
    const target = RING_TARGETS.find((t) => t.ring === store.ring)!.releaseId;
    const options = PLAUSIBLE[store.ring];
    for (let i = 1; i <= count; i++) {
      const roll = random();
      // About two in three terminals run their ring's target; the rest drift behind, and a few were never observed.
      const releaseId =
        roll < 0.66 ? target : roll < 0.95 ? options[Math.floor(random() * options.length)]! : null;
      const day = 1 + Math.floor(random() * 27);
      const since = `2026-02-${String(day).padStart(2, '0')}T0${Math.floor(random() * 9)}:15:00Z`;
      const lastSeen = `2026-03-${String(1 + Math.floor(random() * 9)).padStart(2, '0')}T1${Math.floor(random() * 9)}:40:00Z`;
      serial += 1 + Math.floor(random() * 50);
      terminals.push({
        id: `${store.id}-t${i}`,
        storeId: store.id,
        name: `Lane ${i}`,
        model: MODELS[Math.floor(random() * MODELS.length)]!,
        serial: `DP-${store.id.slice(3, 6).toUpperCase()}-${serial}`,
        installed: releaseId === null ? null : { releaseId, since },
        lastSeen: releaseId === null ? null : lastSeen,
      });
    }
  }
  return terminals;
}

/** Salt derived from the user id so the generated file does not change between runs. */
function demoSalt(userId: string): Buffer {
  return createHash('sha256').update(`dearpos-demo:${userId}`).digest().subarray(0, 16);
}

function demoUsers(): CatalogUser[] {
  return DEMO_USERS.map((u) => ({
    id: u.id,
    name: u.name,
    role: u.role,
    pinHash: hashPinSync(u.pin, demoSalt(u.id)),
    storeIds: u.storeIds,
  }));
}

export function buildDemoCatalog(): Catalog {
  return {
    version: 1,
    stores: STORES,
    terminals: demoTerminals(),
    releases: RELEASES,
    ringTargets: RING_TARGETS,
    users: demoUsers(),
    // The demo PINs (1111 …) are public and short on purpose; a real catalog gets 6 digits or more.
    pinPolicy: { minDigits: 4, isDemo: true },
  };
}
