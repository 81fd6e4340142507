/**
 * `--demo`: loads the demo catalog (resources/demo/catalog.json) and, on an
 * empty log, a short history from two demo devices — real keys, real chains,
 * pushed through the real HTTP ingest path — then issues an enrollment code
 * for one demo store and an auditor token.
 */
import { publishRisk, publishStoreNotes } from './risks/service.ts';
import { readFileSync } from 'node:fs';
import { catalog as catalogSchema, type Catalog } from '../shared/catalog/schema.ts';
import type { CentralServer } from './app.ts';
import { issueEnrollmentCode } from './auth/enroll.ts';
import { issueToken } from './auth/tokens.ts';
import {
  importFleet,
  publishRelease,
  putUsers,
  setPinPolicy,
  setRingTarget,
} from './catalog/service.ts';
import { publishChecklistTemplate, setChecklistRequirement } from './catalog/checklists.ts';
import { publishFeatureFlag, publishRunbook, setStoreWindows } from './catalog/deployments.ts';
import { ServerError } from './errors.ts';
import { SERVER_DEVICE_ID } from '../shared/audit/serverEntry.ts';
import { runAdminAction, type AdminActedBy } from './admins/actions.ts';
import { issueAdminToken } from './admins/service.ts';
import { createSimDevice } from './sync/simDevice.ts';

const DEMO_CATALOG_URL = new URL('../../resources/demo/catalog.json', import.meta.url);
const DEMO_EVENTS_PER_DEVICE = 150;
/** The demo history comes from one device in each of the first stores of the catalog. */
const DEMO_DEVICE_COUNT = 2;

export function readDemoCatalog(): Catalog {
  return catalogSchema.parse(JSON.parse(readFileSync(DEMO_CATALOG_URL, 'utf8')));
}

/** The demo catalog's administrator: the demo acts, and prints an admin token, as them. */
const DEMO_ADMIN_ID = 'u-ada';

/** Loads a whole catalog as one central action of `actedBy` (one entry in the log, one transaction). */
export async function loadCatalog(
  server: CentralServer,
  catalog: Catalog,
  actedBy: AdminActedBy,
): Promise<void> {
  const now = server.now();
  await runAdminAction(
    server.store.db,
    server.key,
    {
      actedBy,
      type: 'admin.fleet.imported',
      at: now,
      payload: {
        catalog: true,
        stores: catalog.stores.length,
        terminals: catalog.terminals.length,
        releases: catalog.releases.length,
        users: catalog.users.length,
      },
    },
    (db) => writeCatalog(db, catalog, now),
  );
  await server.store.durable();
}

async function writeCatalog(db: CentralServer['store']['db'], catalog: Catalog, now: Date) {
  await importFleet(db, { stores: catalog.stores, terminals: catalog.terminals }, now);
  for (const r of catalog.releases) await publishRelease(db, r, now);
  for (const t of catalog.ringTargets) await setRingTarget(db, t, now);
  // The demo's public 4-digit PINs are allowed only because its catalog says it is a demo.
  if (catalog.pinPolicy) await setPinPolicy(db, catalog.pinPolicy, now);
  await putUsers(db, catalog.users, now);
  for (const t of catalog.checklistTemplates ?? []) await publishChecklistTemplate(db, t, now);
  for (const r of catalog.checklistRequirements ?? []) await setChecklistRequirement(db, r, now);
  for (const r of catalog.runbooks ?? []) await publishRunbook(db, r, now);
  for (const f of catalog.featureFlags ?? []) await publishFeatureFlag(db, f, now);
  for (const w of catalog.storeWindows ?? []) await setStoreWindows(db, w, now);
  for (const r of catalog.releaseRisks ?? []) await publishRisk(db, r, now);
  for (const n of catalog.storeNotes ?? []) await publishStoreNotes(db, n, now);
}

async function post(url: string, path: string, body: unknown, token?: string): Promise<unknown> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new ServerError('internal', `demo ${path} failed: ${JSON.stringify(json)}`);
  return json;
}

