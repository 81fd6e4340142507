/**
 * Bearer tokens: random, shown once, stored only as SHA-256. A device token
 * is scoped to one store and dies with its device's revocation; admin and
 * auditor tokens are central.
 *
 * Device and auditor tokens expire. A token issued with an expiry carries it
 * in its own text (`dpde_<unix seconds, base 36>_<random>`), so the console
 * knows when to renew without storing anything more; the server can trust
 * that text because only the SHA-256 of the whole token is stored: a changed
 * expiry is an unknown token. Tokens from before expiry existed: see expiryOf.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseDeskScope, type DeskRole, type DeskScope } from '../../shared/desk/protocol.ts';
import { tokenExpiresAt } from '../../shared/sync/protocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { sha256Hex } from '../log/keys.ts';

export const TOKEN_KINDS = ['device', 'admin', 'auditor'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export type Principal =
  | { kind: 'device'; deviceId: string; storeId: string; tokenHash: string }
  /** A named administrator: a catalog user of role admin, named by every central action they take. */
  | { kind: 'admin'; userId: string; label: string | null; tokenHash: string }
  /** An admin token of no named administrator (the first one a server prints): it may only create the first named admin. */
  | { kind: 'bootstrap'; label: string | null; tokenHash: string }
  | { kind: 'auditor'; label: string | null; tokenHash: string }
  /** A desk: its scope and role are read from `desks` on every call. */
  | { kind: 'desk'; deskId: string; scope: DeskScope; role: DeskRole; tokenHash: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long tokens live. Admin tokens do not expire: they are created on the server's own command line. */
export type TokenPolicy = {
  deviceLifetimeMs: number;
  /** After expiry, a device token may still renew itself (and do nothing else) for this long: a console offline for weeks comes back without a new enrollment. */
  deviceGraceMs: number;
  auditorLifetimeMs: number;
};

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  deviceLifetimeMs: 30 * DAY_MS,
  deviceGraceMs: 90 * DAY_MS,
  auditorLifetimeMs: 90 * DAY_MS,
};

const PREFIX: Record<TokenKind, string> = { device: 'dpd', admin: 'dpa', auditor: 'dpu' };

/**
 * A new random token. Device and auditor tokens carry their expiry (see the
 * file comment): by default the default lifetime from now, so a token issued
 * at enrollment expires like every other; `null` writes none (admin tokens).
 */
export function newToken(kind: TokenKind, expiresAt: Date | null = defaultExpiry(kind)): string {
  const random = randomBytes(32).toString('base64url');
  if (!expiresAt) return `${PREFIX[kind]}_${random}`;
  return `${PREFIX[kind]}e_${Math.floor(expiresAt.getTime() / 1000).toString(36)}_${random}`;
}

function defaultExpiry(kind: TokenKind): Date | null {
  const lifetime = lifetimeOf(kind, DEFAULT_TOKEN_POLICY);
  return lifetime === null ? null : new Date(Date.now() + lifetime);
}

export function tokenHash(token: string): string {
  return sha256Hex(token);
}

function lifetimeOf(kind: TokenKind, policy: TokenPolicy): number | null {
  switch (kind) {
    case 'device':
      return policy.deviceLifetimeMs;
    case 'auditor':
      return policy.auditorLifetimeMs;
    case 'admin':
      return null;
  }
}

/** The expiry written into a token issued with one, as ISO text. */
export function tokenExpiresAtOf(token: string): string {
  const at = tokenExpiresAt(token);
  if (!at) throw new Error('This token was issued without an expiry.');
  return at.toISOString();
}

