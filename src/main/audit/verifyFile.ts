/**
 * What `npm run audit:verify -- FILE` runs: recognises a console database or
 * a JSON Lines file (the console's plain journal export, or the central
 * server's audit bundle) and verifies it, naming the first broken event.
 */
import {
  centralActionsOf,
  describeCentralActions,
  type CentralAction,
} from '../../shared/audit/centralActions.ts';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { verifyChainTexts, type AuditEventBody } from '../../shared/audit/event.ts';
import {
  BUNDLE_FORMAT,
  verifyBundle,
  type BundleEvent,
  type BundleVerification,
} from '../../shared/audit/bundle.ts';
import { fileLines } from './fileLines.ts';
import { JOURNAL_EXPORT_KIND, type JournalExportHeader, type JournalExportLine } from './export.ts';
import { sha256Hex } from './journal.ts';
import { nodeBundleCrypto } from './nodeBundleCrypto.ts';
import { verifyDatabaseFile, type VerifyOutcome } from './verifyDatabase.ts';

export const AUDIT_FILE_KINDS = ['database', 'journal-export', 'bundle', 'unknown'] as const;
export type AuditFileKind = (typeof AUDIT_FILE_KINDS)[number];

export type FileReport = VerifyOutcome & { file: string; kind: AuditFileKind; detail?: string };

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function readPrefix(file: string, length: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function broken(
  reason: string,
  seq: number | null = null,
  id: string | null = null,
): VerifyOutcome {
  return { ok: false, seq, id, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isExportLine(value: unknown): value is JournalExportLine {
  return (
    isRecord(value) &&
    Number.isSafeInteger(value.seq) &&
    typeof value.body === 'string' &&
    typeof value.hash === 'string'
  );
}

function idOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as Partial<AuditEventBody> | null;
    return typeof parsed?.id === 'string' ? parsed.id : null;
  } catch {
    return null;
  }
}

/** Verifies the console's plain export: header (optional), then `{seq, body, hash}` lines. */
function verifyJournalExportText(text: string): VerifyOutcome {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let header: JournalExportHeader | null = null;
  const records: JournalExportLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    let value: unknown;
    try {
      value = JSON.parse(lines[i]!);
    } catch {
      return broken(`line ${i + 1} is not valid JSON`);
    }
    if (i === 0 && isRecord(value) && value.kind === JOURNAL_EXPORT_KIND) {
      if (value.v !== 1) return broken(`the export has unknown format version ${String(value.v)}`);
      header = value as JournalExportHeader;
      continue;
    }
    if (!isExportLine(value))
      return broken(`line ${i + 1} is not a journal event line ({seq, body, hash})`);
    records.push(value);
  }
  const result = verifyChainTexts(
    records,
    sha256Hex,
    header?.deviceId ? { deviceId: header.deviceId } : {},
  );
  if (!result.ok) {
    const record = records.find((r) => r.seq === result.seq);
    return broken(result.reason, result.seq, result.id ?? (record ? idOf(record.body) : null));
  }
  const deviceId = records.length > 0 ? idOfDevice(records[0]!.body) : (header?.deviceId ?? null);
  if (header !== null) {
    // The header is unsigned; it still catches a file cut short or extended.
    if (header.count !== result.count)
      return broken(
        `the header announces ${header.count} events but the file holds ${result.count}`,
      );
    if (header.head !== result.head)
      return broken(
        `the header's head ${header.head} is not the hash of the last event (${result.head})`,
      );
  }
  return { ok: true, count: result.count, head: result.head, deviceId };
}

function idOfDevice(body: string): string | null {
  const parsed = JSON.parse(body) as Partial<AuditEventBody>;
  return typeof parsed.deviceId === 'string' ? parsed.deviceId : null;
}

export function verifyAuditFile(file: string): FileReport {
  let prefix: string;
  try {
    prefix = readPrefix(file, 16);
  } catch (error) {
    return {
      file,
      kind: 'unknown',
      ...broken(`the file cannot be read (${(error as Error).message})`),
    };
  }
  if (prefix === SQLITE_MAGIC) return { file, kind: 'database', ...verifyDatabaseFile(file) };
  let firstLine = '';
  for (const line of fileLines(file)) {
    firstLine = line;
    break;
  }
  let first: unknown;
  try {
    first = JSON.parse(firstLine);
  } catch {
    return {
      file,
      kind: 'unknown',
      ...broken('the file is neither a console database nor a JSON Lines audit file'),
    };
  }
  if (isRecord(first) && (first.kind === JOURNAL_EXPORT_KIND || isExportLine(first))) {
    return { file, kind: 'journal-export', ...verifyJournalExportText(readFileSync(file, 'utf8')) };
  }
  if (isRecord(first) && first.kind === 'header' && first.format === BUNDLE_FORMAT) {
    return { file, kind: 'bundle', ...verifyBundleFile(file) };
  }
  return {
    file,
    kind: 'unknown',
    ...broken('the first line is neither a journal export header nor an audit bundle header'),
  };
}

