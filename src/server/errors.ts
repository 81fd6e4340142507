/**
 * The server's one error type: a stable protocol code (shared/sync/protocol.ts)
 * plus a message an operator or store manager can act on. The HTTP status
 * follows from the code; the body is always `{code, message, ...extra}`.
 */
import {
  PROTOCOL_ERROR_STATUS,
  type ProtocolError,
  type ProtocolErrorCode,
} from '../shared/sync/protocol.ts';
import type { GateReason } from '../shared/releases/gate.ts';

export type ErrorExtra = {
  expectedSeq?: number;
  seq?: number;
  retryAfterSeconds?: number;
  /** offset_mismatch: where the attachment's next chunk starts. */
  offset?: number;
  /** promotion_gated: why the evidence does not allow the promotion yet. */
  reasons?: GateReason[];
};

export class ServerError extends Error {
  readonly code: ProtocolErrorCode;
  readonly extra: ErrorExtra;
  constructor(code: ProtocolErrorCode, message: string, extra: ErrorExtra = {}) {
    super(message);
    this.name = 'ServerError';
    this.code = code;
    this.extra = extra;
  }
  get status(): number {
    return PROTOCOL_ERROR_STATUS[this.code];
  }
  toBody(): ProtocolError {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** Parses with a zod schema; a failure is `invalid_input` naming the first bad field. */
export function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
  what: string,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  throw new ServerError(
    'invalid_input',
    `${what} is not valid${where}: ${issue?.message ?? 'malformed'}`,
  );
}
