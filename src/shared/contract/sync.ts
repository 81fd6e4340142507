/**
 * Sync channels (issue 3, console side): connect the console to the central
 * audit log server, and ask for a sync now. `sync:status` and the
 * `sync:statusChanged` event are declared in index.ts with `SyncStatus`.
 */
import { z } from 'zod';
import { deviceName } from '../sync/protocol.ts';
import { call } from './define.ts';
import type { QuarantinedEventPage, SyncStatus } from './types.ts';

/** Only http(s) URLs: anything else (file:, javascript:, data:) is refused before any request. */
export const serverUrl = z
  .string()
  .trim()
  .min(1, 'enter the central server address')
  .max(2000)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.username === '' &&
        url.password === ''
      );
    } catch {
      return false;
    }
  }, 'the central server address must start with http:// or https://');

export const enrollmentCode = z
  .string()
  .trim()
  .min(6, 'an enrollment code has at least 6 characters')
  .max(64, 'an enrollment code has at most 64 characters');

/** Who may connect a console that already has a catalog. */
export const CONNECT_ROLES = ['manager', 'technician'] as const;

export const syncContract = {
  /**
   * Enrolls this console with the central server: creates the device's
   * Ed25519 key pair, registers the public key with the one-time enrollment
   * code, and starts background sync. Re-connecting replaces an earlier
   * enrollment (and clears a rewritten-history alarm, after a person decided to).
   *
   * Access: a signed-in manager or technician — or, on first run only (no
   * catalog yet, so nobody can sign in), anyone holding an enrollment code:
   * the code is the authorization, and the catalog with its users comes from
   * the server. The handler enforces this (CONNECT_ROLES).
   */
  'sync:connect': call<SyncStatus>()({
    input: z
      .object({
        serverUrl,
        enrollmentCode,
        /** Shown to administrators; without one the server names it after the store and a number. */
        deviceName: deviceName.optional(),
      })
      .strict(),
    access: 'public',
  }),
  /** Runs one sync cycle now (push, pull, tree-head check) and returns the status after it. */
  'sync:now': call<SyncStatus>()({ input: z.object({}).strict(), access: 'signedIn' }),
  /**
   * This console's events the central server appended but quarantined (they
   * broke the actor rule: unknown or revoked user, role or store not held…),
   * newest first, each with the reason in plain words. For the Sync screen.
   */
  'sync:quarantined': call<QuarantinedEventPage>()({
    input: z
      .object({
        beforeSeq: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    access: 'signedIn',
  }),
} as const;
