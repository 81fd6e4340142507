/**
 * What a bug report carries besides the person's words: the console's
 * version, the store's terminals with their release and ring, the feature
 * flags of those releases, what was selected, the last 50 journal events as
 * breadcrumbs (type and time only, never a payload) and the last lines of the
 * console's log. Built from named fields only, and the log lines are
 * scrubbed, so a PIN, token or key never leaves in a report.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { ReportContext } from '../../shared/feedback/events.ts';
import type { Db } from '../db/open.ts';

const BREADCRUMBS = 50;
const LOG_LINES = 100;
const LOG_TAIL_BYTES = 64 * 1024;
const MAX_LINE = 2000;

export type ContextOptions = {
  appVersion: string;
  storeId: string;
  selection: ReportContext['selection'];
  logFile: string | null;
  includeBreadcrumbs: boolean;
  includeLog: boolean;
  /** Exact values that must never leave (device token, desk token, private key forms). */
  secrets: readonly string[];
};

// Keys whose values are secrets in any JSON log line, whatever logged them.
const SECRET_FIELD =
  /("(?:[A-Za-z_]*(?:pin|token|secret|password|authorization|privateKey|private_key|cookie)[A-Za-z_]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** One log line with every known secret and every secret-named field blanked. */
export function scrubLine(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out.replace(SECRET_FIELD, '$1"[redacted]"').replace(BEARER, '$1 [redacted]');
}

function logTail(file: string | null, secrets: readonly string[]): string[] {
  if (file === null || !existsSync(file)) return [];
  const size = statSync(file).size;
  const length = Math.min(size, LOG_TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').split('\n');
  // The first line may be cut by the window; drop it unless the file is whole.
  if (size > length) lines.shift();
  return lines
    .filter((l) => l.trim().length > 0)
    .slice(-LOG_LINES)
    .map((l) => scrubLine(l, secrets).slice(0, MAX_LINE));
}

export function buildReportContext(db: Db, options: ContextOptions): ReportContext {
  const terminals = db.sqlite
    .prepare(
      `SELECT terminal_id AS terminalId, terminal_name AS name, version, release_id AS releaseId, ring
       FROM terminal_current WHERE store_id = ? ORDER BY terminal_name, terminal_id LIMIT 200`,
    )
    .all(options.storeId) as ReportContext['terminals'];
  const featureFlags = db.sqlite
    .prepare(
      `SELECT DISTINCT f.key || ' (' || coalesce(r.version, f.release_id) || ')' FROM feature_flags f
       LEFT JOIN releases r ON r.id = f.release_id
       WHERE f.release_id IN (SELECT release_id FROM terminal_current WHERE store_id = ?)
       ORDER BY 1 LIMIT 200`,
    )
    .pluck()
    .all(options.storeId) as string[];
  const breadcrumbs = options.includeBreadcrumbs
    ? (
        db.sqlite
          .prepare('SELECT seq, at, type FROM journal ORDER BY seq DESC LIMIT ?')
          .all(BREADCRUMBS) as ReportContext['breadcrumbs']
      ).reverse()
    : [];
  return {
    appVersion: options.appVersion.slice(0, 64),
    terminals,
    featureFlags,
    selection: options.selection,
    breadcrumbs,
    logTail: options.includeLog ? logTail(options.logFile, options.secrets) : [],
  };
}
