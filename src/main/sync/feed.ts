/**
 * The console's side of the scope feed (shared/sync/feed.ts): after the
 * catalog, each sync cycle reads the other devices' accepted events of this
 * console's store, page by page, checks every page against the tree head the
 * cycle has just verified, and applies it in one transaction.
 *
 * A page is refused whole (nothing of it applied, the cursor unmoved, the
 * reason kept for the Sync screen) when an index is out of order or outside
 * the verified tree, a device's chain has a gap or a broken link, an event's
 * hash does not match its body, an event belongs to another store or to this
 * console, or the page's feed proof does not lead to the verified root.
 * Applying a page twice changes nothing: an entry already held (same index,
 * same hash) is skipped.
 */
import { hash as oneShotHash } from 'node:crypto';
import { sha256Hex } from '../audit/journal.ts';
import { canonicalEventText } from '../../shared/audit/canonicalEvent.ts';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import {
  GENESIS_PREV,
  type AuditEvent,
  type AuditEventBody,
  type TreeHead,
} from '../../shared/audit/event.ts';
import type { Sha256 } from '../../shared/audit/merkle.ts';
import type { ConsoleTable } from '../../shared/contract/tables.ts';
import { AppError } from '../../shared/errors.ts';
import { rootFromFeedProof, MAX_FEED_PAGE, type FeedResponse } from '../../shared/sync/feed.ts';
import type { Db } from '../db/open.ts';
import type { SyncClient } from './client.ts';
import { applyFeedEntries, reapplyForeignVersions, type FeedApplied } from './feedApply.ts';

/** Why a feed page was refused, machine-readable (stored with the refusal and shown on the Sync screen). */
export const FEED_REFUSAL_CODES = [
  'feed_wrong_index',
  'feed_gap',
  'feed_bad_hash',
  'feed_bad_proof',
  'feed_wrong_store',
  'feed_own_event',
  'feed_tree_head',
] as const;
export type FeedRefusalCode = (typeof FEED_REFUSAL_CODES)[number];

const REFUSAL_PREFIX =
  'The central server sent other consoles’ records that do not check out, so none of that page was applied';

/** A refused feed page: an AppError (code conflict) whose details carry the feed code. */
class FeedPageRefused extends AppError {
  readonly feedCode: FeedRefusalCode;
  constructor(feedCode: FeedRefusalCode, detail: string) {
    super(
      'conflict',
      `${REFUSAL_PREFIX}: ${detail} Sync will try again; if this stays, tell your release manager.`,
      {
        feedCode,
      },
    );
    this.name = 'FeedPageRefused';
    this.feedCode = feedCode;
  }
}

export type CheckedFeedEntry =
  | {
      index: number;
      kind: 'event';
      /** Its payload came out of JSON.parse and its hash matched its canonical text: JSON. */
      event: AuditEvent;
      body: string;
      isHeld: boolean;
    }
  | {
      index: number;
      kind: 'withheld';
      deviceId: string;
      seq: number;
      hash: string;
      reason: string;
      isHeld: boolean;
    };

export type FeedContext = {
  storeId: string;
  deviceId: string;
  /** The tree head this cycle verified (signature and consistency): every page must prove against it. */
  head: TreeHead;
};

// One-shot hashing: about twice as fast as createHash().update().digest() for these small inputs.
const nodeSha256: Sha256 = (data) => oneShotHash('sha256', data, 'buffer');
const leafInput = Buffer.alloc(33);
/** SHA-256(0x00 ‖ event hash) from the hex event hash (RFC 9162 leaf). */
function eventLeaf(eventHashHex: string): Uint8Array {
  leafInput[0] = 0;
  leafInput.write(eventHashHex, 1, 32, 'hex');
  return oneShotHash('sha256', leafInput, 'buffer');
}

export type FeedState = {
  after_index: number | null;
  last_refusal: string | null;
  last_refusal_code: string | null;
  last_refused_at: string | null;
};

export function readFeedState(db: Db): FeedState {
  return db.sqlite
    .prepare(
      'SELECT after_index, last_refusal, last_refusal_code, last_refused_at FROM feed_state WHERE singleton = 1',
    )
    .get() as FeedState;
}

/**
 * Checks a page against this console's state and the verified tree head.
 * Throws FeedPageRefused; writes nothing.
 */
