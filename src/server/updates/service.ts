/**
 * Console self-update, central side: signed update manifests and the update
 * policy of the catalog.
 *
 * A manifest (version, channel, files with size and SHA-512) is signed with
 * the central log's key over its JCS text, the scheme of the tree heads, so a
 * console checks it with the key it already trusts. A published version
 * never changes: publishing the same files again answers the stored manifest,
 * other files for the same version and channel are refused (`conflict`).
 *
 * The update policy (channel per ring, staged percentage, pins, downgrades)
 * is a catalog change like the PIN policy; every pin and downgrade must name
 * a version published on the channel its store or ring follows.
 */
import type { AdminActedBy } from '../admins/actions.ts';
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import { appendServerEntry } from '../log/serverEntry.ts';
import type { JsonValue } from '../../shared/audit/event.ts';
import { recordChanges } from '../catalog/service.ts';
import { RINGS, type Ring } from '../../shared/domain/releases.ts';
import {
  manifestSigningText,
  publishUpdateInput,
  type SignedUpdateManifest,
  type UpdateManifest,
} from '../../shared/updates/manifest.ts';
import {
  CONSOLE_UPDATE_POLICY_ID,
  UPDATE_CHANNELS,
  consoleUpdatePolicy,
  type ConsoleUpdatePolicy,
  type PolicyScope,
  type UpdateChannel,
} from '../../shared/updates/policy.ts';

type Db = Kysely<ServerSchema>;

function toSigned(row: {
  manifest: string;
  signature: string;
  log_index: number | string | bigint | null;
}): SignedUpdateManifest {
  return {
    manifest: JSON.parse(row.manifest) as UpdateManifest,
    signature: row.signature,
    logIndex: row.log_index === null ? null : Number(row.log_index),
  };
}

/** Refuses a channel that is not one the console follows, with the ones that are. */
function parseChannel(channel: string): UpdateChannel {
  if ((UPDATE_CHANNELS as readonly string[]).includes(channel)) return channel as UpdateChannel;
  throw new ServerError(
    'invalid_input',
    `There is no update channel "${channel.slice(0, 40)}": the channels are ${UPDATE_CHANNELS.join(', ')}.`,
  );
}

/** Signs and stores a manifest; the same files again answer the stored one. */
export async function publishUpdateManifest(
  db: Db,
  key: LogKey,
  input: unknown,
  now: Date,
  /** The administrator publishing: their entry names them (src/server/admins/actions.ts). */
  actedBy: AdminActedBy,
): Promise<SignedUpdateManifest> {
  const body = parseInput(publishUpdateInput, input, 'The update manifest');
  const names = new Set(body.files.map((f) => f.name));
  if (names.size !== body.files.length)
    throw new ServerError('invalid_input', 'The update manifest names a file twice.');
  const existing = await db
    .selectFrom('update_manifests')
    .select(['manifest', 'signature', 'log_index'])
    .where('channel', '=', body.channel)
    .where('version', '=', body.version)
    .executeTakeFirst();
  if (existing) {
    const stored = toSigned(existing);
    if (sameFiles(stored.manifest, body.files)) return stored;
    throw new ServerError(
      'conflict',
      `Console ${body.version} is already published on ${body.channel} with other files; a published version never changes. Publish a new version instead.`,
    );
  }
  const manifest: UpdateManifest = {
    kind: 'update-manifest',
    v: 1,
    logId: key.logId,
    version: body.version,
    channel: body.channel,
    files: body.files,
    publishedAt: now.toISOString(),
  };
  const text = manifestSigningText(manifest);
  const signature = key.sign(text);
  // The manifest and its server entry commit together: a published manifest
  // is always in the log, so every update a console installs is provable.
  await db
    .transaction()
    .execute(async (trx) => {
      const entry = await appendServerEntry(trx, key, {
        type: UPDATE_PUBLISHED_TYPE,
        payload: { manifest: JSON.parse(text) as JsonValue, signature, actedBy },
        at: now,
      });
      const stored = await trx
        .insertInto('update_manifests')
        .values({
          channel: body.channel,
          version: body.version,
          manifest: text,
          signature,
          published_at: manifest.publishedAt,
          log_index: entry.index,
        })
        .onConflict((oc) => oc.columns(['channel', 'version']).doNothing())
        .returning('version')
        .executeTakeFirst();
      // Another publisher stored this version first: drop this entry with the transaction.
      if (!stored) throw new LostRace();
    })
    .catch((error: unknown) => {
      if (!(error instanceof LostRace)) throw error;
    });
  // Two publishers at once: whichever stored first wins, the other gets it (or a conflict).
  return publishUpdateManifest(db, key, body, now, actedBy);
}

