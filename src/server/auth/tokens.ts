/**
 * Bearer tokens: random, shown once, stored only as SHA-256. A device token
 * is scoped to one store and dies with its device's revocation; admin and
 * auditor tokens are central.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { sha256Hex } from '../log/keys.ts';

export const TOKEN_KINDS = ['device', 'admin', 'auditor'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export type Principal =
  | { kind: 'device'; deviceId: string; storeId: string }
  | { kind: 'admin'; label: string | null }
  | { kind: 'auditor'; label: string | null };

const PREFIX: Record<TokenKind, string> = { device: 'dpd_', admin: 'dpa_', auditor: 'dpu_' };

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return sha256Hex(token);
}

export async function issueToken(
  db: Kysely<ServerSchema>,
  kind: TokenKind,
  options: { deviceId?: string; storeId?: string; label?: string; now: Date },
): Promise<string> {
  const token = newToken(kind);
  await db
    .insertInto('tokens')
    .values({
      token_hash: tokenHash(token),
      kind,
      device_id: options.deviceId ?? null,
      store_id: options.storeId ?? null,
      label: options.label ?? null,
      created_at: options.now.toISOString(),
      revoked_at: null,
    })
    .execute();
  return token;
}

/** Reads `Authorization: Bearer <token>`; null when absent. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
  return m ? m[1]! : null;
}

/** The principal behind a token, or an `unauthorized` error (unknown, revoked, or a revoked device). */
export async function authenticate(
  db: Kysely<ServerSchema>,
  token: string | null,
): Promise<Principal> {
  if (!token)
    throw new ServerError('unauthorized', 'This request needs a token (Authorization: Bearer …).');
  const row = await db
    .selectFrom('tokens')
    .leftJoin('devices', 'devices.id', 'tokens.device_id')
    .select([
      'tokens.kind',
      'tokens.device_id',
      'tokens.store_id',
      'tokens.label',
      'tokens.revoked_at',
      'devices.revoked_at as device_revoked_at',
    ])
    .where('tokens.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) {
    throw new ServerError(
      'unauthorized',
      'This token is unknown or was revoked. Enroll the device again or ask an administrator for a new token.',
    );
  }
  switch (row.kind as TokenKind) {
    case 'device':
      if (row.device_revoked_at !== null || !row.device_id || !row.store_id) {
        throw new ServerError(
          'unauthorized',
          'This device was revoked by an administrator. Enroll it again with a new enrollment code.',
        );
      }
      return { kind: 'device', deviceId: row.device_id, storeId: row.store_id };
    case 'admin':
      return { kind: 'admin', label: row.label };
    case 'auditor':
      return { kind: 'auditor', label: row.label };
    default:
      throw new ServerError('unauthorized', 'This token has an unknown kind.');
  }
}
