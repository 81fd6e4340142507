/**
 * Loads a catalog (demo fleet now, the central server's pull later) into the
 * catalog tables and rebuilds the fleet projection from it plus the journal.
 * Loading a catalog is not a journal event: the catalog is pulled, not
 * recorded. It is all or nothing: a catalog that does not hold together
 * (a terminal in an unknown store, a version that is not SemVer…) changes nothing.
 */
import { PIN_POLICY_META_KEY } from '../session/pinPolicy.ts';
import { UPDATE_POLICY_META_KEY } from '../updates/catalogPolicy.ts';
import semverCompare from 'semver/functions/compare.js';
import { catalog as catalogSchema, type Catalog } from '../../shared/catalog/schema.ts';
import { isValidVersion } from '../../shared/domain/releases.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';
import { rebuildFleetProjection } from './rebuild.ts';
import { checklistCatalogProblems, replaceChecklistCatalog } from '../checklists/catalog.ts';
import { deploymentCatalogProblemsOf, replaceDeploymentCatalog } from '../deployments/catalog.ts';
import { writeReleaseCatalogParts } from '../releases/catalogParts.ts';
import { replaceReleaseExtrasCatalog } from '../releases/extrasCatalog.ts';
import { replaceComplianceCatalog } from '../compliance/catalog.ts';
import { replaceRiskCatalog } from '../releases/riskCatalog.ts';
import { replaceRevisionCatalog } from '../revisions/catalog.ts';

export const CATALOG_TABLES = [
  'stores',
  'terminals',
  'releases',
  'ring_targets',
  'users',
  'catalog_meta',
] as const;

export function hasCatalog(db: Db): boolean {
  return (
    db.sqlite.prepare("SELECT 1 FROM catalog_meta WHERE key = 'loaded_at'").get() !== undefined
  );
}

/** Where the loaded catalog came from: "demo", a server URL, or null before any. */
export function catalogSource(db: Db): string | null {
  const row = db.sqlite.prepare("SELECT value FROM catalog_meta WHERE key = 'source'").get() as
    { value: string } | undefined;
  return row?.value ?? null;
}

/** Checks what zod cannot: references between the catalog's lists. */
export function catalogProblems(catalog: Catalog): string[] {
  const problems: string[] = [];
  const storeIds = new Set<string>();
  for (const s of catalog.stores) {
    if (storeIds.has(s.id)) problems.push(`store ${s.id} appears twice`);
    storeIds.add(s.id);
  }
  const releaseIds = new Set<string>();
  const versions = new Set<string>();
  for (const r of catalog.releases) {
    if (releaseIds.has(r.id)) problems.push(`release ${r.id} appears twice`);
    if (versions.has(r.version)) problems.push(`version ${r.version} appears twice`);
    if (!isValidVersion(r.version))
      problems.push(`release ${r.id} has version "${r.version}", which is not SemVer`);
    releaseIds.add(r.id);
    versions.add(r.version);
  }
  const terminalIds = new Set<string>();
  for (const t of catalog.terminals) {
    if (terminalIds.has(t.id)) problems.push(`terminal ${t.id} appears twice`);
    terminalIds.add(t.id);
    if (!storeIds.has(t.storeId))
      problems.push(`terminal ${t.id} is in unknown store ${t.storeId}`);
    if (t.installed && !releaseIds.has(t.installed.releaseId)) {
      problems.push(`terminal ${t.id} runs unknown release ${t.installed.releaseId}`);
    }
  }
  const rings = new Set<string>();
  for (const target of catalog.ringTargets) {
    if (rings.has(target.ring)) problems.push(`ring ${target.ring} has two targets`);
    rings.add(target.ring);
    if (!releaseIds.has(target.releaseId))
      problems.push(`ring ${target.ring} targets unknown release ${target.releaseId}`);
  }
  const userIds = new Set<string>();
  for (const u of catalog.users) {
    if (userIds.has(u.id)) problems.push(`user ${u.id} appears twice`);
    userIds.add(u.id);
  }
  problems.push(...checklistCatalogProblems(catalog));
  problems.push(...deploymentCatalogProblemsOf(catalog));
  return problems;
}

