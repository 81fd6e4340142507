/**
 * Server entries: entries of the central log written by the server itself,
 * not by a console (the first: `console.update.published`, one per signed
 * update manifest). They use the event format unchanged, so leaves, hashes
 * and RFC 9162 proofs are the same as for device events. They form their own
 * chain under the reserved device id `server`, and each one is vouched for by
 * a checkpoint signed with the log's Ed25519 key (the key of the tree heads).
 * No console can enrol as `server`, so an auditor accepts an entry of that
 * device only when its device line carries the log key and a checkpoint
 * signed with it covers the entry. The actor rule and quarantine skip them:
 * they are no device event.
 *
 * An entry about one store (a desk action: src/server/desk/actions.ts)
 * carries that store's id, so it flows in that store's feed like the store's
 * own devices' events; the console accepts it on the feed proof against the
 * tree head it verified with the log key, and, because the server's chain
 * holds every store's entries, without asking for the links in between.
 * Entries about no store carry `*central*` and reach no feed.
 */
/** The reserved device id of server entries; enrolment refuses it. */
export const SERVER_DEVICE_ID = 'server';
/** The store id of server entries about no store: no store can have it, so no store's feed holds them. */
export const SERVER_STORE_ID = '*central*';
/** The actor named by server entries: the server, not a catalog user. */
export const SERVER_ACTOR = { userId: 'server', role: 'admin' } as const;
