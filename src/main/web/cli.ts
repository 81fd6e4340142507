/**
 * `npm run web`: the console in a local browser. Builds nothing itself (the
 * npm script builds out/web first); opens the same back end as the desktop
 * app on a data folder and serves it on 127.0.0.1.
 *
 *   npm run web -- --port 5217 --data ./.data/console
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from '../app/createApp.ts';
import { AppError } from '../../shared/errors.ts';
import { REDACT_PATHS, type Logger } from '../log.ts';
import { createRotatingLogFile } from '../logFiles.ts';
import { startWebServer } from './server.ts';

export const DEFAULT_PORT = 5217;
export const DEFAULT_DATA_DIR = './.data/console';

export type WebCliOptions = { port: number; dataDir: string };

/** Parses the command line; throws an Error whose message is meant for the person who typed it. */
export function parseWebArgs(argv: readonly string[]): WebCliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string' }, data: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(
      `--port must be a whole number from 0 to 65535 (0 picks a free port); got "${values.port}".`,
    );
  }
  return { port, dataDir: resolve(values.data ?? DEFAULT_DATA_DIR) };
}

/**
 * Browser mode logs to the terminal and, like the desktop app, to a rotated
 * file: `<data>/logs/console.log`, where renderer errors land too.
 */
export function createWebLogger(
  dataDir: string,
  options: { level?: string; toStdout?: boolean } = {},
): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    { name: 'console', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.multistream([
      ...(options.toStdout === false
        ? []
        : [{ stream: process.stdout, level: level as pino.Level }]),
      {
        stream: createRotatingLogFile({ file: join(dataDir, 'logs', 'console.log') }),
        level: level as pino.Level,
      },
    ]),
  );
}

async function main(): Promise<void> {
  let options: WebCliOptions;
  try {
    options = parseWebArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\nUsage: npm run web -- [--port 5217] [--data ./.data/console]\n`,
    );
    process.exit(2);
  }
  const log = createWebLogger(options.dataDir);
  const app = await createApp({ dataDir: options.dataDir, log });
  let server: Awaited<ReturnType<typeof startWebServer>>;
  try {
    server = await startWebServer({
      app,
      port: options.port,
      staticDir: resolve(import.meta.dirname, '../../../out/web'),
      log,
    });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `Port ${options.port} is already in use (is another console running?). Try --port 0 for any free port.\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(`DearPOS console: ${server.url}\n`);
  process.stdout.write(`Data folder: ${options.dataDir}\n`);

  let isStopping = false;
  const stop = (): void => {
    if (isStopping) return;
    isStopping = true;
    server
      .close()
      .then(() => app.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `The console could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    if (error instanceof AppError && error.code === 'database_newer') {
      // The controlled downgrade exports unsynced events first and never deletes the newer file.
      process.stderr.write(
        'To go back to this version without losing anything: npm run console:downgrade -- --data <the same data folder>\n',
      );
    }
    process.exit(1);
  });
}
