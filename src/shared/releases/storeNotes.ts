/**
 * What's new for store staff: each release's plain-language notes for the
 * people in the store (Markdown, separate from the technical release notes).
 * Published by an administrator, carried to every console in the catalog,
 * shown once per user after a terminal of the store moves to the release, and
 * marked read with a `release.store_notes.read` audit event; the release desk
 * sees how many people read them in each store.
 */
import { z } from 'zod';
import type { EventTypeSpec } from '../audit/eventTypeSpec.ts';
import { ROLES } from '../domain/roles.ts';

// Not imported from the sync protocol, which imports this module for the catalog pull.
const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');

/** A release's notes for store staff; its catalog id is the release id. */
export const catalogStoreNotes = z
  .object({
    releaseId: idText,
    /** What changes for the people at the till, in their words. */
    markdown: z
      .string()
      .trim()
      .min(1, 'the notes for stores are required')
      .max(20_000, 'the notes for stores are at most 20,000 characters'),
  })
  .strict();
export type CatalogStoreNotes = z.infer<typeof catalogStoreNotes>;

export const STORE_NOTES_ROUTES = {
  publishStoreNotes: { method: 'POST', url: '/v1/admin/store-notes', auth: 'admin' },
  deskStoreNotesReads: {
    method: 'GET',
    url: '/v1/desk/releases/:releaseId/store-notes-reads',
    auth: 'desk',
  },
} as const;

export const storeNotesParams = z.object({ releaseId: idText }).strict();

/** How many different people read a release's store notes in each store that recorded a read. */
export const deskStoreNotesReads = z
  .object({
    releaseId: z.string(),
    stores: z.array(z.object({ storeId: z.string(), readers: z.number().int().min(0) }).strict()),
    asOf: z.string(),
  })
  .strict();
export type DeskStoreNotesReads = z.infer<typeof deskStoreNotesReads>;

/** A release's notes for stores as the console shows them, once per person. */
export type WhatsNewItem = {
  releaseId: string;
  version: string;
  title: string;
  markdown: string;
  /** The store where a terminal moved to it (the read is recorded for that store). */
  storeId: string;
  storeName: string;
  /** When the first terminal there was recorded on it. */
  movedAt: string;
};

/** The audit event a console records when a person has read a release's notes for stores. */
export const STORE_NOTES_EVENT_TYPES = {
  'release.store_notes.read': {
    payload: z.object({ releaseId: idText }).strict(),
    roles: ROLES,
  },
} as const satisfies Record<string, EventTypeSpec>;
