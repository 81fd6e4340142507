/**
 * Applies the central server's catalog changes (GET /v1/changes) to the
 * console's catalog tables. It reuses the catalog loader of src/main/fleet
 * (validation of the whole catalog, then the fleet projection rebuilt from the
 * baseline plus the journal), so a pulled catalog obeys exactly the rules of a
 * loaded one: a page that would leave the catalog inconsistent changes nothing.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import { assertNever } from '../../shared/errors.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/open.ts';
import type { CatalogApplier } from './engine.ts';
import { readSyncState } from './state.ts';
import { readPinPolicy } from '../session/pinPolicy.ts';
import { readCatalogUpdatePolicy } from '../updates/catalogPolicy.ts';
import { CONSOLE_UPDATE_POLICY_ID } from '../../shared/updates/policy.ts';

const PIN_POLICY_ID = 'pin-policy';
import { CATALOG_TABLES, hasCatalog, loadCatalog } from '../fleet/catalog.ts';
import { CHECKLIST_CATALOG_TABLES, readChecklistCatalogParts } from '../checklists/catalog.ts';
import { checklistRequirementId } from '../../shared/checklists/template.ts';
import { DEPLOYMENT_CATALOG_TABLES, readDeploymentCatalogParts } from '../deployments/catalog.ts';
import { readReleaseCatalogParts } from '../releases/catalogParts.ts';
import { deploymentWindowId } from '../../shared/releases/catalogParts.ts';
import {
  RELEASE_EXTRAS_CATALOG_TABLES,
  readReleaseExtrasCatalogParts,
} from '../releases/extrasCatalog.ts';
import { COMPLIANCE_CATALOG_TABLES, readComplianceCatalogParts } from '../compliance/catalog.ts';
import {
  RISK_CATALOG_TABLES,
  mergeRiskCatalogChanges,
  readRiskCatalogParts,
  type RiskCatalogChange,
} from '../releases/riskCatalog.ts';
import {
  REVISION_CATALOG_TABLES,
  mergeRevisionCatalogChanges,
  readRevisionCatalogParts,
  type RevisionCatalogChange,
} from '../revisions/catalog.ts';

/** Tables a catalog pull may touch, for the renderer's `db:changed` invalidation. */
export const SYNC_CATALOG_TABLES = [
  ...CATALOG_TABLES,
  'terminal_current',
  'terminal_versions',
  ...CHECKLIST_CATALOG_TABLES,
  ...DEPLOYMENT_CATALOG_TABLES,
  ...RELEASE_EXTRAS_CATALOG_TABLES,
  ...COMPLIANCE_CATALOG_TABLES,
  ...RISK_CATALOG_TABLES,
  ...REVISION_CATALOG_TABLES,
] as const;

const EMPTY: Catalog = {
  version: 1,
  stores: [],
  terminals: [],
  releases: [],
  ringTargets: [],
  users: [],
};

/** The catalog as the console holds it now, in the catalog format. */
function readCatalog(db: Db): Catalog {
  if (!hasCatalog(db)) return structuredClone(EMPTY);
  const q = (sql: string) =>
    db.sqlite.prepare(sql).all() as Array<Record<string, string | number | null>>;
  const text = (v: string | number | null) => String(v);
  const maybe = (v: string | number | null) => (v === null ? null : String(v));
  return {
    version: 1,
    stores: q('SELECT id, name, region, ring, timezone, country FROM stores ORDER BY id').map(
      (r) => ({
        id: text(r.id!),
        name: text(r.name!),
        region: text(r.region!),
        ring: text(r.ring!) as Catalog['stores'][number]['ring'],
        timezone: text(r.timezone!),
        ...(r.country === null || r.country === undefined ? {} : { country: text(r.country) }),
      }),
    ),
    terminals: q(
      'SELECT id, store_id, name, model, serial, installed_release_id, installed_since, last_seen FROM terminals ORDER BY id',
    ).map((r) => ({
      id: text(r.id!),
      storeId: text(r.store_id!),
      name: text(r.name!),
      model: text(r.model!),
      serial: text(r.serial!),
      installed:
        r.installed_release_id !== null && r.installed_since !== null
          ? { releaseId: text(r.installed_release_id!), since: text(r.installed_since!) }
          : null,
      lastSeen: maybe(r.last_seen ?? null),
    })),
    releases: q(
      'SELECT id, version, type, ring, status, planned_at, actual_at, title, notes_markdown FROM releases ORDER BY id',
    ).map((r) => ({
      id: text(r.id!),
      version: text(r.version!),
      type: text(r.type!) as Catalog['releases'][number]['type'],
      ring: text(r.ring!) as Catalog['releases'][number]['ring'],
      status: text(r.status!) as Catalog['releases'][number]['status'],
      plannedAt: maybe(r.planned_at ?? null),
      actualAt: maybe(r.actual_at ?? null),
      title: text(r.title!),
      notesMarkdown: text(r.notes_markdown!),
    })),
    ringTargets: q('SELECT ring, release_id FROM ring_targets ORDER BY ring').map((r) => ({
      ring: text(r.ring!) as Catalog['ringTargets'][number]['ring'],
      releaseId: text(r.release_id!),
    })),
    users: q('SELECT id, name, role, pin_hash, store_ids FROM users ORDER BY id').map((r) => ({
      id: text(r.id!),
      name: text(r.name!),
      role: text(r.role!) as Catalog['users'][number]['role'],
      pinHash: db.sealer.open(text(r.pin_hash!), 'users.pin_hash'),
      storeIds: JSON.parse(text(r.store_ids!)) as string[],
    })),
    ...readChecklistCatalogParts(db),
    ...readDeploymentCatalogParts(db),
    ...pinPolicyPart(db),
    ...updatePolicyPart(db),
    ...readReleaseCatalogParts(db),
    ...readReleaseExtrasCatalogParts(db),
    ...readComplianceCatalogParts(db),
    ...readRiskCatalogParts(db),
    ...readRevisionCatalogParts(db),
  };
}

