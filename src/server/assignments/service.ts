/**
 * Checklist assignments from the release desk: a template (a UAT, a
 * compliance check) assigned to stores with a due date. Each store's
 * assignment is a desk action (a server entry naming the acting user, in the
 * store's feed) and a catalog change for that store's consoles, written in
 * one transaction: a refusal for any store (desk role, acting user, scope)
 * assigns nothing to any.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  assignChecklistRequest,
  checklistAssignment,
  type ChecklistAssignment,
} from '../../shared/checklists/assignments.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import { appendDeskAction } from '../desk/actions.ts';
import type { DeskPrincipal } from '../desk/queries.ts';
import type { LogKey } from '../log/keys.ts';
import { recordChanges } from '../catalog/service.ts';

type Db = Kysely<ServerSchema>;

const CHECKLIST_ASSIGNED = 'checklist.assigned';

export async function assignChecklist(
  db: Db,
  key: LogKey,
  desk: DeskPrincipal,
  body: unknown,
  now: Date,
): Promise<{ assignmentIds: string[]; storeIds: string[] }> {
  const req = parseInput(assignChecklistRequest, body, 'The checklist assignment');
  if (Date.parse(req.dueAt) <= now.getTime())
    throw new ServerError(
      'invalid_input',
      'The checklist assignment is not valid at dueAt: the due date is already past. Nothing was assigned.',
    );
  const storeIds = [...new Set(req.storeIds)].sort();
  const assignments = await db.transaction().execute(async (trx) => {
    const template = await trx
      .selectFrom('catalog_changes')
      .select('op')
      .where('entity', '=', 'checklistTemplate')
      .where('entity_id', '=', req.templateId)
      .orderBy('cursor', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (template?.op !== 'upsert')
      throw new ServerError(
        'invalid_input',
        `The checklist assignment is not valid at templateId: no checklist template ${req.templateId} is published. Nothing was assigned.`,
      );
    if (req.releaseId !== null) {
      const release = await trx
        .selectFrom('releases')
        .select('id')
        .where('id', '=', req.releaseId)
        .executeTakeFirst();
      if (!release)
        throw new ServerError(
          'invalid_input',
          `The checklist assignment is not valid at releaseId: release ${req.releaseId} has not been published. Nothing was assigned.`,
        );
    }
    const out: ChecklistAssignment[] = [];
    for (const storeId of storeIds) {
      const id = randomUUID();
      const entry = await appendDeskAction(trx, key, {
        desk,
        allowedDeskRoles: ['release'],
        actedBy: req.actedBy,
        allowedUserRoles: ['admin'],
        storeId,
        type: CHECKLIST_ASSIGNED,
        payload: {
          assignmentId: id,
          templateId: req.templateId,
          releaseId: req.releaseId,
          dueAt: req.dueAt,
          note: req.note,
        },
        at: now,
      });
      const assignment = checklistAssignment.parse({
        id,
        storeId,
        templateId: req.templateId,
        releaseId: req.releaseId,
        dueAt: req.dueAt,
        note: req.note,
        assignedBy: { userId: entry.actedBy.userId, deskId: entry.actedBy.deskId },
        assignedAt: now.toISOString(),
        logIndex: entry.index,
      });
      await trx
        .insertInto('checklist_assignments')
        .values({
          id,
          store_id: storeId,
          template_id: req.templateId,
          release_id: req.releaseId,
          due_at: req.dueAt,
          data: JSON.stringify(assignment),
          log_index: entry.index,
        })
        .execute();
      out.push(assignment);
    }
    await recordChanges(
      trx,
      out.map((a) => ({
        entity: 'checklistAssignment' as const,
        entity_id: a.id,
        op: 'upsert' as const,
        store_id: a.storeId,
        value: JSON.stringify(a),
      })),
      now,
    );
    return out;
  });
  return { assignmentIds: assignments.map((a) => a.id), storeIds };
}
