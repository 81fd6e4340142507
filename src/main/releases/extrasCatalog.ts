/**
 * The release desk's catalog parts on the console: each release's test
 * results summary and the checklists assigned to stores. Replaced with the
 * rest of the catalog (demo load or a pull), in the same transaction.
 */
import type { Catalog } from '../../shared/catalog/schema.ts';
import type { ChecklistAssignment } from '../../shared/checklists/assignments.ts';
import type { TestResultsSummary } from '../../shared/releases/testResults.ts';
import type { Db } from '../db/open.ts';

export const RELEASE_EXTRAS_CATALOG_TABLES = [
  'release_test_results',
  'checklist_assignments',
] as const;

/** Runs inside the catalog loader's transaction. */
export function replaceReleaseExtrasCatalog(db: Db, catalog: Catalog): void {
  db.sqlite.exec('DELETE FROM release_test_results; DELETE FROM checklist_assignments;');
  const insertResults = db.sqlite.prepare(
    'INSERT INTO release_test_results (release_id, data) VALUES (?, ?)',
  );
  for (const r of catalog.testResults ?? []) insertResults.run(r.releaseId, JSON.stringify(r));
  const insertAssignment = db.sqlite.prepare(
    'INSERT INTO checklist_assignments (id, store_id, template_id, due_at, data) VALUES (?, ?, ?, ?, ?)',
  );
  for (const a of catalog.checklistAssignments ?? [])
    insertAssignment.run(a.id, a.storeId, a.templateId, a.dueAt, JSON.stringify(a));
}

export function readReleaseExtrasCatalogParts(
  db: Db,
): Pick<Catalog, 'testResults' | 'checklistAssignments'> {
  const testResults = readAllTestResults(db);
  const checklistAssignments = readAssignments(db, null);
  return {
    ...(testResults.length > 0 ? { testResults } : {}),
    ...(checklistAssignments.length > 0 ? { checklistAssignments } : {}),
  };
}

function readAllTestResults(db: Db): TestResultsSummary[] {
  return (
    db.sqlite
      .prepare('SELECT data FROM release_test_results ORDER BY release_id')
      .pluck()
      .all() as string[]
  ).map((text) => JSON.parse(text) as TestResultsSummary);
}

/** The release's test results summary; null while none was imported. */
export function readTestResults(db: Db, releaseId: string): TestResultsSummary | null {
  const text = db.sqlite
    .prepare('SELECT data FROM release_test_results WHERE release_id = ?')
    .pluck()
    .get(releaseId) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as TestResultsSummary);
}

/** Assignments of one store (or of every store the console holds: null), by due time. */
export function readAssignments(db: Db, storeId: string | null): ChecklistAssignment[] {
  const rows = (
    storeId === null
      ? db.sqlite
          .prepare('SELECT data FROM checklist_assignments ORDER BY due_at, id')
          .pluck()
          .all()
      : db.sqlite
          .prepare('SELECT data FROM checklist_assignments WHERE store_id = ? ORDER BY due_at, id')
          .pluck()
          .all(storeId)
  ) as string[];
  return rows.map((text) => JSON.parse(text) as ChecklistAssignment);
}