function checkFeedPage(
  db: Db,
  page: FeedResponse,
  after: number | null,
  context: FeedContext,
): CheckedFeedEntry[] {
  const { head } = context;
  if (page.treeHead.treeHead.size !== head.size || page.treeHead.treeHead.root !== head.root) {
    throw new FeedPageRefused(
      'feed_tree_head',
      `it was proved against a tree of size ${page.treeHead.treeHead.size}, not the verified one of size ${head.size}.`,
    );
  }
  const lastOf = db.sqlite.prepare(
    'SELECT seq, hash FROM foreign_events WHERE device_id = ? ORDER BY seq DESC LIMIT 1',
  );
  const heldAt = db.sqlite.prepare(
    'SELECT log_index, hash FROM foreign_events WHERE device_id = ? AND seq = ?',
  );
  const chains = new Map<string, { seq: number; hash: string }>();
  const chainOf = (deviceId: string) => {
    let chain = chains.get(deviceId);
    if (!chain) {
      const row = lastOf.get(deviceId) as { seq: number; hash: string } | undefined;
      chain = row ?? { seq: 0, hash: GENESIS_PREV };
      chains.set(deviceId, chain);
    }
    return chain;
  };

  const checked: CheckedFeedEntry[] = [];
  let previous = after ?? -1;
  for (const entry of page.entries) {
    if (!Number.isSafeInteger(entry.index) || entry.index <= previous || entry.index >= head.size) {
      throw new FeedPageRefused(
        'feed_wrong_index',
        `an entry has log index ${entry.index}, which is not after ${previous} and below the tree size ${head.size}.`,
      );
    }
    previous = entry.index;
    const deviceId = 'event' in entry ? entry.event.deviceId : entry.withheld.deviceId;
    const seq = 'event' in entry ? entry.event.seq : entry.withheld.seq;
    const hash = 'event' in entry ? entry.event.hash : entry.withheld.hash;
    let body = '';
    if ('event' in entry) {
      try {
        // The canonical text leaves `hash` out (it reads only the body's fields).
        body = canonicalEventText(entry.event as AuditEventBody);
      } catch {
        body = '';
      }
      if (body === '' || sha256Hex(body) !== hash) {
        throw new FeedPageRefused(
          'feed_bad_hash',
          `the record at log index ${entry.index} (event ${entry.event.id}) does not match its hash.`,
        );
      }
      if (entry.event.storeId !== context.storeId) {
        throw new FeedPageRefused(
          'feed_wrong_store',
          `the record at log index ${entry.index} belongs to store ${entry.event.storeId}, not ${context.storeId}.`,
        );
      }
    }
    if (deviceId === context.deviceId) {
      throw new FeedPageRefused(
        'feed_own_event',
        `the record at log index ${entry.index} is this console's own.`,
      );
    }
    const chain = chainOf(deviceId);
    let isHeld = false;
    if (seq <= chain.seq) {
      // Already applied: only the very same entry may come again.
      const held = heldAt.get(deviceId, seq) as { log_index: number; hash: string } | undefined;
      if (!held || held.hash !== hash || held.log_index !== entry.index) {
        throw new FeedPageRefused(
          'feed_wrong_index',
          `record #${seq} of device ${deviceId} comes again at log index ${entry.index} with different content.`,
        );
      }
      isHeld = true;
    } else if (deviceId === SERVER_DEVICE_ID) {
      // The server's own chain holds every store's entries and the central ones, so this
      // store sees only some of its links: each entry stands on the feed proof below,
      // against the tree head this cycle verified with the log key, and comes in seq order.
      chains.set(deviceId, { seq, hash });
    } else {
      if (seq !== chain.seq + 1) {
        throw new FeedPageRefused(
          'feed_gap',
          `device ${deviceId} jumps from record #${chain.seq} to #${seq}: ${seq - chain.seq - 1} of its records are missing.`,
        );
      }
      if ('event' in entry && entry.event.prev !== chain.hash) {
        throw new FeedPageRefused(
          'feed_gap',
          `record #${seq} of device ${deviceId} does not follow its record #${chain.seq}.`,
        );
      }
      chains.set(deviceId, { seq, hash });
    }
    checked.push(
      'event' in entry
        ? { index: entry.index, kind: 'event', event: entry.event as AuditEvent, body, isHeld }
        : {
            index: entry.index,
            kind: 'withheld',
            deviceId,
            seq,
            hash,
            reason: entry.withheld.reason,
            isHeld,
          },
    );
  }
  if (page.next !== null && page.next !== checked.at(-1)?.index) {
    throw new FeedPageRefused(
      'feed_wrong_index',
      `the page says the next one starts after index ${page.next}, but its last entry is ${checked.at(-1)?.index ?? 'missing'}.`,
    );
  }
  if (checked.length > 0) {
    const leaves = page.entries.map((e) =>
      eventLeaf('event' in e ? e.event.hash : e.withheld.hash),
    );
    const root = rootFromFeedProof(
      checked.map((e) => e.index),
      leaves,
      head.size,
      page.proof.map((h) => Buffer.from(h, 'hex')),
      nodeSha256,
    );
    if (!root || Buffer.from(root).toString('hex') !== head.root) {
      throw new FeedPageRefused(
        'feed_bad_proof',
        `the page's proof does not lead to the verified central tree head (size ${head.size}): its records are not where the central log has them.`,
      );
    }
  } else if (page.proof.length > 0) {
    throw new FeedPageRefused('feed_bad_proof', 'an empty page came with a proof.');
  }
  return checked;
}

