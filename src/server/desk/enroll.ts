/**
 * Desk enrollment: an admin issues a single-use, expiring code
 * for a scope (`all` or `region:<name>`) and a role (support, release,
 * auditor); a desk trades it, with its id and Ed25519 public key, for a desk
 * token. The token's principal carries the scope, read again on every call.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  deskEnrollmentCodeRequest,
  deskEnrollRequest,
  parseDeskScope,
  type DeskEnrollResponse,
  type DeskRole,
} from '../../shared/desk/protocol.ts';
import { DEFAULT_TOKEN_POLICY, tokenHash, type TokenPolicy } from '../auth/tokens.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import { publicKeyFromRaw, sha256Hex } from '../log/keys.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DEFAULT_TTL_MINUTES = 24 * 60;

function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * Desk tokens start with `dpk` so a leaked one is recognisable, and carry
 * their expiry in their text like device tokens (`dpke_<unix seconds, base
 * 36>_<random>`): only the SHA-256 of the whole token is stored, so the
 * expiry cannot be changed.
 */
export function newDeskToken(expiresAt: Date): string {
  return `dpke_${Math.floor(expiresAt.getTime() / 1000).toString(36)}_${randomBytes(32).toString('base64url')}`;
}

export async function issueDeskEnrollmentCode(
  db: Kysely<ServerSchema>,
  input: unknown,
  now: Date,
): Promise<{ code: string; expiresAt: string; scope: string; role: DeskRole }> {
  const req = parseInput(deskEnrollmentCodeRequest, input, 'The desk enrollment code request');
  const scope = parseDeskScope(req.scope);
  if (scope.kind === 'region') {
    // A region nobody has is almost always a typo: refuse it rather than issue a desk that sees nothing.
    const stores = await db.selectFrom('stores').select('data').execute();
    if (!stores.some((s) => (JSON.parse(s.data) as { region: string }).region === scope.region))
      throw new ServerError('not_found', `No store is in region "${scope.region}".`);
  }
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const expiresAt = new Date(
    now.getTime() + (req.ttlMinutes ?? DEFAULT_TTL_MINUTES) * 60_000,
  ).toISOString();
  await db
    .insertInto('desk_enrollment_codes')
    .values({
      code_hash: sha256Hex(normalizeCode(code)),
      scope: req.scope,
      role: req.role,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      desk_id: null,
    })
    .execute();
  return { code, expiresAt, scope: req.scope, role: req.role };
}

export async function enrollDesk(
  db: Kysely<ServerSchema>,
  input: unknown,
  now: Date,
  policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
): Promise<DeskEnrollResponse> {
  const req = parseInput(deskEnrollRequest, input, 'The desk enrollment request');
  try {
    publicKeyFromRaw(req.publicKey);
  } catch {
    throw new ServerError('invalid_input', 'The desk public key is not a valid Ed25519 key.');
  }
  // Whole seconds: the expiry the token's text carries, so both say the same time.
  const expiresAt = new Date(Math.floor((now.getTime() + policy.deviceLifetimeMs) / 1000) * 1000);
  const token = newDeskToken(expiresAt);
  return db.transaction().execute(async (trx) => {
    // Claim the code first (a write), so two desks racing for one code cannot both win.
    const claimed = await trx
      .updateTable('desk_enrollment_codes')
      .set({ used_at: now.toISOString(), desk_id: req.deskId })
      .where('code_hash', '=', sha256Hex(normalizeCode(req.code)))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returning(['scope', 'role'])
      .executeTakeFirst();
    if (!claimed)
      throw new ServerError(
        'enrollment_code_invalid',
        'This desk enrollment code is unknown, expired or already used. Ask an administrator for a new one.',
      );
    const taken =
      (await trx
        .selectFrom('desks')
        .select('id')
        .where('id', '=', req.deskId)
        .executeTakeFirst()) ??
      (await trx
        .selectFrom('devices')
        .select('id')
        .where('id', '=', req.deskId)
        .executeTakeFirst());
    if (taken)
      throw new ServerError('device_id_taken', `The id ${req.deskId} is already enrolled.`);
    await trx
      .insertInto('desks')
      .values({
        id: req.deskId,
        scope: claimed.scope,
        role: claimed.role,
        public_key: req.publicKey,
        name: req.name ?? null,
        enrolled_at: now.toISOString(),
        revoked_at: null,
      })
      .execute();
    await trx
      .insertInto('tokens')
      .values({
        token_hash: tokenHash(token),
        kind: 'desk',
        device_id: req.deskId,
        store_id: null,
        label: req.name ?? null,
        created_at: now.toISOString(),
        revoked_at: null,
      })
      .execute();
    return {
      deskId: req.deskId,
      deskToken: token,
      scope: claimed.scope,
      role: claimed.role as DeskRole,
      expiresAt: expiresAt.toISOString(),
    };
  });
}
