/**
 * One logger with scoped children (`log.child({ scope: 'sync' })`). pino in
 * every process; Electron's main adds a file destination through electron-log.
 * Secrets are redacted by path so a PIN, token or key never reaches a log.
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

export const REDACT_PATHS = [
  'pin',
  '*.pin',
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'console',
    level: options.level ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  });
}
