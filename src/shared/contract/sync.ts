/**
 * Sync channels (console side): the sync status, connecting the console to
 * the central audit log server, asking for a sync now, and what is queued,
 * quarantined or refused. The `sync:statusChanged` event is declared in
 * index.ts with `SyncStatus`.
 */
import { z } from 'zod';
import { deviceName } from '../sync/protocol.ts';
import type { QuarantinedEventPage, SyncStatus } from '../sync/status.ts';
import { call } from './define.ts';
import { empty } from './schemas.ts';

/** What can happen to a record on its way to and from the central log, as the Sync screen lists it. */
export const SYNC_QUEUE_KINDS = ['queued', 'sent', 'quarantined', 'refused', 'superseded'] as const;
export type SyncQueueKind = (typeof SYNC_QUEUE_KINDS)[number];

export type SyncQueueItem = {
  kind: SyncQueueKind;
  /** The journal event, when the item is one (a refused feed page is not). */
  eventId: string | null;
  seq: number | null;
  type: string | null;
  at: string | null;
  userId: string | null;
  /** The user's name from the catalog, when known. */
  userName: string | null;
  /** Why, in plain words (null for a record that simply went through). */
  reason: string | null;
  /** What the person at the console can do about it. */
  whatToDo: string | null;
};

export type SyncQueueView = {
  counts: Record<SyncQueueKind, number>;
  /** Newest first, at most `limit` of each kind. */
  items: SyncQueueItem[];
};

/** A record named by what it created rather than by its event: the event that created it is looked up. */
export const PROVENANCE_SUBJECTS = ['checklistRun', 'deployment', 'changeRequest'] as const;
export type ProvenanceSubject = { kind: (typeof PROVENANCE_SUBJECTS)[number]; id: string };

/** Where a record came from and whether the central log holds it. */
export type Provenance = {
  eventId: string;
  /** Set when it was asked for by subject. */
  subject: ProvenanceSubject | null;
  deviceId: string;
  /** The console's name as the central server lists the store's consoles; null until a sync brought it. */
  deviceName: string | null;
  isThisConsole: boolean;
  userId: string;
  userName: string | null;
  isInCentralLog: boolean;
  /** Its index in the central log, when this console knows it. */
  logIndex: number | null;
  /** The conflict rule set it aside: the event, earlier in the central log, that decided instead. */
  supersededBy: { eventId: string; type: string | null; userName: string | null } | null;
};

const eventId = z.string().min(1).max(64);

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
  'sync:status': call<SyncStatus>()({ input: empty, access: 'signedIn' }),
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
  /**
   * What is queued, sent, quarantined, refused or superseded, each with its
   * reason in plain words and what the user can do about it.
   */
  'sync:queue': call<SyncQueueView>()({
    input: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(),
    access: 'signedIn',
  }),
  /** Where each record came from (device, user) and whether it is already in the central log. */
  'sync:provenance': call<Provenance[]>()({
    input: z
      .object({
        eventIds: z.array(eventId).max(200).optional(),
        subjects: z
          .array(z.object({ kind: z.enum(PROVENANCE_SUBJECTS), id: eventId }).strict())
          .max(200)
          .optional(),
      })
      .strict(),
    access: 'signedIn',
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
