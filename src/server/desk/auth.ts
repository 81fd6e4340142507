/** The principal behind a desk token, read on every desk call (scope and role included). */
import type { Kysely } from 'kysely';
import { parseDeskScope, type DeskRole, type DeskScope } from '../../shared/desk/protocol.ts';
import { tokenHash } from '../auth/tokens.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';

export type DeskPrincipal = { kind: 'desk'; deskId: string; scope: DeskScope; role: DeskRole };

export async function authenticateDesk(
  db: Kysely<ServerSchema>,
  token: string | null,
): Promise<DeskPrincipal> {
  if (!token)
    throw new ServerError(
      'unauthorized',
      'This request needs a desk token (Authorization: Bearer …).',
    );
  const row = await db
    .selectFrom('tokens')
    .innerJoin('desks', 'desks.id', 'tokens.device_id')
    .select([
      'desks.id',
      'desks.scope',
      'desks.role',
      'tokens.revoked_at',
      'desks.revoked_at as desk_revoked_at',
    ])
    .where('tokens.token_hash', '=', tokenHash(token))
    .where('tokens.kind', '=', 'desk')
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.desk_revoked_at !== null)
    throw new ServerError(
      'unauthorized',
      'This is not a valid desk token (unknown, revoked, or a device or admin token). Enroll the desk with a desk enrollment code.',
    );
  return {
    kind: 'desk',
    deskId: row.id,
    scope: parseDeskScope(row.scope),
    role: row.role as DeskRole,
  };
}
