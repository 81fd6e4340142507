/**
 * Checklist templates and release requirements in the server's catalog
 *. They are global (every store's consoles pull them) and travel as
 * catalog changes like releases do; the catalog change log is their storage.
 */
import type { Kysely } from 'kysely';
import {
  checklistRequirementId,
  checklistTemplate,
  releaseChecklistRequirement,
  type ChecklistTemplate,
  type ReleaseChecklistRequirement,
} from '../../shared/checklists/template.ts';
import type { ServerSchema } from '../db/schema.ts';
import { parseInput, ServerError } from '../errors.ts';
import { recordChanges } from './service.ts';

type Db = Kysely<ServerSchema>;

export async function publishChecklistTemplate(
  db: Db,
  input: unknown,
  now: Date,
  /** Checked but held out of the catalog until its revision is approved (revisions/service.ts). */
  options: { isHeld?: boolean } = {},
): Promise<ChecklistTemplate> {
  const template = parseInput(checklistTemplate, input, 'The checklist template');
  if (options.isHeld === true) return template;
  await db.transaction().execute((trx) =>
    recordChanges(
      trx,
      [
        {
          entity: 'checklistTemplate',
          entity_id: template.id,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(template),
        },
      ],
      now,
    ),
  );
  return template;
}

/** A release must exist; the template must have been published. */
export async function setChecklistRequirement(
  db: Db,
  input: unknown,
  now: Date,
): Promise<ReleaseChecklistRequirement> {
  const requirement = parseInput(releaseChecklistRequirement, input, 'The checklist requirement');
  const release = await db
    .selectFrom('releases')
    .select('id')
    .where('id', '=', requirement.releaseId)
    .executeTakeFirst();
  if (!release)
    throw new ServerError('invalid_input', `There is no release ${requirement.releaseId}.`);
  const template = await db
    .selectFrom('catalog_changes')
    .select('cursor')
    .where('entity', '=', 'checklistTemplate')
    .where('entity_id', '=', requirement.templateId)
    .executeTakeFirst();
  if (!template)
    throw new ServerError(
      'invalid_input',
      `There is no checklist template ${requirement.templateId}.`,
    );
  await db.transaction().execute((trx) =>
    recordChanges(
      trx,
      [
        {
          entity: 'checklistRequirement',
          entity_id: checklistRequirementId(requirement),
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(requirement),
        },
      ],
      now,
    ),
  );
  return requirement;
}
