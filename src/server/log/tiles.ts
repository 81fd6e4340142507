/**
 * The central log in the C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles),
 * beside the RFC 9162 proof endpoints, so an auditor can mirror it with
 * standard tools and plain files:
 *
 * - `checkpoint`: the newest signed tree head as a C2SP tlog-checkpoint, a
 *   signed note (https://c2sp.org/signed-note) with the log key's Ed25519
 *   signature;
 * - `tile/<L>/<N>[.p/<W>]`: 256 (or W) consecutive Merkle tree hashes at tree
 *   height 8·L — leaf hashes at level 0, stored merkle_nodes rows above;
 * - `tile/entries/<N>[.p/<W>]`: the leaves' data, which for this log is each
 *   event's 32-byte hash (the leaf hash is SHA-256(0x00 ‖ event hash), as in
 *   every proof the server gives). The events themselves stay behind the
 *   auditor token (`/v1/log/entries`): they carry store data, tiles do not.
 *
 * Tiles are computed on request from what the log already stores; a full
 * tile never changes, so it is served with a long cache lifetime.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import type { LogKey } from './keys.ts';
import { eventLeafHashes, readLogHead } from './merkleLog.ts';

/** Hashes per full tile; a tile spans 8 tree levels. */
export const TILE_WIDTH = 256;
const TILE_HEIGHT = 8;
const MAX_TILE_LEVEL = 63;

export type TileRef =
  | { kind: 'hashes'; level: number; index: number; width: number }
  | { kind: 'entries'; index: number; width: number };

/**
 * Reads `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]` (the part after `tile/`)
 * strictly as the specification spells it: no leading zeros, `x`-prefixed
 * 3-digit groups, a partial width of 1–255.
 */
export function parseTilePath(path: string): TileRef {
  const bad = (why: string) =>
    new ServerError('invalid_input', `"tile/${path.slice(0, 200)}" is not a tile path: ${why}.`);
  const parts = path.split('/');
  const head = parts.shift();
  let level: number | 'entries';
  if (head === 'entries') level = 'entries';
  else if (head !== undefined && /^(0|[1-9][0-9]?)$/.test(head) && Number(head) <= MAX_TILE_LEVEL)
    level = Number(head);
  else throw bad('the level is a number from 0 to 63 or "entries"');

  let width = TILE_WIDTH;
  const last = parts[parts.length - 1];
  if (parts.length >= 2 && parts[parts.length - 2]?.endsWith('.p') && last !== undefined) {
    if (!/^[1-9][0-9]{0,2}$/.test(last) || Number(last) >= TILE_WIDTH)
      throw bad('a partial tile\'s width is 1 to 255, as in ".p/17"');
    width = Number(last);
    parts.pop();
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -'.p'.length);
  }
  if (parts.length === 0) throw bad('the index is missing');
  let index = 0;
  parts.forEach((group, i) => {
    const isLast = i === parts.length - 1;
    const digits = isLast ? group : group.startsWith('x') ? group.slice(1) : null;
    if (digits === null || !/^[0-9]{3}$/.test(digits))
      throw bad('the index is 3-digit groups, all but the last prefixed with "x"');
    index = index * 1000 + Number(digits);
  });
  if (!Number.isSafeInteger(index)) throw bad('the index is too large');
  return level === 'entries'
    ? { kind: 'entries', index, width }
    : { kind: 'hashes', level, index, width };
}

/** The path of a tile after `tile/`: the inverse of parseTilePath. */
export function tilePath(ref: TileRef): string {
  const groups: string[] = [];
  let n = ref.index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  const indexPath = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  const level = ref.kind === 'entries' ? 'entries' : String(ref.level);
  const partial = ref.width < TILE_WIDTH ? `.p/${ref.width}` : '';
  return `${level}/${indexPath}${partial}`;
}

function notInTree(ref: TileRef, size: number): ServerError {
  return new ServerError(
    'not_found',
    `The tile "${tilePath(ref)}" is outside the log, whose size is ${size}: only tiles of a tree size the log has reached exist.`,
  );
}

/**
 * The tile's bytes. A full tile exists once the log covers it; a partial tile
 * of width W exists for the tree sizes that leave exactly W hashes in it,
 * which the log passed (or is at) since it only grows.
 */
export async function readTile(db: Kysely<ServerSchema>, ref: TileRef): Promise<Buffer> {
  const { size } = await readLogHead(db);
  const level = ref.kind === 'entries' ? 0 : ref.level;
  // Leaves covered by one hash of this tile: 256^level, kept exact as a bigint.
  const span = 1n << BigInt(TILE_HEIGHT * level);
  const hashesInTree = BigInt(size) / span;
  const first = BigInt(ref.index) * BigInt(TILE_WIDTH);
  if (first + BigInt(ref.width) > hashesInTree) throw notInTree(ref, size);
  const start = Number(first);
  const end = start + ref.width;

  if (ref.kind === 'entries' || level === 0) {
    const rows = await db
      .selectFrom('log_entries')
      .select(['idx', 'hash'])
      .where('idx', '>=', start)
      .where('idx', '<', end)
      .orderBy('idx')
      .execute();
    if (rows.length !== ref.width) throw missing(ref);
    if (ref.kind === 'entries') {
      // Entry bundle: each entry is a big-endian uint16 length and the entry (the 32-byte event hash).
      const out = Buffer.alloc(ref.width * 34);
      rows.forEach((r, i) => {
        out.writeUInt16BE(32, i * 34);
        out.write(r.hash, i * 34 + 2, 32, 'hex');
      });
      return out;
    }
    return Buffer.concat(eventLeafHashes(rows.map((r) => r.hash)));
  }
  const rows = await db
    .selectFrom('merkle_nodes')
    .select(['idx', 'hash'])
    .where('level', '=', TILE_HEIGHT * level)
    .where('idx', '>=', start)
    .where('idx', '<', end)
    .orderBy('idx')
    .execute();
  if (rows.length !== ref.width) throw missing(ref);
  return Buffer.from(rows.map((r) => r.hash).join(''), 'hex');
}

function missing(ref: TileRef): ServerError {
  return new ServerError(
    'internal',
    `The log's rows behind tile "${tilePath(ref)}" are missing; the server database needs an operator's attention.`,
  );
}

/**
 * The checkpoint origin and note key name: `dearpos/central-log/<first 16
 * hex of the log id>`, so two servers with different keys never share one.
 */
function checkpointOrigin(key: LogKey): string {
  return `dearpos/central-log/${key.logId.slice(0, 16)}`;
}

/** The signed-note key ID of an Ed25519 key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. */
function noteKeyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([0x01]), publicKey]))
    .digest()
    .subarray(0, 4);
}

/** The note verifier key auditors configure: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export function noteVerifierKey(key: LogKey): string {
  const name = checkpointOrigin(key);
  const publicKey = Buffer.from(key.publicKey, 'base64');
  return `${name}+${noteKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([0x01]), publicKey]).toString('base64')}`;
}

/** A tlog-checkpoint for a tree of `size` leaves and `rootHex`, signed with the log key. */
export function checkpointNote(key: LogKey, size: number, rootHex: string): string {
  const origin = checkpointOrigin(key);
  const text = `${origin}\n${size}\n${Buffer.from(rootHex, 'hex').toString('base64')}\n`;
  const publicKey = Buffer.from(key.publicKey, 'base64');
  const signature = Buffer.from(key.sign(text), 'base64');
  const line = Buffer.concat([noteKeyId(origin, publicKey), signature]).toString('base64');
  return `${text}\n\u2014 ${origin} ${line}\n`;
}
