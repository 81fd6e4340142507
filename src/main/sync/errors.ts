/**
 * Turns what went wrong during sync into plain words for the sync panel, and
 * says how long to wait when the server asked for it (rate limits).
 */
import { AppError, assertNever, type ErrorCode } from '../../shared/errors.ts';
import type { ProtocolErrorCode } from '../../shared/sync/protocol.ts';
import { SyncHttpError } from './client.ts';

export type DescribedError = {
  message: string;
  code: ErrorCode;
  retryAfterMs: number | null;
  isUnexpected: boolean;
};

export function describeSyncError(error: unknown): DescribedError {
  if (error instanceof AppError)
    return { message: error.message, code: error.code, retryAfterMs: null, isUnexpected: false };
  if (error instanceof SyncHttpError) {
    switch (error.kind) {
      case 'network':
        return {
          message: `${error.message} Events stay safe on this console and are sent when the server is back.`,
          code: 'unavailable',
          retryAfterMs: null,
          isUnexpected: false,
        };
      case 'malformed':
        return {
          message: error.message,
          code: 'unavailable',
          retryAfterMs: null,
          isUnexpected: false,
        };
      case 'protocol': {
        const body = error.body;
        if (!body)
          return {
            message: error.message,
            code: 'unavailable',
            retryAfterMs: null,
            isUnexpected: false,
          };
        const retryAfterMs =
          body.retryAfterSeconds !== undefined ? body.retryAfterSeconds * 1000 : null;
        return {
          message: protocolMessage(body.code, body.message, body.seq),
          code: appCode(body.code),
          retryAfterMs,
          isUnexpected: false,
        };
      }
    }
  }
  return {
    message: 'Sync failed unexpectedly; it will be retried. Events stay safe on this console.',
    code: 'internal',
    retryAfterMs: null,
    isUnexpected: true,
  };
}

function protocolMessage(
  code: ProtocolErrorCode,
  serverMessage: string,
  seq: number | undefined,
): string {
  const at = seq !== undefined ? ` (event #${seq})` : '';
  switch (code) {
    case 'unauthorized':
      return 'The central server no longer accepts this console (its enrollment was revoked or has expired). Reconnect it with a new enrollment code.';
    case 'enrollment_code_invalid':
      return 'The enrollment code is not valid: it may be mistyped, already used or expired. Ask for a new one.';
    case 'rate_limited':
      return 'The central server is busy and asked this console to wait; sync will resume by itself.';
    case 'unavailable':
    case 'internal':
      return 'The central server had a problem; sync will be retried. Events stay safe on this console.';
    case 'equivocation':
      return `The central server holds a different event at the same place in this console's history${at}. Tell your release manager: this needs an investigation.`;
    case 'wrong_store':
      return `The central server refused event${at}: it was recorded for a different store than the one this console is enrolled for (for example while trying the demo fleet). Events from then on cannot be sent; ask your release manager — a console used for the demo should be enrolled from a fresh data folder.`;
    case 'bad_hash':
    case 'bad_prev':
    case 'bad_signature':
    case 'wrong_device':
    case 'forbidden_event_type':
    case 'seq_gap':
    case 'invalid_input':
    case 'forbidden':
    case 'not_found':
    case 'payload_too_large':
    case 'device_id_taken':
    case 'conflict':
    case 'scope_denied':
    case 'role_denied':
    case 'actor_denied':
    case 'promotion_gated':
    case 'invalid_transition':
    case 'release_blocked':
    case 'quorum_not_met':
    case 'admin_revoked':
    case 'bootstrap_only':
    case 'bootstrap_spent':
    case 'revision_hash_mismatch':
    case 'offset_mismatch':
    case 'unsupported_media_type':
      return `The central server refused the sync${at}: ${serverMessage}`;
    default:
      return assertNever(code, 'protocol error code');
  }
}

function appCode(code: ProtocolErrorCode): ErrorCode {
  switch (code) {
    case 'invalid_input':
    case 'enrollment_code_invalid':
    case 'payload_too_large':
    case 'unsupported_media_type':
      return 'invalid_input';
    case 'unauthorized':
    case 'forbidden':
    case 'wrong_store':
    case 'wrong_device':
    case 'forbidden_event_type':
    case 'scope_denied':
    case 'role_denied':
    case 'actor_denied':
    case 'admin_revoked':
    case 'bootstrap_only':
    case 'bootstrap_spent':
      return 'forbidden';
    case 'not_found':
      return 'not_found';
    case 'rate_limited':
    case 'unavailable':
    case 'internal':
      return 'unavailable';
    case 'device_id_taken':
    case 'bad_hash':
    case 'bad_prev':
    case 'bad_signature':
    case 'equivocation':
    case 'seq_gap':
    case 'conflict':
    case 'promotion_gated':
    case 'invalid_transition':
    case 'release_blocked':
    case 'quorum_not_met':
    case 'revision_hash_mismatch':
    case 'offset_mismatch':
      return 'conflict';
    default:
      return assertNever(code, 'protocol error code');
  }
}