function updatePolicyPart(db: Db): Pick<Catalog, 'consoleUpdatePolicy'> {
  const consoleUpdatePolicy = readCatalogUpdatePolicy(db);
  return consoleUpdatePolicy ? { consoleUpdatePolicy } : {};
}

function pinPolicyPart(db: Db): Pick<Catalog, 'pinPolicy'> {
  const pinPolicy = readPinPolicy(db);
  return pinPolicy ? { pinPolicy } : {};
}

/** Merges changes into a catalog (pure). Ids are as CATALOG_ENTITIES (shared/sync/protocol.ts) says, e.g. a ring target's is its ring. */
export function mergeCatalogChanges(base: Catalog, changes: readonly CatalogChange[]): Catalog {
  const maps = {
    store: new Map(base.stores.map((x) => [x.id, x])),
    terminal: new Map(base.terminals.map((x) => [x.id, x])),
    release: new Map(base.releases.map((x) => [x.id, x])),
    ringTarget: new Map(base.ringTargets.map((x) => [x.ring as string, x])),
    user: new Map(base.users.map((x) => [x.id, x])),
    checklistTemplate: new Map((base.checklistTemplates ?? []).map((x) => [x.id, x])),
    checklistRequirement: new Map(
      (base.checklistRequirements ?? []).map((x) => [checklistRequirementId(x), x]),
    ),
    runbook: new Map((base.runbooks ?? []).map((x) => [x.releaseId, x])),
    featureFlag: new Map((base.featureFlags ?? []).map((x) => [`${x.releaseId}/${x.key}`, x])),
    storeWindows: new Map((base.storeWindows ?? []).map((x) => [x.storeId, x])),
    pinPolicy: new Map(base.pinPolicy ? [[PIN_POLICY_ID, base.pinPolicy]] : []),
    consoleUpdatePolicy: new Map(
      base.consoleUpdatePolicy ? [[CONSOLE_UPDATE_POLICY_ID, base.consoleUpdatePolicy]] : [],
    ),
    releaseBlock: new Map((base.releaseBlocks ?? []).map((x) => [x.releaseId, x])),
    deploymentWindow: new Map(
      (base.deploymentWindows ?? []).map((x) => [deploymentWindowId(x), x]),
    ),
    testResults: new Map((base.testResults ?? []).map((x) => [x.releaseId, x])),
    checklistAssignment: new Map((base.checklistAssignments ?? []).map((x) => [x.id, x])),
    complianceRule: new Map((base.complianceRules ?? []).map((x) => [x.id, x])),
  };
  // Risks and store notes merge in their own module (src/main/releases/riskCatalog.ts).
  const riskChanges: RiskCatalogChange[] = [];
  // Revisions too (src/main/revisions/catalog.ts).
  const revisionChanges: RevisionCatalogChange[] = [];
  for (const change of changes) {
    if (change.entity === 'documentRevision' || change.entity === 'revisionPolicy') {
      revisionChanges.push(
        change.op === 'delete' ? { entity: change.entity, op: 'delete', id: change.id } : change,
      );
      continue;
    }
    if (change.entity === 'releaseRisk' || change.entity === 'storeNotes') {
      riskChanges.push(
        change.op === 'delete' ? { entity: change.entity, op: 'delete', id: change.id } : change,
      );
      continue;
    }
    if (change.op === 'delete') {
      maps[change.entity].delete(change.id);
      continue;
    }
    switch (change.entity) {
      case 'store':
        maps.store.set(change.value.id, change.value);
        break;
      case 'terminal':
        maps.terminal.set(change.value.id, change.value);
        break;
      case 'release':
        maps.release.set(change.value.id, change.value);
        break;
      case 'ringTarget':
        maps.ringTarget.set(change.value.ring, change.value);
        break;
      case 'user':
        maps.user.set(change.value.id, change.value);
        break;
      case 'checklistTemplate':
        maps.checklistTemplate.set(change.value.id, change.value);
        break;
      case 'checklistRequirement':
        maps.checklistRequirement.set(checklistRequirementId(change.value), change.value);
        break;
      case 'runbook':
        maps.runbook.set(change.value.releaseId, change.value);
        break;
      case 'featureFlag':
        maps.featureFlag.set(`${change.value.releaseId}/${change.value.key}`, change.value);
        break;
      case 'storeWindows':
        maps.storeWindows.set(change.value.storeId, change.value);
        break;
      case 'pinPolicy':
        maps.pinPolicy.set(PIN_POLICY_ID, change.value);
        break;
      case 'consoleUpdatePolicy':
        maps.consoleUpdatePolicy.set(CONSOLE_UPDATE_POLICY_ID, change.value);
        break;
      case 'releaseBlock':
        maps.releaseBlock.set(change.value.releaseId, change.value);
        break;
      case 'deploymentWindow':
        maps.deploymentWindow.set(deploymentWindowId(change.value), change.value);
        break;
      case 'testResults':
        maps.testResults.set(change.value.releaseId, change.value);
        break;
      case 'checklistAssignment':
        maps.checklistAssignment.set(change.value.id, change.value);
        break;
      case 'complianceRule':
        maps.complianceRule.set(change.value.id, change.value);
        break;
      default:
        assertNever(change, 'catalog change');
    }
  }
  return {
    version: 1,
    stores: [...maps.store.values()],
    terminals: [...maps.terminal.values()],
    releases: [...maps.release.values()],
    ringTargets: [...maps.ringTarget.values()],
    users: [...maps.user.values()],
    ...(maps.checklistTemplate.size > 0
      ? { checklistTemplates: [...maps.checklistTemplate.values()] }
      : {}),
    ...(maps.checklistRequirement.size > 0
      ? { checklistRequirements: [...maps.checklistRequirement.values()] }
      : {}),
    ...(maps.runbook.size > 0 ? { runbooks: [...maps.runbook.values()] } : {}),
    ...(maps.featureFlag.size > 0 ? { featureFlags: [...maps.featureFlag.values()] } : {}),
    ...(maps.storeWindows.size > 0 ? { storeWindows: [...maps.storeWindows.values()] } : {}),
    ...(maps.pinPolicy.size > 0 ? { pinPolicy: maps.pinPolicy.get(PIN_POLICY_ID)! } : {}),
    ...(maps.consoleUpdatePolicy.size > 0
      ? { consoleUpdatePolicy: maps.consoleUpdatePolicy.get(CONSOLE_UPDATE_POLICY_ID)! }
      : {}),
    ...(maps.releaseBlock.size > 0 ? { releaseBlocks: [...maps.releaseBlock.values()] } : {}),
    ...(maps.deploymentWindow.size > 0
      ? { deploymentWindows: [...maps.deploymentWindow.values()] }
      : {}),
    ...(maps.testResults.size > 0 ? { testResults: [...maps.testResults.values()] } : {}),
    ...(maps.checklistAssignment.size > 0
      ? { checklistAssignments: [...maps.checklistAssignment.values()] }
      : {}),
    ...(maps.complianceRule.size > 0 ? { complianceRules: [...maps.complianceRule.values()] } : {}),
    ...mergeRiskCatalogChanges(base, riskChanges),
    ...mergeRevisionCatalogChanges(base, revisionChanges),
  };
}

/**
 * A store's console keeps only the users of its store: those who work there
 * and regional staff (storeIds empty), never an administrator without stores.
 * The server sends no others; this also drops any an older server sent.
 */
export function usersInScope(catalog: Catalog, storeId: string | null): Catalog {
  if (storeId === null) return catalog;
  return {
    ...catalog,
    users: catalog.users.filter((u) =>
      u.storeIds.length === 0 ? u.role !== 'admin' : u.storeIds.includes(storeId),
    ),
  };
}

/**
 * The engine's CatalogApplier. The first page from a server (no cursor yet)
 * starts from an empty catalog, so a demo fleet loaded before enrollment is
 * replaced by the server's catalog rather than mixed with it. An empty page
 * changes nothing (a server without a catalog never wipes the users one signs in with).
 */
export function createCatalogApplier(options: { now: () => Date }): CatalogApplier {
  return (db, changes, context) => {
    if (changes.length === 0) return;
    const base = context.isFirstPage ? structuredClone(EMPTY) : readCatalog(db);
    const storeId = readSyncState(db)?.store_id ?? null;
    loadCatalog(db, usersInScope(mergeCatalogChanges(base, changes), storeId), {
      source: context.serverUrl,
      now: options.now,
    });
  };
}
