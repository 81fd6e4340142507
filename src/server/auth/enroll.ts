/**
 * Enrollment: an admin issues a single-use, expiring code for one store; a
 * console trades it, with its device id and Ed25519 public key, for a
 * store-scoped device token.
 */
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GENESIS_PREV } from '../../shared/audit/event.ts';
import { enrollRequest, type EnrollResponse } from '../../shared/sync/protocol.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import { publicKeyFromRaw, sha256Hex, type LogKey } from '../log/keys.ts';
import { newToken, tokenHash } from './tokens.ts';

// Crockford base32 without I, L, O, U: easy to read aloud and type.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DEFAULT_ENROLLMENT_TTL_MINUTES = 24 * 60;

function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export async function issueEnrollmentCode(
  db: Kysely<ServerSchema>,
  storeId: string,
  options: { ttlMinutes?: number; now: Date },
): Promise<{ code: string; expiresAt: string }> {
  const store = await db
    .selectFrom('stores')
    .select('id')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!store)
    throw new ServerError('not_found', `There is no store ${storeId}; create or import it first.`);
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const expiresAt = new Date(
    options.now.getTime() + (options.ttlMinutes ?? DEFAULT_ENROLLMENT_TTL_MINUTES) * 60_000,
  ).toISOString();
  await db
    .insertInto('enrollment_codes')
    .values({
      code_hash: sha256Hex(normalizeCode(code)),
      store_id: storeId,
      created_at: options.now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      device_id: null,
    })
    .execute();
  return { code, expiresAt };
}

export async function enrollDevice(
  db: Kysely<ServerSchema>,
  key: LogKey,
  input: unknown,
  now: Date,
): Promise<EnrollResponse> {
  const req = parseInput(enrollRequest, input, 'The enrollment request');
  // The log's own entries use this device id; a console holding it could pass as the server.
  if (req.deviceId === SERVER_DEVICE_ID)
    throw new ServerError(
      'invalid_input',
      `The device id "${SERVER_DEVICE_ID}" is reserved for the central log's own entries; the console must use another.`,
    );
  try {
    publicKeyFromRaw(req.publicKey);
  } catch {
    throw new ServerError('invalid_input', 'The device public key is not a valid Ed25519 key.');
  }
  const token = newToken('device');
  return db.transaction().execute(async (trx) => {
    const codeHash = sha256Hex(normalizeCode(req.code));
    // Claim the code first (a write), so two consoles racing for one code cannot both win.
    const claimed = await trx
      .updateTable('enrollment_codes')
      .set({ used_at: now.toISOString(), device_id: req.deviceId })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returning(['store_id'])
      .executeTakeFirst();
    if (!claimed) {
      throw new ServerError(
        'enrollment_code_invalid',
        'This enrollment code is unknown, expired or already used. Ask an administrator for a new one.',
      );
    }
    const storeId = claimed.store_id;
    let name = req.name ?? null;
    const existing = await trx
      .selectFrom('devices')
      .selectAll()
      .where('id', '=', req.deviceId)
      .executeTakeFirst();
    let lastSeq = 0;
    if (existing) {
      name = req.name ?? existing.name;
      // Re-enrolling the same device (lost token): same key and store only, so nobody can take over a device's history.
      if (
        existing.public_key !== req.publicKey ||
        existing.store_id !== storeId ||
        existing.revoked_at !== null
      ) {
        throw new ServerError(
          'device_id_taken',
          `Device id ${req.deviceId} is already enrolled with another key or store, or was revoked.`,
        );
      }
      lastSeq = Number(existing.last_seq);
      // A new name given at re-enrollment replaces the old one; none keeps it.
      if (req.name !== undefined && req.name !== existing.name)
        await trx
          .updateTable('devices')
          .set({ name: req.name })
          .where('id', '=', req.deviceId)
          .execute();
      await trx
        .updateTable('tokens')
        .set({ revoked_at: now.toISOString() })
        .where('device_id', '=', req.deviceId)
        .where('revoked_at', 'is', null)
        .execute();
    } else {
      name = req.name ?? (await defaultDeviceName(trx, storeId));
      await trx
        .insertInto('devices')
        .values({
          id: req.deviceId,
          store_id: storeId,
          public_key: req.publicKey,
          name,
          enrolled_at: now.toISOString(),
          revoked_at: null,
          last_seq: 0,
          last_hash: GENESIS_PREV,
        })
        .execute();
    }
    await trx
      .insertInto('tokens')
      .values({
        token_hash: tokenHash(token),
        kind: 'device',
        device_id: req.deviceId,
        store_id: storeId,
        label: name,
        created_at: now.toISOString(),
        revoked_at: null,
      })
      .execute();
    return {
      deviceId: req.deviceId,
      deviceToken: token,
      storeId,
      logId: key.logId,
      logPublicKey: key.publicKey,
      lastSeq,
    };
  });
}

/**
 * A console that sends no name is named after its store and a number
 * ("st-par-01 console 2"), not after its computer: store PCs are often all
 * called the same.
 */
async function defaultDeviceName(db: Kysely<ServerSchema>, storeId: string): Promise<string> {
  const row = await db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('store_id', '=', storeId)
    .executeTakeFirstOrThrow();
  return `${storeId} console ${Number(row.count) + 1}`;
}

export async function revokeDevice(
  db: Kysely<ServerSchema>,
  deviceId: string,
  now: Date,
): Promise<void> {
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0)
    throw new ServerError('not_found', `There is no device ${deviceId}.`);
  await db
    .updateTable('tokens')
    .set({ revoked_at: now.toISOString() })
    .where('device_id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .execute();
}
