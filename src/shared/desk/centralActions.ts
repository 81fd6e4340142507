/**
 * The desk's list of central actions: what administrators changed (the
 * server entries naming them, src/shared/audit/centralActions.ts), newest
 * first, paged by log index. A region desk sees the actions touching its
 * region's stores and the chain-wide ones; a desk for every store sees all.
 */
import { z } from 'zod';
import { CENTRAL_ACTION_SUBJECT_KEYS, CENTRAL_ACTION_TYPES } from '../audit/centralActions.ts';

export const CENTRAL_ACTION_ROUTES = {
  deskCentralActions: { method: 'GET', url: '/v1/desk/central-actions', auth: 'desk' },
} as const;

const MAX_PAGE = 200;

/** Query of `GET /v1/desk/central-actions`; every field optional. */
export const centralActionsQuery = z
  .object({
    /** Keyset: the log index of the last action of the previous page (exclusive). */
    before: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
    type: z.enum(CENTRAL_ACTION_TYPES).optional(),
    adminId: z.string().min(1).max(64).optional(),
  })
  .strict();

const subjectKinds = CENTRAL_ACTION_SUBJECT_KEYS.map(([, kind]) => kind) as [
  (typeof CENTRAL_ACTION_SUBJECT_KEYS)[number][1],
  ...(typeof CENTRAL_ACTION_SUBJECT_KEYS)[number][1][],
];

export const centralActionRow = z
  .object({
    index: z.number().int(),
    at: z.string(),
    /** A type this version knows, or a newer server's: shown as it is. */
    type: z.string(),
    adminId: z.string(),
    /** The administrator's name in the catalog; null when the catalog no longer has them. */
    adminName: z.string().nullable(),
    /** How they acted: with their admin token, on the server's command line, or bootstrapping. */
    via: z.string(),
    subject: z
      .object({ kind: z.enum(subjectKinds), id: z.string() })
      .strict()
      .nullable(),
    /** The store the action touches, when it names one. */
    storeId: z.string().nullable(),
  })
  .strict();
export type CentralActionRow = z.infer<typeof centralActionRow>;

export const centralActionsPage = z
  .object({
    actions: z.array(centralActionRow),
    /** `before` for the next (older) page; null at the start of the log. */
    next: z.number().int().nullable(),
    /** The administrators the catalog knows, for the filter (id and name). */
    admins: z.array(z.object({ id: z.string(), name: z.string() }).strict()),
    asOf: z.string(),
  })
  .strict();
export type CentralActionsPage = z.infer<typeof centralActionsPage>;
