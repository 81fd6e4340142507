/**
 * `npm run audit:verify -- FILE`: verifies a console database (.sqlite) or a
 * JSON Lines audit file. Exit 0 when it verifies, 1 when an event is broken
 * (named by seq and id), 2 when the command is used wrongly.
 */
import { describeReport, verifyAuditFile } from './verifyFile.ts';

const USAGE =
  'usage: npm run audit:verify -- <console database .sqlite | journal export or audit bundle .jsonl>\n';

function main(args: string[]): number {
  const files = args.filter((a) => a !== '--');
  if (files.length === 0 || files.some((f) => f === '--help' || f === '-h')) {
    process.stderr.write(USAGE);
    return 2;
  }
  let failed = false;
  for (const file of files) {
    const report = verifyAuditFile(file);
    (report.ok ? process.stdout : process.stderr).write(describeReport(report) + '\n');
    if (!report.ok) failed = true;
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
