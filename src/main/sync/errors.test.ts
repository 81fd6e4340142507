import { describe, expect, it } from 'vitest';
import { PROTOCOL_ERROR_CODES } from '../../shared/sync/protocol.ts';
import { SyncHttpError } from './client.ts';
import { describeSyncError } from './errors.ts';

describe('sync problems in plain words', () => {
  it('gives every protocol error code a message and an app error code, naming the event when the server did', () => {
    for (const code of PROTOCOL_ERROR_CODES) {
      const described = describeSyncError(
        new SyncHttpError('protocol', 'server says no', 400, {
          code,
          message: 'server says no',
          seq: 7,
        }),
      );
      expect(described.message.length, code).toBeGreaterThan(20);
      expect(described.isUnexpected, code).toBe(false);
      if (
        ['bad_hash', 'bad_prev', 'wrong_store', 'equivocation', 'forbidden_event_type'].includes(
          code,
        )
      ) {
        expect(described.message, code).toContain('#7');
      }
    }
  });

  it('reassures that nothing is lost when the server cannot be reached', () => {
    const described = describeSyncError(
      new SyncHttpError('network', 'The central server is not reachable (connection refused).'),
    );
    expect(described).toMatchObject({ code: 'unavailable', isUnexpected: false });
    expect(described.message).toMatch(/stay safe on this console/);
  });

  it('waits as long as the server asked when it is rate limited', () => {
    const described = describeSyncError(
      new SyncHttpError('protocol', 'slow down', 429, {
        code: 'rate_limited',
        message: 'slow down',
        retryAfterSeconds: 12,
      }),
    );
    expect(described.retryAfterMs).toBe(12_000);
  });

  it('never shows a stack or an internal message for an unexpected failure', () => {
    const described = describeSyncError(new TypeError('cannot read properties of undefined'));
    expect(described.isUnexpected).toBe(true);
    expect(described.message).not.toMatch(/undefined/);
  });
});
