/**
 * The server's pino logger. Secrets are redacted by path so a token, PIN,
 * enrollment code or key never reaches a log line; request logs carry method,
 * URL and status only (no headers, no bodies).
 *
 * Format: JSON lines for log collectors, or pino-pretty's one line per entry
 * for a person watching a terminal. `LOG_FORMAT=json|pretty` overrides the
 * choice, which otherwise follows whether stdout is a terminal.
 */
import { pino } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type ServerLogger = pino.Logger;

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const SERVER_REDACT_PATHS = [
  'pin',
  '*.pin',
  'token',
  '*.token',
  'deviceToken',
  '*.deviceToken',
  'code',
  '*.code',
  'privateKey',
  '*.privateKey',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
];

/** `LOG_FORMAT` when set (and valid), else pretty on a terminal and JSON everywhere else. */
export function chooseLogFormat(
  env: NodeJS.ProcessEnv = process.env,
  isTerminal: boolean = process.stdout.isTTY === true,
): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked !== undefined && asked !== '') {
    if ((LOG_FORMATS as readonly string[]).includes(asked)) return asked as LogFormat;
    throw new Error(`LOG_FORMAT must be ${LOG_FORMATS.join(' or ')}, not "${env.LOG_FORMAT}".`);
  }
  return isTerminal ? 'pretty' : 'json';
}

export function createServerLogger(
  options: { level?: string; format?: LogFormat } = {},
): ServerLogger {
  const settings = {
    name: 'server',
    level: options.level ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    redact: { paths: SERVER_REDACT_PATHS, censor: '[redacted]' },
  };
  if ((options.format ?? 'json') === 'json') return pino(settings);
  // Synchronous, in this thread (no worker transport): a line is on the
  // terminal before the next one is written, so the start-up summary really
  // comes after every request line.
  return pino(
    settings,
    PinoPretty({
      sync: true,
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss',
      // One line per entry, without what a person at the terminal never needs.
      singleLine: true,
      ignore: 'pid,hostname,name,req.host,req.remoteAddress,req.remotePort',
      destination: 1,
    }),
  );
}
