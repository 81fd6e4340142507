/**
 * The compliance rules on the console: the catalog part the go / no-go rule
 * reads for the store's region and country. Replaced with the rest of the catalog (demo
 * load or a pull), in the same transaction.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import {
  complianceRequirements,
  type ComplianceRequirement,
  type ComplianceRule,
  type StorePlace,
} from '../../shared/compliance/rules.ts';
import type { Db } from '../db/open.ts';

export const COMPLIANCE_CATALOG_TABLES = ['compliance_rules'] as const;

/** Runs inside the catalog loader's transaction. */
export function replaceComplianceCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM compliance_rules;');
  const insert = db.sqlite.prepare(
    'INSERT INTO compliance_rules (id, region, country, data) VALUES (?, ?, ?, ?)',
  );
  for (const r of catalog.complianceRules ?? [])
    insert.run(r.id, r.region ?? null, r.country ?? null, JSON.stringify(r));
}

function readRules(db: Db, place: StorePlace | null): ComplianceRule[] {
  const rows = (
    place === null
      ? db.sqlite.prepare('SELECT data FROM compliance_rules ORDER BY id').pluck().all()
      : db.sqlite
          .prepare('SELECT data FROM compliance_rules WHERE region = ? OR country = ? ORDER BY id')
          .pluck()
          .all(place.region, place.country ?? null)
  ) as string[];
  return rows.map((text) => JSON.parse(text) as ComplianceRule);
}

export function readComplianceCatalogParts(db: Db): Pick<Catalog, 'complianceRules'> {
  const complianceRules = readRules(db, null);
  return complianceRules.length > 0 ? { complianceRules } : {};
}

/** The rules binding `releaseId` at `storeId` (by the store's region and country), template names resolved. */
export function storeComplianceRequirements(
  db: Db,
  storeId: string,
  releaseId: string,
): ComplianceRequirement[] {
  const place = db.sqlite
    .prepare('SELECT region, country FROM stores WHERE id = ?')
    .get(storeId) as StorePlace | undefined;
  if (place === undefined) return [];
  const rules = readRules(db, place);
  if (rules.length === 0) return [];
  const names = new Map(
    (
      db.sqlite.prepare('SELECT id, name FROM checklist_templates').all() as Array<{
        id: string;
        name: string;
      }>
    ).map((t) => [t.id, t.name]),
  );
  return complianceRequirements(rules, names, place, releaseId);
}