/** The event type of a manifest's server entry; its payload is the signed manifest and its signature. */
const UPDATE_PUBLISHED_TYPE = 'console.update.published';

/** A second publisher of the same version lost the race: its transaction is rolled back. */
class LostRace extends Error {}

function sameFiles(a: UpdateManifest, files: UpdateManifest['files']): boolean {
  const key = (f: UpdateManifest['files'][number]) => `${f.name}\n${f.size}\n${f.sha512}`;
  const left = a.files.map(key).sort();
  const right = files.map(key).sort();
  return left.length === right.length && left.every((x, i) => x === right[i]);
}

/** The signed manifest of one version on one channel. */
export async function readUpdateManifest(
  db: Db,
  channelText: string,
  version: string,
): Promise<SignedUpdateManifest> {
  const channel = parseChannel(channelText);
  const row = await db
    .selectFrom('update_manifests')
    .select(['manifest', 'signature', 'log_index'])
    .where('channel', '=', channel)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row)
    throw new ServerError(
      'not_found',
      `Console ${version.slice(0, 64)} has no update manifest on ${channel}; it was never published there.`,
    );
  return toSigned(row);
}

async function ringOfStore(db: Db, storeId: string): Promise<Ring> {
  const row = await db
    .selectFrom('stores')
    .select('data')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) throw new ServerError('not_found', `There is no store ${storeId}.`);
  const ring = (JSON.parse(row.data) as { ring?: string }).ring;
  return (RINGS as readonly string[]).includes(ring ?? '') ? (ring as Ring) : 'general';
}

/** Publishes the console update policy as a catalog change; a pin or downgrade to an unpublished version is refused. */
export async function setConsoleUpdatePolicy(
  db: Db,
  input: unknown,
  now: Date,
): Promise<ConsoleUpdatePolicy> {
  const policy = parseInput(consoleUpdatePolicy, input, 'The console update policy');
  const channelOf = async (scope: PolicyScope): Promise<UpdateChannel> =>
    policy.channels['ring' in scope ? scope.ring : await ringOfStore(db, scope.storeId)];
  const named = [
    ...policy.pins.map((p) => ({ scope: p.scope, version: p.version, what: 'pinned to' })),
    ...policy.downgrades.map((d) => ({
      scope: d.scope,
      version: d.toVersion,
      what: 'allowed back to',
    })),
  ];
  for (const entry of named) {
    const channel = await channelOf(entry.scope);
    const found = await db
      .selectFrom('update_manifests')
      .select('version')
      .where('channel', '=', channel)
      .where('version', '=', entry.version)
      .executeTakeFirst();
    if (!found) {
      const where =
        'ring' in entry.scope ? `ring ${entry.scope.ring}` : `store ${entry.scope.storeId}`;
      throw new ServerError(
        'invalid_input',
        `The ${where} cannot be ${entry.what} console ${entry.version}: that version was never published on ${channel}, the channel it follows. Nothing was changed.`,
      );
    }
  }
  await db.transaction().execute(async (trx) => {
    await recordChanges(
      trx,
      [
        {
          entity: 'consoleUpdatePolicy',
          entity_id: CONSOLE_UPDATE_POLICY_ID,
          op: 'upsert',
          store_id: null,
          value: JSON.stringify(policy),
        },
      ],
      now,
    );
  });
  return policy;
}
