/**
 * `npm run audit:verify -- FILE`: verifies a console database (.sqlite) or a
 * JSON Lines audit file. Exit 0 when it verifies, 1 when an event is broken
 * (named by seq and id), 2 when the command is used wrongly.
 *
 * `npm run audit:verify -- DB.sqlite --export OUT.jsonl` also writes the
 * database's plain journal export once it verifies, for an auditor without
 * the console (the database is opened read-only).
 */
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { writeJournalExport } from './export.ts';
import { describeReport, verifyAuditFile } from './verifyFile.ts';

const USAGE =
  'usage: npm run audit:verify -- <console database .sqlite | journal export or audit bundle .jsonl>\n' +
  '       npm run audit:verify -- <console database .sqlite> --export <journal export .jsonl>\n';

function main(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: args.filter((a) => a !== '--'),
      options: { export: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const files = parsed.positionals;
  const exportTo = parsed.values.export;
  if (files.length === 0 || parsed.values.help || (exportTo !== undefined && files.length !== 1)) {
    process.stderr.write(USAGE);
    return 2;
  }
  let failed = false;
  for (const file of files) {
    const report = verifyAuditFile(file);
    (report.ok ? process.stdout : process.stderr).write(describeReport(report) + '\n');
    if (!report.ok) failed = true;
  }
  if (exportTo === undefined) return failed ? 1 : 0;
  const [file] = files;
  if (failed || file === undefined) {
    process.stderr.write('nothing exported: the database does not verify\n');
    return 1;
  }
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = writeJournalExport(sqlite, exportTo);
    process.stdout.write(`${count} events exported to ${exportTo}\n`);
  } finally {
    sqlite.close();
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
