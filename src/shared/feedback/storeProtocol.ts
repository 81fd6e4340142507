/**
 * The feature requests of the whole chain, for a store console (device
 * token): a console only learns the requests of its own store through its
 * feed, so it asks for the others' open ones to suggest them while someone
 * types (and to vote instead of filing a duplicate), offline too from its
 * cache. Titles, status and votes only: what a store wrote in a description
 * or a comment stays with that store and the desk.
 */
import { z } from 'zod';
import type { RouteAuth } from '../sync/protocol.ts';

export const FEEDBACK_STORE_ROUTES = {
  storeFeedbackRequests: { method: 'GET', url: '/v1/feedback/requests', auth: 'device' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

/** The whole chain, or the stores of the device's own region. */
const CHAIN_REQUEST_SCOPES = ['chain', 'region'] as const;

/** The statuses still worth a vote: nothing declined, shipped or merged away. */
export const OPEN_REQUEST_STATUSES = ['open', 'under_review', 'planned'] as const;

/** More open requests than a chain keeps at once; the most voted come first. */
export const MAX_CHAIN_REQUESTS = 2_000;

export const chainRequestsQuery = z
  .object({ scope: z.enum(CHAIN_REQUEST_SCOPES).default('chain') })
  .strict();

const chainRequest = z
  .object({
    id: z.string().min(1).max(64),
    title: z.string().max(200),
    category: z.string().max(40),
    status: z.enum(OPEN_REQUEST_STATUSES),
    /** The release it is planned for (an id of the catalog), once planned. */
    plannedFor: z.string().max(64).nullable(),
    /** Stores, not clicks: one vote per store. */
    votes: z.number().int().min(0),
    /** Whether the asking device's store has voted (filing counts as its vote). */
    hasOurVote: z.boolean(),
    updatedAt: z.string(),
  })
  .strict();

export const chainRequestsResponse = z
  .object({ requests: z.array(chainRequest).max(MAX_CHAIN_REQUESTS), asOf: z.string() })
  .strict();
export type ChainRequestsResponse = z.infer<typeof chainRequestsResponse>;
