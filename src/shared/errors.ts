/**
 * The one error type that crosses every boundary (IPC, HTTP, CLI). `code` is
 * stable and machine-readable; `message` is written for the person at the
 * counter. Never carries a stack across the boundary.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'not_signed_in',
  'forbidden',
  'not_found',
  'conflict',
  'locked_out',
  'wrong_pin',
  'pin_too_short',
  'invalid_version',
  'unknown_release',
  'database_newer',
  'database_corrupt',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type TransferableError = { code: ErrorCode; message: string; details?: unknown };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toTransferable(): TransferableError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Envelope used by every transport: the renderer never sees a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: TransferableError };

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
