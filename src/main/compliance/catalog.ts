/**
 * The compliance rules on the console: the catalog part the go / no-go rule
 * reads for the store's region. Replaced with the rest of the catalog (demo
 * load or a pull), in the same transaction.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import {
  complianceRequirements,
  type ComplianceRequirement,
  type ComplianceRule,
} from '../../shared/compliance/rules.ts';
import type { Db } from '../db/open.ts';

export const COMPLIANCE_CATALOG_TABLES = ['compliance_rules'] as const;

/** Runs inside the catalog loader's transaction. */
export function replaceComplianceCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM compliance_rules;');
  const insert = db.sqlite.prepare(
    'INSERT INTO compliance_rules (id, region, data) VALUES (?, ?, ?)',
  );
  for (const r of catalog.complianceRules ?? []) insert.run(r.id, r.region, JSON.stringify(r));
}

function readRules(db: Db, region: string | null): ComplianceRule[] {
  const rows = (
    region === null
      ? db.sqlite.prepare('SELECT data FROM compliance_rules ORDER BY id').pluck().all()
      : db.sqlite
          .prepare('SELECT data FROM compliance_rules WHERE region = ? ORDER BY id')
          .pluck()
          .all(region)
  ) as string[];
  return rows.map((text) => JSON.parse(text) as ComplianceRule);
}

export function readComplianceCatalogParts(db: Db): Pick<Catalog, 'complianceRules'> {
  const complianceRules = readRules(db, null);
  return complianceRules.length > 0 ? { complianceRules } : {};
}

/** The rules binding `releaseId` at `storeId` (by the store's region), template names resolved. */
export function storeComplianceRequirements(
  db: Db,
  storeId: string,
  releaseId: string,
): ComplianceRequirement[] {
  const region = db.sqlite
    .prepare('SELECT region FROM stores WHERE id = ?')
    .pluck()
    .get(storeId) as string | undefined;
  if (region === undefined) return [];
  const rules = readRules(db, region);
  if (rules.length === 0) return [];
  const names = new Map(
    (
      db.sqlite.prepare('SELECT id, name FROM checklist_templates').all() as Array<{
        id: string;
        name: string;
      }>
    ).map((t) => [t.id, t.name]),
  );
  return complianceRequirements(rules, names, region, releaseId);
}
