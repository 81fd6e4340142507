/**
 * Evidence files other consoles of the store cited (a result's photo, a
 * sign-off's signature) arrive with the feed as evidence_files rows, their
 * bytes still on the other console. Each sync cycle, after the feed, this
 * fetches the missing ones from the central server (GET
 * /v1/store/evidence/:sha256, scope-checked there), checks they hash to
 * their address and length, and stores them in the console's own
 * content-addressed evidence store, exactly like local evidence.
 *
 * Never blocking: the feed is applied first and a failure here is logged,
 * never thrown; a file not fetched stays missing and is tried again next
 * cycle (a bounded number per cycle), so an interrupted cycle resumes.
 */
import { dirname } from 'node:path';
import { storeEvidencePath } from '../../shared/checklists/evidenceProtocol.ts';
import { createEvidenceStore, sha256OfBytes } from '../checklists/evidenceStore.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import type { FetchLike } from './client.ts';

/** Files fetched per cycle at most: a console catching up spreads them over a few cycles. */
const EVIDENCE_DOWNLOADS_PER_CYCLE = 50;

export type EvidenceDownloadOutcome = { fetched: number; stillMissing: number };

/** Evidence cited by other consoles' events whose bytes this console does not hold, oldest first. */
function missingForeignEvidence(db: Db): Array<{ sha256: string; byteLength: number }> {
  const store = createEvidenceStore(dirname(db.file));
  const rows = db.sqlite
    .prepare(
      `SELECT e.sha256, e.byte_length AS byteLength FROM evidence_files e
       JOIN foreign_events f ON f.event_id = e.event_id ORDER BY f.log_index`,
    )
    .all() as Array<{ sha256: string; byteLength: number }>;
  return rows.filter((r) => store.read(r.sha256) === null);
}

export async function downloadForeignEvidence(options: {
  db: Db;
  serverUrl: string;
  token: string;
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
  log: Logger;
}): Promise<EvidenceDownloadOutcome> {
  const { db, log } = options;
  const doFetch = options.fetch ?? fetch;
  const base = options.serverUrl.replace(/\/+$/, '');
  const store = createEvidenceStore(dirname(db.file));
  let missing: Array<{ sha256: string; byteLength: number }>;
  try {
    missing = missingForeignEvidence(db);
  } catch (error) {
    log.warn({ err: error }, 'could not list the evidence files to fetch');
    return { fetched: 0, stillMissing: 0 };
  }
  let fetched = 0;
  for (const file of missing.slice(0, EVIDENCE_DOWNLOADS_PER_CYCLE)) {
    try {
      const response = await doFetch(`${base}${storeEvidencePath(file.sha256)}`, {
        headers: { authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      if (!response.ok) {
        log.warn(
          { sha256: file.sha256, status: response.status },
          'evidence file not fetched; tried again next sync',
        );
        continue;
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      if (sha256OfBytes(bytes) !== file.sha256 || bytes.length !== file.byteLength) {
        // Never stored: the record names exactly these bytes, and anything else is not its evidence.
        log.warn({ sha256: file.sha256 }, 'evidence file from the server does not match its hash');
        continue;
      }
      store.put(bytes);
      fetched += 1;
    } catch (error) {
      log.warn(
        { err: error, sha256: file.sha256 },
        'evidence file not fetched; tried again next sync',
      );
    }
  }
  return { fetched, stillMissing: missing.length - fetched };
}
