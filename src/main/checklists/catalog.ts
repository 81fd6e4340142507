/**
 * The checklist part of the catalog: templates and what each release
 * requires. Replaced together with the rest of the catalog (demo load or a
 * pull from the central server), in the same transaction.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import type {
  ChecklistTemplate,
  ReleaseChecklistRequirement,
} from '../../shared/checklists/template.ts';
import type { Db } from '../db/open.ts';

export const CHECKLIST_CATALOG_TABLES = [
  'checklist_templates',
  'release_checklist_requirements',
] as const;

/** References zod cannot check: unique template ids, requirements naming known templates and releases. */
export function checklistCatalogProblems(catalog: Catalog): string[] {
  const problems: string[] = [];
  const templateIds = new Set<string>();
  for (const t of catalog.checklistTemplates ?? []) {
    if (templateIds.has(t.id)) problems.push(`checklist template ${t.id} appears twice`);
    templateIds.add(t.id);
  }
  const releaseIds = new Set(catalog.releases.map((r) => r.id));
  const seen = new Set<string>();
  for (const r of catalog.checklistRequirements ?? []) {
    const key = `${r.releaseId}/${r.templateId}`;
    if (seen.has(key))
      problems.push(`release ${r.releaseId} requires checklist ${r.templateId} twice`);
    seen.add(key);
    if (!releaseIds.has(r.releaseId))
      problems.push(`a checklist requirement names unknown release ${r.releaseId}`);
    if (!templateIds.has(r.templateId))
      problems.push(`release ${r.releaseId} requires unknown checklist template ${r.templateId}`);
  }
  return problems;
}

/** Runs inside the catalog loader's transaction. */
export function replaceChecklistCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM release_checklist_requirements; DELETE FROM checklist_templates;');
  const insertTemplate = db.sqlite.prepare(
    'INSERT INTO checklist_templates (id, name, kind, version, data) VALUES (?, ?, ?, ?, ?)',
  );
  for (const t of catalog.checklistTemplates ?? [])
    insertTemplate.run(t.id, t.name, t.kind, t.version, JSON.stringify(t));
  const insertRequirement = db.sqlite.prepare(
    'INSERT INTO release_checklist_requirements (release_id, template_id, terminal_count) VALUES (?, ?, ?)',
  );
  for (const r of catalog.checklistRequirements ?? [])
    insertRequirement.run(r.releaseId, r.templateId, r.terminalCount);
}

export function readChecklistTemplates(db: Db): ChecklistTemplate[] {
  const rows = db.sqlite
    .prepare('SELECT data FROM checklist_templates ORDER BY kind, name, id')
    .pluck()
    .all() as string[];
  return rows.map((text) => JSON.parse(text) as ChecklistTemplate);
}

export function readChecklistTemplate(db: Db, templateId: string): ChecklistTemplate | null {
  const text = db.sqlite
    .prepare('SELECT data FROM checklist_templates WHERE id = ?')
    .pluck()
    .get(templateId) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as ChecklistTemplate);
}

export function readChecklistRequirements(
  db: Db,
  releaseId?: string,
): ReleaseChecklistRequirement[] {
  const rows = (
    releaseId === undefined
      ? db.sqlite
          .prepare(
            'SELECT release_id, template_id, terminal_count FROM release_checklist_requirements ORDER BY release_id, template_id',
          )
          .all()
      : db.sqlite
          .prepare(
            'SELECT release_id, template_id, terminal_count FROM release_checklist_requirements WHERE release_id = ? ORDER BY template_id',
          )
          .all(releaseId)
  ) as Array<{ release_id: string; template_id: string; terminal_count: number }>;
  return rows.map((r) => ({
    releaseId: r.release_id,
    templateId: r.template_id,
    terminalCount: r.terminal_count,
  }));
}

/** The checklist part of the catalog in the catalog format (for the pull's merge), omitted when empty. */
export function readChecklistCatalogParts(
  db: Db,
): Pick<Catalog, 'checklistTemplates' | 'checklistRequirements'> {
  const checklistTemplates = readChecklistTemplates(db);
  const checklistRequirements = readChecklistRequirements(db);
  return {
    ...(checklistTemplates.length > 0 ? { checklistTemplates } : {}),
    ...(checklistRequirements.length > 0 ? { checklistRequirements } : {}),
  };
}
