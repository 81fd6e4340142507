/**
 * A desk's token after enrollment: it lives as long as a device token (the
 * server's token policy), is renewed by the desk itself — rotated, so the old
 * one is dead at once — and an administrator can revoke one desk, which kills
 * its token on the next call (`POST /v1/admin/desks/revoke`, `admin revoke-desk`).
 */
import type { Kysely } from 'kysely';
import type { DeskRenewTokenResponse } from '../../shared/desk/protocol.ts';
import { revokeDeskRequest } from '../../shared/desk/protocol.ts';
import { DEFAULT_TOKEN_POLICY, tokenHash, type TokenPolicy } from '../auth/tokens.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import { newDeskToken } from './enroll.ts';

/** Rotates a desk token in one transaction: a desk never holds two live tokens. */
export async function renewDeskToken(
  db: Kysely<ServerSchema>,
  principal: { deskId: string; tokenHash: string },
  options: { now: Date; policy?: TokenPolicy },
): Promise<DeskRenewTokenResponse> {
  const policy = options.policy ?? DEFAULT_TOKEN_POLICY;
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('tokens')
      .set({ revoked_at: options.now.toISOString() })
      .where('token_hash', '=', principal.tokenHash)
      .where('kind', '=', 'desk')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(revoked.numUpdatedRows) !== 1)
      // Two renewals raced with one token: only the first gets a new one.
      throw new ServerError('unauthorized', 'This desk token was already renewed or revoked.');
    const desk = await trx
      .selectFrom('desks')
      .select('name')
      .where('id', '=', principal.deskId)
      .executeTakeFirst();
    // Whole seconds: the expiry the token's text carries.
    const expiresAt = new Date(
      Math.floor((options.now.getTime() + policy.deviceLifetimeMs) / 1000) * 1000,
    );
    const deskToken = newDeskToken(expiresAt);
    await trx
      .insertInto('tokens')
      .values({
        token_hash: tokenHash(deskToken),
        kind: 'desk',
        device_id: principal.deskId,
        store_id: null,
        label: desk?.name ?? null,
        created_at: options.now.toISOString(),
        revoked_at: null,
      })
      .execute();
    return { deskToken, expiresAt: expiresAt.toISOString() };
  });
}

/** Revokes one desk and every token it holds; a desk already revoked keeps its first revocation time. */
export async function revokeDesk(
  db: Kysely<ServerSchema>,
  input: unknown,
  now: Date,
): Promise<{ deskId: string; revokedAt: string }> {
  const { deskId } = parseInput(revokeDeskRequest, input, 'The desk revocation');
  return db.transaction().execute(async (trx) => {
    const desk = await trx
      .selectFrom('desks')
      .select(['id', 'revoked_at'])
      .where('id', '=', deskId)
      .executeTakeFirst();
    if (!desk) throw new ServerError('not_found', `No desk ${deskId} is enrolled.`);
    const revokedAt = desk.revoked_at ?? now.toISOString();
    await trx
      .updateTable('desks')
      .set({ revoked_at: revokedAt })
      .where('id', '=', deskId)
      .execute();
    await trx
      .updateTable('tokens')
      .set({ revoked_at: revokedAt })
      .where('device_id', '=', deskId)
      .where('kind', '=', 'desk')
      .where('revoked_at', 'is', null)
      .execute();
    return { deskId, revokedAt };
  });
}