/**
 * Checks and applies one page in one transaction: the entries, the projection
 * of each new event and the cursor move together or not at all.
 */
export function applyFeedPage(
  db: Db,
  page: FeedResponse,
  context: FeedContext,
  now: () => Date,
): FeedApplied {
  const run = db.sqlite.transaction(() => {
    const after = readFeedState(db).after_index;
    const entries = checkFeedPage(db, page, after, context);
    const applied = applyFeedEntries(db, entries, now);
    // Nothing more below the verified size: the next cycle starts above it.
    const cursor = page.next ?? (context.head.size > 0 ? context.head.size - 1 : after);
    db.sqlite
      .prepare(
        'UPDATE feed_state SET after_index = ?, last_refusal = NULL, last_refusal_code = NULL, last_refused_at = NULL WHERE singleton = 1',
      )
      .run(cursor === null ? null : Math.max(cursor, after ?? -1));
    return applied;
  });
  return run.immediate();
}

function recordRefusal(db: Db, error: FeedPageRefused, now: () => Date): void {
  db.sqlite
    .prepare(
      'UPDATE feed_state SET last_refusal = ?, last_refusal_code = ?, last_refused_at = ? WHERE singleton = 1',
    )
    .run(error.message, error.feedCode, now().toISOString());
}

export type FeedPullResult = FeedApplied & { pages: number };

/**
 * Pulls every page below the verified tree head's size. Throws on a refused
 * page (after recording it) or a network failure; pages applied before stay.
 */
export async function pullFeed(options: {
  db: Db;
  client: SyncClient;
  token: string;
  context: FeedContext;
  now: () => Date;
  /** A catalog page changed the catalog this cycle: the fleet was rebuilt from the journal, re-apply foreign versions. */
  hasCatalogChanged: boolean;
  pageSize?: number;
  onPageApplied?: (tables: readonly ConsoleTable[]) => void;
}): Promise<FeedPullResult> {
  const { db, client, token, context, now } = options;
  const total: FeedPullResult = { received: 0, applied: 0, superseded: 0, tables: [], pages: 0 };
  if (options.hasCatalogChanged) {
    const tables = reapplyForeignVersions(db);
    if (tables.length > 0) options.onPageApplied?.(tables);
  }
  const limit = Math.min(options.pageSize ?? MAX_FEED_PAGE, MAX_FEED_PAGE);
  const tables = new Set<ConsoleTable>();
  const fetchPage = (after: number | null) => {
    const request = client.feed(token, { after, limit, size: context.head.size });
    // A prefetched page may be dropped unread (the page before it was refused).
    request.catch(() => undefined);
    return request;
  };
  const start = readFeedState(db).after_index;
  if (context.head.size === 0 || (start ?? -1) >= context.head.size - 1) return total;
  let nextPage: Promise<FeedResponse> | null = fetchPage(start);
  for (let pages = 0; pages < 100_000 && nextPage; pages++) {
    const page: FeedResponse = await nextPage;
    // The server prepares the next page while this one is checked and applied.
    nextPage = page.next === null ? null : fetchPage(page.next);
    let applied: FeedApplied;
    try {
      applied = applyFeedPage(db, page, context, now);
    } catch (error) {
      if (error instanceof FeedPageRefused) recordRefusal(db, error, now);
      throw error;
    }
    total.pages += 1;
    total.received += applied.received;
    total.applied += applied.applied;
    total.superseded += applied.superseded;
    for (const t of applied.tables) tables.add(t);
    if (applied.tables.length > 0) options.onPageApplied?.(applied.tables);
  }
  total.tables = [...tables];
  return total;
}
