/**
 * A release's communication plan: who is told what and when. Each
 * communication names its audience (console roles, and/or the webhook
 * channel: every subscription to `release.communication.due`), a moment
 * relative to the release plan's days per ring (`set-release-plan`: "two
 * days before the pilot ring starts") or an absolute instant, and a plain
 * text or Markdown message. The server sends each one when its instant
 * passes, once per ring: a server entry of the central log, a webhook, and a
 * notice on the consoles of that ring's stores for the people of that role.
 */
import { z } from 'zod';
import { ROLES, type Role } from '../domain/roles.ts';
import { RINGS, type Ring } from '../domain/releases.ts';
import type { RouteAuth } from '../sync/protocol.ts';

export const COMMS_PLAN_ROUTES = {
  setCommsPlan: { method: 'POST', url: '/v1/admin/comms-plans', auth: 'admin' },
  deskCommsPlan: { method: 'GET', url: '/v1/desk/releases/:releaseId/comms-plan', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

/** The log entry type the server appends when a communication is sent (once per communication and ring). */
export const COMMUNICATION_SENT_TYPE = 'release.communication.sent';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');

const role = z.enum(ROLES, { error: `unknown role; a role is one of ${ROLES.join(', ')}` });
const ring = z.enum(RINGS, { error: `unknown ring; a ring is one of ${RINGS.join(', ')}` });

const commsAudience = z
  .object({
    /** Console roles told in the stores concerned (the status bar's notices). */
    roles: z
      .array(role)
      .max(ROLES.length)
      .refine((rs) => new Set(rs).size === rs.length, 'name each role once'),
    /** Whether it is also sent as a `release.communication.due` webhook. */
    webhook: z.boolean(),
  })
  .strict()
  .refine((a) => a.roles.length > 0 || a.webhook, {
    message: 'name at least one role, or send it as a webhook',
    path: ['roles'],
  });

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM (UTC), 00:00 to 23:59');

const relativeWhen = (anchor: 'ring_start' | 'ring_end') =>
  z
    .object({
      anchor: z.literal(anchor),
      /** The ring whose planned days it follows; left out: each ring of the release plan. */
      ring: ring.optional(),
      /** Days before (negative) or after the planned first (ring_start) or last (ring_end) day. */
      offsetDays: z
        .number()
        .int('days are whole days')
        .min(-90, 'at most 90 days before')
        .max(90, 'at most 90 days after'),
      /** The time of day, UTC; default 00:00. */
      time: timeOfDay.optional(),
    })
    .strict();

export const commsWhen = z.discriminatedUnion(
  'anchor',
  [
    relativeWhen('ring_start'),
    relativeWhen('ring_end'),
    z
      .object({
        anchor: z.literal('instant'),
        /** An absolute instant: every store is told at once. */
        at: z.iso.datetime({ error: 'an instant is ISO-8601 UTC, e.g. 2026-05-04T07:00:00Z' }),
      })
      .strict(),
  ],
  { error: 'when: anchor is ring_start, ring_end or instant' },
);
export type CommsWhen = z.infer<typeof commsWhen>;

export const communication = z
  .object({
    id: idText,
    audience: commsAudience,
    when: commsWhen,
    message: z
      .string()
      .trim()
      .min(1, 'the message is required')
      .max(4_000, 'a message is at most 4,000 characters'),
  })
  .strict();
export type Communication = z.infer<typeof communication>;

/** The whole plan of a release; setting it again replaces it (what was sent stays sent). */
export const commsPlan = z
  .object({
    releaseId: idText,
    communications: z
      .array(communication)
      .max(100, 'at most 100 communications per release')
      .refine(
        (cs) => new Set(cs.map((c) => c.id)).size === cs.length,
        'each communication has its own id',
      ),
  })
  .strict();
export type CommsPlan = z.infer<typeof commsPlan>;

export const commsPlanParams = z.object({ releaseId: idText }).strict();

/** A release plan's days per ring, as the calendar stores them (YYYY-MM-DD). */
export type RingDays = ReadonlyMap<Ring, { start: string; end: string }>;

/** One sending of a communication: per ring for a relative one (null ring: every store). */
export type CommsDue = { ring: Ring | null; dueAt: string | null };

const DAY_MS = 86_400_000;

/**
 * When a communication is due, per ring: a relative one once per ring it
 * follows (its ring, or each planned ring), with no instant while that ring
 * has no planned days; an absolute one once, for every store.
 */
export function dueInstants(when: CommsWhen, ringDays: RingDays): CommsDue[] {
  if (when.anchor === 'instant') return [{ ring: null, dueAt: new Date(when.at).toISOString() }];
  const rings = when.ring !== undefined ? [when.ring] : RINGS.filter((r) => ringDays.has(r));
  return rings.map((r) => {
    const days = ringDays.get(r);
    if (!days) return { ring: r, dueAt: null };
    const day = when.anchor === 'ring_start' ? days.start : days.end;
    const ms = Date.parse(`${day}T${when.time ?? '00:00'}:00.000Z`) + when.offsetDays * DAY_MS;
    return { ring: r, dueAt: new Date(ms).toISOString() };
  });
}

/** How the release desk sees one communication: its audience, message, and each sending's time and state. */
export const deskCommunication = z
  .object({
    id: z.string(),
    roles: z.array(z.enum(ROLES)),
    webhook: z.boolean(),
    when: commsWhen,
    message: z.string(),
    sendings: z.array(
      z
        .object({
          ring: z.enum(RINGS).nullable(),
          /** null: the ring it follows has no planned days yet. */
          dueAt: z.string().nullable(),
          sentAt: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type DeskCommunication = z.infer<typeof deskCommunication>;

export const deskCommsPlan = z
  .object({
    releaseId: z.string(),
    communications: z.array(deskCommunication),
    asOf: z.string(),
  })
  .strict();
export type DeskCommsPlan = z.infer<typeof deskCommsPlan>;

/** The roles a sent communication's log entry names, read back defensively. */
export function rolesOf(value: unknown): Role[] {
  return Array.isArray(value)
    ? value.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r))
    : [];
}
