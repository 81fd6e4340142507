/**
 * In-console notices: the facts a store's people should be told about, from
 * the central log (a no-go, a rollback, a blocker bug at the store; a release
 * blocked anywhere) and from the current state (a change request waiting for
 * a manager, an intervention waiting longer than the threshold). Served to a
 * store console with its device token (`GET /v1/notices?since=`); each notice
 * names the roles it concerns, and the console shows it to them.
 */
import { z } from 'zod';
import type { EventTypeSpec } from '../audit/eventTypeSpec.ts';
import { ROLES } from '../domain/roles.ts';
import type { RouteAuth } from '../sync/protocol.ts';

export const NOTICE_KINDS = [
  'release_blocked',
  'no_go_recorded',
  'rollback_started',
  'bug_report_s1',
  'intervention_waiting',
  'change_request_waiting',
  'communication',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Who each kind concerns: a manager decides change requests; a technician deploys. */
export const NOTICE_AUDIENCE: Record<NoticeKind, ReadonlyArray<(typeof ROLES)[number]>> = {
  release_blocked: ['technician', 'manager'],
  no_go_recorded: ['technician', 'manager', 'support'],
  rollback_started: ['technician', 'manager', 'support'],
  bug_report_s1: ['technician', 'manager', 'support'],
  intervention_waiting: ['technician', 'manager'],
  change_request_waiting: ['manager'],
  // A release communication names its own roles (the notice's `roles`).
  communication: [],
};

/** An intervention counts as waiting after this long (the webhook subscriptions' default too). */
export const NOTICE_INTERVENTION_WAIT_MINUTES = 60;

export const NOTICE_ROUTES = {
  notices: { method: 'GET', url: '/v1/notices', auth: 'device' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

export const noticesQuery = z
  .object({
    /** The `next` of the previous answer: log facts after it (0 or absent: from the start). */
    since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    /** `1`: also the release communications sent to the store's ring (consoles that know the kind ask for them). */
    communications: z.literal('1').optional(),
  })
  .strict();

export const notice = z
  .object({
    /** Stable: the same fact is the same notice on every fetch. */
    id: z.string().max(200),
    kind: z.enum(NOTICE_KINDS),
    at: z.string(),
    storeId: z.string().nullable(),
    releaseId: z.string().nullable(),
    /** What the notice is about: a deployment, a decision, a bug report, a change request. */
    subjectId: z.string().nullable(),
    /** A reason or a title, as recorded (not translated). */
    text: z.string().nullable(),
    /** For an intervention: the minutes waited so far. */
    minutes: z.number().int().nullable(),
    /** For a release communication: the roles its plan names (the console shows it to them only). */
    roles: z.array(z.enum(ROLES)).optional(),
  })
  .strict();
export type Notice = z.infer<typeof notice>;

export const noticesResponse = z
  .object({
    notices: z.array(notice),
    /** The log position read up to: the next call's `since`. */
    next: z.number().int(),
  })
  .strict();
export type NoticesResponse = z.infer<typeof noticesResponse>;

/** The audit event a console records when someone reads a notice. */
export const NOTICE_EVENT_TYPES = {
  'notice.read': {
    payload: z
      .object({ noticeId: z.string().min(1).max(200), kind: z.enum(NOTICE_KINDS) })
      .strict(),
    roles: ROLES,
  },
} as const satisfies Record<string, EventTypeSpec>;
