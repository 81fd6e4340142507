/**
 * The log's entries for a SIEM: pages of consecutive entries as JSON Lines
 * or as RFC 5424 syslog lines, read by log index so a reader resumes exactly
 * where it stopped (log/exportCli.ts keeps that cursor on disk). Every entry
 * is exported, quarantined ones with their reason: a forged actor is what a
 * security team most wants to see.
 */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { readLogHead } from './merkleLog.ts';

export const EXPORT_FORMATS = ['jsonl', 'syslog'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const MAX_EXPORT_PAGE = 10_000;

/** RFC 5424: facility 13 (log audit); severity 6 (informational), 4 (warning) for a quarantined entry. */
const PRI_ACCEPTED = 13 * 8 + 6;
const PRI_QUARANTINED = 13 * 8 + 4;
/** The private enterprise number set aside for documentation (RFC 5612): an SD-ID needs one. */
const SD_ID = 'dearpos@32473';
const APP_NAME = 'dearpos-central-log';
const BOM = '\uFEFF';

/** HOSTNAME is 1–255 printable US-ASCII characters, or '-'. */
const HOST =
  hostname()
    .replace(/[^\x21-\x7e]/g, '')
    .slice(0, 255) || '-';

/** SD-PARAM values escape '"', '\' and ']' (RFC 5424 §6.3.3). */
function sdValue(text: string): string {
  return text.replace(/["\\\]]/g, (c) => `\\${c}`);
}

type Row = {
  idx: number;
  device_id: string;
  seq: number;
  store_id: string;
  at: string;
  type: string;
  hash: string;
  body: string;
  quarantine_reason: string | null;
};

function jsonLine(r: Row): string {
  // The body is the event's canonical JSON as hashed: spliced in, not re-serialised.
  return `{"index":${r.idx},"hash":"${r.hash}","quarantine":${JSON.stringify(r.quarantine_reason)},"event":${r.body}}\n`;
}

function syslogLine(r: Row): string {
  const pri = r.quarantine_reason === null ? PRI_ACCEPTED : PRI_QUARANTINED;
  // MSGID: 1–32 printable US-ASCII characters.
  const msgId = r.type.replace(/[^\x21-\x7e]/g, '_').slice(0, 32) || '-';
  const quarantine =
    r.quarantine_reason === null ? '' : ` quarantine="${sdValue(r.quarantine_reason)}"`;
  const sd = `[${SD_ID} index="${r.idx}" hash="${r.hash}" store="${sdValue(r.store_id)}" device="${sdValue(r.device_id)}" seq="${r.seq}"${quarantine}]`;
  return `<${pri}>1 ${r.at} ${HOST} ${APP_NAME} - ${msgId} ${sd} ${BOM}${r.body}\n`;
}

/** Entries [start, start + limit) that exist, one line each, and the index to ask for next. */
export async function exportPage(
  db: Kysely<ServerSchema>,
  query: { start: number; limit: number; format: ExportFormat },
): Promise<{ text: string; next: number; count: number }> {
  const { size } = await readLogHead(db);
  if (query.start > size)
    throw new ServerError(
      'invalid_input',
      `start ${query.start} is beyond the log's size ${size}: resume from an index the log has reached.`,
    );
  const end = Math.min(size, query.start + query.limit);
  const rows =
    end <= query.start
      ? []
      : await db
          .selectFrom('log_entries')
          .select([
            'idx',
            'device_id',
            'seq',
            'store_id',
            'at',
            'type',
            'hash',
            'body',
            'quarantine_reason',
          ])
          .where('idx', '>=', query.start)
          .where('idx', '<', end)
          .orderBy('idx')
          .execute();
  const format = query.format === 'jsonl' ? jsonLine : syslogLine;
  let text = '';
  for (const r of rows) text += format({ ...r, idx: Number(r.idx), seq: Number(r.seq) });
  return { text, next: query.start + rows.length, count: rows.length };
}
