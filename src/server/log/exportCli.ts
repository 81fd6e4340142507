/**
 * `npm run log:export -- --server URL --out FILE [--format jsonl|syslog] [--follow]`
 * (the auditor token in DEARPOS_AUDITOR_TOKEN)
 *
 * Copies the central log's entries into FILE for a SIEM, page by page from
 * GET /v1/log/export, and can be killed at any moment (kill -9, power loss)
 * and run again with the same arguments: nothing is missing and nothing is
 * written twice. After each page the file is fsynced, then a cursor file
 * (`FILE.cursor`: the next log index and the file's length at that point) is
 * replaced atomically; a restart cuts FILE back to the cursor's length, so a
 * page written but not yet acknowledged by the cursor is written again once.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

type Cursor = { next: number; bytes: number; format: string };

export const EXPORT_USAGE = `Usage: npm run log:export -- --server <url> --out <file> [--format jsonl|syslog] [--follow]

Copies the central log's entries into <file> (JSON Lines or RFC 5424 syslog),
resumable: run it again after any interruption and it continues where the
cursor file <file>.cursor says. Needs an auditor token in DEARPOS_AUDITOR_TOKEN.

  --follow          keep polling for new entries every 5 s instead of stopping at the end
  --page-size <n>   entries per request (default and maximum 10000)
`;

function readCursor(path: string): Cursor | null {
  if (!existsSync(path)) return null;
  const cursor = JSON.parse(readFileSync(path, 'utf8')) as Cursor;
  if (!Number.isSafeInteger(cursor.next) || !Number.isSafeInteger(cursor.bytes))
    throw new Error(`${path} is not an export cursor; move it away to start over.`);
  return cursor;
}

function writeCursor(path: string, cursor: Cursor): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify(cursor));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
  // The rename itself is durable only once the folder is synced.
  const dir = openSync(dirname(path), 'r');
  fsyncSync(dir);
  closeSync(dir);
}

export async function exportLog(options: {
  server: string;
  token: string;
  out: string;
  format: 'jsonl' | 'syslog';
  follow?: boolean;
  /** Entries per request (the server's maximum by default). */
  pageSize?: number;
  /** Stops following when it returns true (tests). */
  shouldStop?: () => boolean;
  onPage?: (cursor: Cursor) => void;
}): Promise<Cursor> {
  const cursorPath = `${options.out}.cursor`;
  let cursor = readCursor(cursorPath);
  if (cursor && cursor.format !== options.format)
    throw new Error(
      `${options.out} holds ${cursor.format} lines; export ${options.format} to another file.`,
    );
  if (!cursor && existsSync(options.out))
    throw new Error(
      `${options.out} exists without ${cursorPath}: it was not written by this exporter, or its cursor was lost. Move it away first.`,
    );
  cursor ??= { next: 0, bytes: 0, format: options.format };
  const fd = openSync(options.out, existsSync(options.out) ? 'r+' : 'w');
  try {
    // Whatever a killed run wrote after its last cursor is cut off and fetched again.
    ftruncateSync(fd, cursor.bytes);
    for (;;) {
      const url = new URL('/v1/log/export', options.server);
      url.searchParams.set('start', String(cursor.next));
      url.searchParams.set('format', options.format);
      if (options.pageSize) url.searchParams.set('limit', String(options.pageSize));
      const res = await fetch(url, { headers: { authorization: `Bearer ${options.token}` } });
      if (!res.ok) throw new Error(`The server answered ${res.status}: ${await res.text()}`);
      const text = Buffer.from(await res.arrayBuffer());
      const next = Number(res.headers.get('x-next-index'));
      if (!Number.isSafeInteger(next) || next < cursor.next)
        throw new Error('The server sent no valid x-next-index.');
      if (next > cursor.next) {
        writeSync(fd, text, 0, text.length, cursor.bytes);
        fsyncSync(fd);
        cursor = { next, bytes: cursor.bytes + text.length, format: options.format };
        writeCursor(cursorPath, cursor);
        options.onPage?.(cursor);
        continue;
      }
      if (!options.follow || options.shouldStop?.()) return cursor;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'jsonl' },
      follow: { type: 'boolean', default: false },
      'page-size': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(EXPORT_USAGE);
    return;
  }
  const token = process.env.DEARPOS_AUDITOR_TOKEN;
  if (!values.server || !values.out || !token || !['jsonl', 'syslog'].includes(values.format)) {
    process.stderr.write(EXPORT_USAGE);
    process.exitCode = 2;
    return;
  }
  const done = await exportLog({
    server: values.server,
    token,
    out: values.out,
    format: values.format as 'jsonl' | 'syslog',
    follow: values.follow,
    ...(values['page-size'] ? { pageSize: Number(values['page-size']) } : {}),
  });
  process.stdout.write(`Exported up to log index ${done.next} (${done.bytes} bytes).\n`);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
