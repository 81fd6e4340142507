/**
 * `npm run console:downgrade -- --data ./.data/console`: the controlled
 * downgrade without the desktop app's dialog, for browser mode and for
 * support on a till. It refuses a database this console can open as it is,
 * exports the events not yet synced before anything moves, restores the
 * backup taken before the newer version's migrations when nothing was
 * recorded since, and otherwise moves the newer database aside intact
 * (src/main/updates/downgrade.ts). `--version` names the console version to
 * go back to (default: this checkout's package.json).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors.ts';
import { DEFAULT_DATA_DIR } from '../web/cli.ts';
import { findConsoleVersion } from './consoleVersion.ts';
import { downgradeDatabase } from './downgrade.ts';

export const DOWNGRADE_USAGE =
  'Usage: npm run console:downgrade -- [--data ./.data/console] [--version 1.4.0]';

/** Runs the downgrade; returns the exit code and writes what happened for the person who typed it. */
export function runDowngradeCli(
  argv: readonly string[],
  io: { out: (text: string) => void; err: (text: string) => void },
  now: () => Date = () => new Date(),
): number {
  let values: { data?: string; version?: string };
  try {
    values = parseArgs({
      args: [...argv],
      options: { data: { type: 'string' }, version: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${DOWNGRADE_USAGE}\n`);
    return 2;
  }
  const dataDir = resolve(values.data ?? DEFAULT_DATA_DIR);
  const appVersion = values.version ?? findConsoleVersion();
  if (!appVersion) {
    io.err(`This console's version is unknown: pass --version.\n${DOWNGRADE_USAGE}\n`);
    return 2;
  }
  try {
    const result = downgradeDatabase({ file: join(dataDir, 'console.sqlite'), appVersion, now });
    io.out(
      [
        result.kind === 'restored'
          ? `Restored the backup taken before console ${result.writtenBy ?? 'the newer version'} migrated it: ${result.backup}`
          : `No backup holds exactly this journal, so console ${appVersion} starts with a fresh database.`,
        `The newer database is kept, untouched: ${result.movedAside}`,
        result.exportFile
          ? `${result.unsyncedCount} event(s) not yet synced were exported first: ${result.exportFile}`
          : 'Every event had reached the central server; nothing needed exporting.',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.err(`${error.message}\n`);
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = runDowngradeCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