/** Human summary: one line an operator can act on. */
export function describeReport(report: FileReport): string {
  const what =
    report.kind === 'database'
      ? 'console database'
      : report.kind === 'journal-export'
        ? 'journal export'
        : report.kind === 'bundle'
          ? 'audit bundle'
          : 'file';
  if (report.ok && report.detail) return `OK ${what} ${report.file}: ${report.detail}`;
  if (report.ok) {
    return `OK ${what} ${report.file}: ${report.count} events verified${report.deviceId ? ` (device ${report.deviceId})` : ''}, head ${report.head}`;
  }
  const where =
    report.seq === null
      ? ''
      : ` at event seq ${report.seq}${report.id ? ` (id ${report.id})` : ''}`;
  return `BROKEN ${what} ${report.file}${where}: ${report.reason}`;
}

/** Names the event on a failing bundle line, when that line is an event. */
function eventOnLine(text: string | undefined): {
  seq: number | null;
  id: string | null;
  deviceId: string | null;
} {
  try {
    const parsed = JSON.parse(text ?? '') as Partial<BundleEvent> | null;
    const event = parsed?.kind === 'event' ? parsed.event : undefined;
    return {
      seq: typeof event?.seq === 'number' ? event.seq : null,
      id: typeof event?.id === 'string' ? event.id : null,
      deviceId: typeof event?.deviceId === 'string' ? event.deviceId : null,
    };
  } catch {
    return { seq: null, id: null, deviceId: null };
  }
}

/** The central server's audit bundle (shared/audit/bundle.ts), verified with node:crypto. */
export function verifyBundleText(text: string): BundleReport {
  const lines = text.split('\n');
  return bundleReport(
    verifyBundle(lines, nodeBundleCrypto),
    (line) => lines[line - 1],
    () => centralActionsOf(lines),
  );
}

/**
 * What the CLI runs on a bundle file: the same verification as
 * verifyBundleText, reading the file a chunk at a time instead of as one
 * string (a 100,000-event bundle is ~175 MB). On a failure the file is read
 * again up to the failing line, to name its event.
 */
export function verifyBundleFile(file: string): BundleReport {
  return bundleReport(
    verifyBundle(fileLines(file), nodeBundleCrypto),
    (line) => {
      let n = 0;
      for (const text of fileLines(file)) if (++n === line) return text;
      return undefined;
    },
    () => centralActionsOf(fileLines(file)),
  );
}

type BundleReport = VerifyOutcome & { line?: number; detail?: string };

function bundleReport(
  result: BundleVerification,
  lineText: (line: number) => string | undefined,
  /** Read only once the bundle verified: who took the central actions it holds. */
  centralActions: () => CentralAction[],
): BundleReport {
  if (result.ok) {
    const central = describeCentralActions(centralActions());
    return {
      ok: true,
      count: result.events,
      head: result.treeHead.root,
      deviceId: null,
      detail: `${count(result.events, 'event')} from ${count(result.devices, 'device')}, ${count(result.checkpoints, 'signed checkpoint')}, all included in the log's signed tree head of size ${result.treeHead.size} (root ${result.treeHead.root}, signed ${result.treeHead.at})${whoActed(result)}${central ? `; ${central}` : ''}`,
    };
  }
  const event = eventOnLine(lineText(result.line));
  const device = event.deviceId ? ` of device ${event.deviceId}` : '';
  return {
    ok: false,
    seq: event.seq,
    id: event.id,
    line: result.line,
    reason: `line ${result.line}${device}: ${result.reason}`,
  };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** What the read models rely on: the actor rule's verdicts and the sign-offs' evidence. */
function whoActed(result: Extract<BundleVerification, { ok: true }>): string {
  const parts: string[] = [];
  if (result.actorChecked !== null)
    parts.push(
      `${count(result.actorChecked, 'event')} judged by the actor rule, ${count(result.quarantined, 'quarantined event')} each breaking it`,
    );
  if (result.signOffs > 0)
    parts.push(`${count(result.signOffs, 'sign-off')} bound to the evidence events they name`);
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}
