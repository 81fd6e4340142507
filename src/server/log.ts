/**
 * The server's pino logger. Secrets are redacted by path so a token, PIN,
 * enrollment code or key never reaches a log line; request logs carry method,
 * URL and status only (no headers, no bodies).
 */
import { pino } from 'pino';

export type ServerLogger = pino.Logger;

export const SERVER_REDACT_PATHS = [
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

export function createServerLogger(options: { level?: string } = {}): ServerLogger {
  return pino({
    name: 'server',
    level: options.level ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    redact: { paths: SERVER_REDACT_PATHS, censor: '[redacted]' },
  });
}
