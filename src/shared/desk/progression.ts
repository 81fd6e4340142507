/**
 * The release desk's progression: for one release, every store in the
 * desk's scope with the state of that release there (release × ring ×
 * store), the counts per ring and state over the whole scope, and a window of
 * the stores (filtered by ring, state, search). The server computes the
 * states of the whole scope for the counts anyway, so the window is taken by
 * position: a virtualized list asks for exactly the rows it shows.
 */
import { z } from 'zod';
import { RINGS } from '../domain/releases.ts';
import type { RouteAuth } from '../sync/protocol.ts';

/**
 * The state of one release at one store, in the order a release manager reads
 * them: from "nothing yet" to "validated", then the ones that need attention.
 */
export const PROGRESSION_STATES = [
  'not_started',
  'scheduled',
  'in_progress',
  'installed',
  'go',
  'no_go',
  'failed',
  'rolled_back',
  'blocked',
] as const;
export type ProgressionState = (typeof PROGRESSION_STATES)[number];

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

/** A window is at most this many stores: a screen shows tens, an export reads page by page. */
const MAX_PROGRESSION_WINDOW = 500;

export const progressionQuery = z
  .object({
    releaseId: idText,
    ring: z.enum(RINGS).optional(),
    state: z.enum(PROGRESSION_STATES).optional(),
    /** Part of a store's id or name, case-insensitive. */
    search: z.string().max(100).optional(),
    region: z.string().min(1).max(60).optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PROGRESSION_WINDOW).default(200),
  })
  .strict();

export const progressionStore = z
  .object({
    storeId: idText,
    name: z.string(),
    region: z.string(),
    ring: z.string(),
    state: z.enum(PROGRESSION_STATES),
    terminals: z.number().int(),
    /** Terminals running the release. */
    installed: z.number().int(),
    /** The store's latest go / no-go for the release, as the central log ordered them. */
    decision: z
      .object({ decision: z.string(), signedBy: z.string(), signedAt: z.string() })
      .strict()
      .nullable(),
    /** The store's latest deployment of the release. */
    deployment: z.object({ status: z.string(), updatedAt: z.string() }).strict().nullable(),
  })
  .strict();
export type ProgressionStore = z.infer<typeof progressionStore>;

const stateCounts = z.record(z.enum(PROGRESSION_STATES), z.number().int());
export type ProgressionStateCounts = Record<ProgressionState, number>;

export const progressionRing = z
  .object({
    ring: z.enum(RINGS),
    /** The release this ring targets now (null: none). */
    targetReleaseId: z.string().nullable(),
    stores: z.number().int(),
    counts: stateCounts,
  })
  .strict();
export type ProgressionRing = z.infer<typeof progressionRing>;

export const progressionPage = z
  .object({
    releaseId: idText,
    /** Every ring in promotion order with its counts over the desk's scope (filters aside from ring/state applied). */
    rings: z.array(progressionRing),
    /** Stores matching every filter: the virtualized list's height. */
    total: z.number().int(),
    offset: z.number().int(),
    stores: z.array(progressionStore),
    asOf: z.string(),
  })
  .strict();
export type ProgressionPage = z.infer<typeof progressionPage>;

export const PROGRESSION_ROUTES = {
  deskProgression: { method: 'GET', url: '/v1/desk/progression', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

export function emptyStateCounts(): ProgressionStateCounts {
  return Object.fromEntries(PROGRESSION_STATES.map((s) => [s, 0])) as ProgressionStateCounts;
}

/** Deployment statuses after which nothing more happens. */
const FINISHED = new Set(['completed', 'rolled_back', 'failed', 'aborted']);

export type ProgressionFacts = {
  isReleaseBlocked: boolean;
  /** Whether the store is due to take the release: its ring targets it (inside a staged cohort) or a window is scheduled. */
  isRingTarget: boolean;
  terminals: number;
  installed: number;
  decision: { decision: string; signedAt: string } | null;
  deployment: { status: string; updatedAt: string } | null;
};

/**
 * One store's state for a release. A block wins (nothing may move); then the
 * newer of the latest deployment's failure or roll-back and the latest
 * decision (a store that decided go after fixing a failed run is go, a run
 * that failed after a go is failed); then the terminals: all on the release
 * is installed, some, or a deployment under way, is in progress; a planned
 * deployment or the ring's target is scheduled.
 */
export function progressionStateOf(f: ProgressionFacts): ProgressionState {
  if (f.isReleaseBlocked) return 'blocked';
  const dep = f.deployment;
  const badRun =
    dep && (dep.status === 'failed' || dep.status === 'rolled_back') ? dep.status : null;
  const decision = f.decision;
  if (badRun && (!decision || dep!.updatedAt > decision.signedAt)) return badRun;
  if (decision?.decision === 'no-go') return 'no_go';
  // A go with conditions is a go: the conditions travel with the decision record.
  if (decision) return 'go';
  if (f.terminals > 0 && f.installed === f.terminals) return 'installed';
  if (f.installed > 0 || (dep && dep.status !== 'planned' && !FINISHED.has(dep.status)))
    return 'in_progress';
  if ((dep && dep.status === 'planned') || f.isRingTarget) return 'scheduled';
  return 'not_started';
}