/**
 * Replaces the catalog in one transaction and rebuilds the fleet projection
 * (baseline + journal). `source` is recorded in catalog_meta ("demo", a server URL).
 */
export function loadCatalog(
  db: Db,
  input: unknown,
  options: { source: string; now: () => Date },
): Catalog {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'invalid_input',
      `The catalog is not valid (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown problem'}). Nothing was changed.`,
    );
  }
  const catalog = parsed.data;
  const problems = catalogProblems(catalog);
  if (problems.length > 0) {
    throw new AppError(
      'invalid_input',
      `The catalog does not hold together: ${problems.slice(0, 5).join('; ')}. Nothing was changed.`,
      {
        problems: problems.slice(0, 50),
      },
    );
  }
  const ranked = [...catalog.releases].sort((a, b) => semverCompare(a.version, b.version));
  const rank = new Map(ranked.map((r, i) => [r.id, i]));
  const sqlite = db.sqlite;
  const run = sqlite.transaction(() => {
    sqlite.exec(
      'DELETE FROM terminal_versions; DELETE FROM terminal_current; DELETE FROM terminals; DELETE FROM ring_targets; DELETE FROM users; DELETE FROM releases; DELETE FROM stores; DELETE FROM catalog_meta;',
    );
    const insertStore = sqlite.prepare(
      'INSERT INTO stores (id, name, region, ring, timezone, country) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const s of catalog.stores)
      insertStore.run(s.id, s.name, s.region, s.ring, s.timezone, s.country ?? null);
    const insertRelease = sqlite.prepare(
      `INSERT INTO releases (id, version, version_rank, type, ring, status, planned_at, actual_at, title, notes_markdown)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of catalog.releases) {
      insertRelease.run(
        r.id,
        r.version,
        rank.get(r.id)!,
        r.type,
        r.ring,
        r.status,
        r.plannedAt,
        r.actualAt,
        r.title,
        r.notesMarkdown,
      );
    }
    const insertTarget = sqlite.prepare(
      'INSERT INTO ring_targets (ring, release_id) VALUES (?, ?)',
    );
    for (const t of catalog.ringTargets) insertTarget.run(t.ring, t.releaseId);
    const insertTerminal = sqlite.prepare(
      `INSERT INTO terminals (id, store_id, name, model, serial, installed_release_id, installed_since, last_seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const t of catalog.terminals) {
      insertTerminal.run(
        t.id,
        t.storeId,
        t.name,
        t.model,
        t.serial,
        t.installed?.releaseId ?? null,
        t.installed?.since ?? null,
        t.lastSeen,
      );
    }
    const insertUser = sqlite.prepare(
      'INSERT INTO users (id, name, role, pin_hash, store_ids) VALUES (?, ?, ?, ?, ?)',
    );
    for (const u of catalog.users)
      insertUser.run(
        u.id,
        u.name,
        u.role,
        db.sealer.seal(u.pinHash, 'users.pin_hash'),
        JSON.stringify(u.storeIds),
      );
    const insertMeta = sqlite.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?)');
    insertMeta.run('source', options.source);
    if (catalog.pinPolicy) insertMeta.run(PIN_POLICY_META_KEY, JSON.stringify(catalog.pinPolicy));
    if (catalog.consoleUpdatePolicy)
      insertMeta.run(UPDATE_POLICY_META_KEY, JSON.stringify(catalog.consoleUpdatePolicy));
    writeReleaseCatalogParts(db, catalog);
    insertMeta.run('loaded_at', options.now().toISOString());
    rebuildFleetProjection(db);
    replaceChecklistCatalog(db, catalog);
    replaceDeploymentCatalog(db, catalog);
    replaceReleaseExtrasCatalog(db, catalog);
    replaceComplianceCatalog(db, catalog);
    replaceRiskCatalog(db, catalog);
    replaceRevisionCatalog(db, catalog);
  });
  run.immediate();
  return catalog;
}