export async function issueToken(
  db: Kysely<ServerSchema>,
  kind: TokenKind,
  options: {
    deviceId?: string;
    storeId?: string;
    label?: string;
    /** An admin token's named administrator; without one, an admin token is a bootstrap token. */
    userId?: string;
    now: Date;
    policy?: TokenPolicy;
  },
): Promise<string> {
  const lifetime = lifetimeOf(kind, options.policy ?? DEFAULT_TOKEN_POLICY);
  const token = newToken(
    kind,
    lifetime === null ? null : new Date(options.now.getTime() + lifetime),
  );
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
      user_id: options.userId ?? null,
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

/**
 * When a token stops working (null: never): the expiry written in it; else,
 * for an auditor token from before expiry existed, created_at + its lifetime.
 * A device token from before expiry existed keeps working until its console
 * renews it (its first sync does), so upgrading the server locks no store out.
 */
function expiryOf(
  token: string,
  kind: TokenKind,
  createdAt: string,
  policy: TokenPolicy,
): Date | null {
  const written = tokenExpiresAt(token);
  if (written) return written;
  return kind === 'auditor' ? new Date(Date.parse(createdAt) + policy.auditorLifetimeMs) : null;
}

export type AuthenticateOptions = {
  now: Date;
  policy?: TokenPolicy;
  /** The renewal route: an expired device token within its grace window is still accepted. */
  isRenewal?: boolean;
};

/** The principal behind a token, or an `unauthorized` error (unknown, revoked, expired, or a revoked device). */
export async function authenticate(
  db: Kysely<ServerSchema>,
  token: string | null,
  options: AuthenticateOptions = { now: new Date() },
): Promise<Principal> {
  if (!token)
    throw new ServerError('unauthorized', 'This request needs a token (Authorization: Bearer …).');
  const hash = tokenHash(token);
  const row = await db
    .selectFrom('tokens')
    .leftJoin('devices', 'devices.id', 'tokens.device_id')
    .leftJoin('users', 'users.id', 'tokens.user_id')
    .select([
      'tokens.user_id',
      'users.data as user_data',
      'tokens.kind',
      'tokens.device_id',
      'tokens.store_id',
      'tokens.label',
      'tokens.created_at',
      'tokens.revoked_at',
      'devices.revoked_at as device_revoked_at',
    ])
    .where('tokens.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) {
    throw new ServerError(
      'unauthorized',
      'This token is unknown or was revoked. Enroll the device again or ask an administrator for a new token.',
    );
  }
  const kind = row.kind as TokenKind | 'desk';
  const policy = options.policy ?? DEFAULT_TOKEN_POLICY;
  // A desk token carries its expiry like a device token; one from before desk tokens expired
  // (none written) keeps working until the desk renews it, so upgrading locks no desk out.
  const expiresAt =
    kind === 'desk'
      ? tokenExpiresAt(token)
      : (TOKEN_KINDS as readonly string[]).includes(kind)
        ? expiryOf(token, kind, row.created_at, policy)
        : null;
  if (expiresAt && expiresAt.getTime() <= options.now.getTime()) {
    const isInGrace =
      (kind === 'device' || kind === 'desk') &&
      options.isRenewal === true &&
      options.now.getTime() < expiresAt.getTime() + policy.deviceGraceMs;
    if (!isInGrace) {
      throw new ServerError(
        'unauthorized',
        kind === 'device'
          ? `This device token expired on ${expiresAt.toISOString()} and can no longer be renewed. Enroll the console again with a new enrollment code.`
          : kind === 'desk'
            ? `This desk token expired on ${expiresAt.toISOString()}${options.isRenewal === true ? ' and can no longer be renewed' : ': renew it (POST /v1/desk/token)'}. A desk past its grace window is enrolled again with a desk enrollment code.`
            : `This token expired on ${expiresAt.toISOString()}. Ask an administrator for a new one.`,
      );
    }
  }
  switch (kind) {
    case 'device':
      if (row.device_revoked_at !== null || !row.device_id || !row.store_id) {
        throw new ServerError(
          'unauthorized',
          'This device was revoked by an administrator. Enroll it again with a new enrollment code.',
        );
      }
      return { kind: 'device', deviceId: row.device_id, storeId: row.store_id, tokenHash: hash };
    case 'admin': {
      if (row.user_id === null) return { kind: 'bootstrap', label: row.label, tokenHash: hash };
      // Revoking the administrator (revoke-user) removes them from the catalog: their tokens die with them.
      const role = row.user_data ? (JSON.parse(row.user_data) as { role?: string }).role : null;
      if (role !== 'admin')
        throw new ServerError(
          'admin_revoked',
          `Administrator ${row.user_id} was revoked or is no longer an administrator; ask another administrator for access.`,
        );
      return { kind: 'admin', userId: row.user_id, label: row.label, tokenHash: hash };
    }
    case 'auditor':
      return { kind: 'auditor', label: row.label, tokenHash: hash };
    case 'desk': {
      const desk = await db
        .selectFrom('desks')
        .select(['id', 'scope', 'role', 'revoked_at'])
        .where('id', '=', row.device_id ?? '')
        .executeTakeFirst();
      if (!desk || desk.revoked_at !== null)
        throw new ServerError(
          'unauthorized',
          'This desk was revoked by an administrator. Enroll it again with a desk enrollment code.',
        );
      return {
        kind: 'desk',
        deskId: desk.id,
        scope: parseDeskScope(desk.scope),
        role: desk.role as DeskRole,
        tokenHash: hash,
      };
    }
    default:
      throw new ServerError('unauthorized', 'This token has an unknown kind.');
  }
}

/**
 * Rotates a device token: the old one is revoked and a new one issued, in
 * one transaction, so a device never holds two live tokens.
 */
export async function renewDeviceToken(
  db: Kysely<ServerSchema>,
  principal: { deviceId: string; storeId: string; tokenHash: string },
  options: { now: Date; policy?: TokenPolicy },
): Promise<{ deviceToken: string; expiresAt: string }> {
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('tokens')
      .set({ revoked_at: options.now.toISOString() })
      .where('token_hash', '=', principal.tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(revoked.numUpdatedRows) !== 1) {
      // Two renewals raced with one token: only the first gets a new one.
      throw new ServerError('unauthorized', 'This token was already renewed or revoked.');
    }
    const label = await trx
      .selectFrom('devices')
      .select('name')
      .where('id', '=', principal.deviceId)
      .executeTakeFirst();
    const deviceToken = await issueToken(trx, 'device', {
      deviceId: principal.deviceId,
      storeId: principal.storeId,
      label: label?.name ?? undefined,
      now: options.now,
      policy: options.policy,
    });
    return { deviceToken, expiresAt: tokenExpiresAtOf(deviceToken) };
  });
}
