/**
 * Named administrators. An administrator is a catalog user of role admin
 * with admin tokens of their own (random, shown once, stored as SHA-256 like
 * device tokens). Revoking the user (revoke-user) ends every one of their
 * tokens. The bootstrap token, an admin token of no one that a new server
 * prints, creates the first named administrator and nothing else; once one
 * exists it is refused (`bootstrap_spent`).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { catalogUser } from '../../shared/catalog/schema.ts';
import type { Principal } from '../auth/tokens.ts';
import { issueToken } from '../auth/tokens.ts';
import { createUser } from '../catalog/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { runAdminAction, type AdminActedBy } from './actions.ts';

type Db = Kysely<ServerSchema>;

export const bootstrapAdminInput = z
  .object({
    id: catalogUser.shape.id,
    name: catalogUser.shape.name,
    pin: z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits'),
    label: z.string().min(1).max(100).optional(),
  })
  .strict();

export const adminTokenInput = z
  .object({ userId: catalogUser.shape.id, label: z.string().min(1).max(100).optional() })
  .strict();

export const adminTokenResponse = z
  .object({ adminId: z.string(), token: z.string(), logIndex: z.number().int() })
  .strict();
type AdminTokenResponse = z.infer<typeof adminTokenResponse>;

/** Who a request's admin token names: every central action's `actedBy`. */
export function adminActedBy(principal: Principal | null): AdminActedBy {
  if (principal?.kind !== 'admin')
    throw new ServerError('forbidden', 'This needs the admin token of a named administrator.');
  return { adminId: principal.userId, role: 'admin', via: 'token' };
}

/** Whether a named administrator holds a live admin token (the bootstrap token is then spent). */
export async function namedAdminExists(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('tokens')
    .select('token_hash')
    .where('kind', '=', 'admin')
    .where('user_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The bootstrap token's one use: creates the first named administrator (a
 * catalog user of role admin, every store) and their first admin token, as
 * one central action of the log.
 */
export async function bootstrapFirstAdmin(
  db: Db,
  key: LogKey,
  input: unknown,
  now: Date,
): Promise<AdminTokenResponse> {
  const req = parseInput(bootstrapAdminInput, input, 'The first administrator');
  const { result, entry } = await runAdminAction(
    db,
    key,
    {
      actedBy: { adminId: req.id, role: 'admin', via: 'bootstrap' },
      type: 'admin.user.created',
      at: now,
      payload: { userId: req.id, name: req.name, role: 'admin', storeIds: [], firstAdmin: true },
    },
    async (trx) => {
      // Inside the log lock: two bootstrap calls at once create one administrator.
      if (await namedAdminExists(trx))
        throw new ServerError(
          'bootstrap_spent',
          'A named administrator already exists: the bootstrap token may not create another. Ask an administrator for an admin token.',
        );
      await createUser(
        trx,
        { id: req.id, name: req.name, role: 'admin', pin: req.pin, storeIds: [] },
        now,
      );
      return issueToken(trx, 'admin', { userId: req.id, label: req.label ?? req.name, now });
    },
  );
  return { adminId: req.id, token: result, logIndex: entry.index };
}

/** A further admin token for a named administrator (a catalog user of role admin), issued by an administrator. */
export async function issueAdminToken(
  db: Db,
  key: LogKey,
  actedBy: AdminActedBy,
  input: unknown,
  now: Date,
): Promise<AdminTokenResponse> {
  const req = parseInput(adminTokenInput, input, 'The admin token');
  const { result, entry } = await runAdminAction(
    db,
    key,
    {
      actedBy,
      type: 'admin.adminToken.issued',
      at: now,
      payload: { userId: req.userId, label: req.label ?? null },
    },
    async (trx) => {
      const row = await trx
        .selectFrom('users')
        .select('data')
        .where('id', '=', req.userId)
        .executeTakeFirst();
      if (!row) throw new ServerError('not_found', `There is no user ${req.userId}.`);
      const { role } = JSON.parse(row.data) as { role: string };
      if (role !== 'admin')
        throw new ServerError(
          'invalid_input',
          `User ${req.userId} is ${role}: admin tokens go to users of role admin only; nothing was issued.`,
        );
      return issueToken(trx, 'admin', { userId: req.userId, label: req.label, now });
    },
  );
  return { adminId: req.userId, token: result, logIndex: entry.index };
}