/** Pushes the demo history through `baseUrl` (the running server). */
async function pushDemoHistory(
  server: CentralServer,
  baseUrl: string,
  catalog: Catalog,
): Promise<number> {
  const { db } = server.store;
  const stores = catalog.stores.slice(0, DEMO_DEVICE_COUNT);
  const technician = catalog.users.find((u) => u.role === 'technician') ?? catalog.users[0]!;
  const manager = catalog.users.find((u) => u.role === 'manager') ?? technician;
  const releases = catalog.releases;
  let pushed = 0;
  for (const [n, store] of stores.entries()) {
    const device = createSimDevice(store.id, { deviceId: `demo-device-${n + 1}` });
    const { code } = await issueEnrollmentCode(db, store.id, { ttlMinutes: 10, now: server.now() });
    const enrolled = (await post(baseUrl, '/v1/enroll', {
      code,
      deviceId: device.deviceId,
      publicKey: device.publicKey,
      name: `Demo console ${n + 1}`,
    })) as {
      deviceToken: string;
    };
    const terminals = catalog.terminals.filter((t) => t.storeId === store.id);
    const start = server.now().getTime() - 30 * 24 * 3600_000;
    const installed = new Map(terminals.map((t) => [t.id, t.installed?.releaseId ?? null]));
    for (let i = 0; i < DEMO_EVENTS_PER_DEVICE; i++) {
      const at = new Date(start + i * 4 * 3600_000);
      const user = i % 5 === 0 ? manager : technician;
      if (i % 25 === 0) {
        device.record(
          'session.signed_in',
          { userId: user.id },
          { actor: { userId: user.id, role: user.role }, at },
        );
        continue;
      }
      const terminal = terminals[i % Math.max(1, terminals.length)];
      const release = releases[i % releases.length]!;
      if (!terminal) break;
      const previous = installed.get(terminal.id);
      const previousVersion = previous
        ? (releases.find((r) => r.id === previous)?.version ?? null)
        : null;
      device.record(
        'fleet.version.recorded',
        {
          terminalId: terminal.id,
          version: release.version,
          releaseId: release.id,
          previousVersion,
          source: i % 3 === 0 ? 'scanned' : 'typed',
        },
        {
          actor: { userId: user.id, role: user.role === 'manager' ? 'manager' : 'technician' },
          at,
        },
      );
      installed.set(terminal.id, release.id);
    }
    for (let from = 1; from <= device.events.length; from += 50) {
      const to = Math.min(device.events.length, from + 49);
      await post(baseUrl, '/v1/events', device.pushBody(from, to), enrolled.deviceToken);
    }
    pushed += device.events.length;
  }
  return pushed;
}

export type DemoResult = {
  enrollmentCode: string;
  storeId: string;
  storeName: string;
  auditorToken: string;
  /** For trying the admin HTTP API against the demo: the demo catalog's administrator's own token. */
  adminToken: string;
  adminId: string;
  adminName: string;
  eventsPushed: number;
  /** Devices whose history was pushed (0 when the log already held events). */
  devicesPushed: number;
};

export async function runDemo(server: CentralServer, baseUrl: string): Promise<DemoResult> {
  const catalog = readDemoCatalog();
  const admin = catalog.users.find((u) => u.id === DEMO_ADMIN_ID && u.role === 'admin');
  if (!admin)
    throw new ServerError('internal', `The demo catalog has no administrator ${DEMO_ADMIN_ID}.`);
  const actedBy: AdminActedBy = { adminId: admin.id, role: 'admin', via: 'cli' };
  await loadCatalog(server, catalog, actedBy);
  const { db } = server.store;
  // The history goes in once: on a log that holds no device's events yet (the catalog's own entries aside).
  const deviceEvent = await db
    .selectFrom('log_entries')
    .select('idx')
    .where('device_id', '!=', SERVER_DEVICE_ID)
    .limit(1)
    .executeTakeFirst();
  const eventsPushed =
    deviceEvent === undefined ? await pushDemoHistory(server, baseUrl, catalog) : 0;
  const store = catalog.stores[0]!;
  const storeId = store.id;
  const { code } = await issueEnrollmentCode(db, storeId, { now: server.now() });
  const auditorToken = await issueToken(db, 'auditor', {
    label: 'demo auditor',
    now: server.now(),
  });
  const { token: adminToken } = await issueAdminToken(
    db,
    server.key,
    actedBy,
    { userId: admin.id, label: 'demo admin' },
    server.now(),
  );
  return {
    enrollmentCode: code,
    storeId,
    storeName: store.name,
    auditorToken,
    adminToken,
    adminId: admin.id,
    adminName: admin.name,
    eventsPushed,
    devicesPushed: eventsPushed > 0 ? Math.min(DEMO_DEVICE_COUNT, catalog.stores.length) : 0,
  };
}
