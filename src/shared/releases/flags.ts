/**
 * The feature flags a store runs: the catalog's values (release default, then
 * ring, then store) overlaid by the feature-flag change requests an
 * administrator approved for that store. The console and the server both
 * compute it with this function, from their own copy of the change requests,
 * so the desk shows exactly what the store's console applies.
 */
import { z } from 'zod';
import type { ChangeRequest } from '../deployments/changeRequests.ts';
import {
  FLAG_SOURCES,
  flagValuesFor,
  type CatalogFeatureFlag,
  type FlagValue,
} from '../deployments/runbook.ts';
import type { Ring } from '../domain/releases.ts';
import { idText, type RouteAuth } from '../sync/protocol.ts';

/** A flag value and, when an approved change request set it, which one. */
export type EffectiveFlagValue = FlagValue & { changeRequestId: string | null };

/**
 * Effective flag values of one store for one release, sorted by key. Only
 * approved `feature_flag_change` requests of this store and release count; a
 * request naming a flag the catalog no longer defines changes nothing. When
 * several approved requests name the same flag, the one decided last wins
 * (ties by id, so every side picks the same one).
 */
export function effectiveFlagValues(
  flags: readonly CatalogFeatureFlag[],
  releaseId: string,
  store: { id: string; ring: Ring },
  changeRequests: readonly ChangeRequest[],
): EffectiveFlagValue[] {
  const latest = new Map<string, ChangeRequest>();
  for (const request of changeRequests) {
    const d = request.deviation;
    if (request.status !== 'approved' || d.kind !== 'feature_flag_change') continue;
    if (d.storeId !== store.id || d.releaseId !== releaseId) continue;
    const before = latest.get(d.flagKey);
    if (before === undefined || isDecidedLater(request, before)) latest.set(d.flagKey, request);
  }
  return flagValuesFor(flags, releaseId, store).map((flag): EffectiveFlagValue => {
    const request = latest.get(flag.key);
    if (request === undefined || request.deviation.kind !== 'feature_flag_change')
      return { ...flag, changeRequestId: null };
    return {
      ...flag,
      value: request.deviation.value,
      source: 'change_request',
      changeRequestId: request.id,
    };
  });
}

function isDecidedLater(a: ChangeRequest, b: ChangeRequest): boolean {
  const at = a.decidedAt ?? a.requestedAt;
  const bt = b.decidedAt ?? b.requestedAt;
  return at !== bt ? at > bt : a.id > b.id;
}

/** The desk's read of the flags one store runs for one release (desk token, scope-checked). */
export const DESK_FLAG_ROUTES = {
  deskStoreFlags: { method: 'GET', url: '/v1/desk/stores/:storeId/flags', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

export const deskStoreFlagsQuery = z.object({ releaseId: idText }).strict();

const effectiveFlagValue = z
  .object({
    key: z.string(),
    description: z.string(),
    value: z.boolean(),
    source: z.enum(FLAG_SOURCES),
    changeRequestId: z.string().nullable(),
  })
  .strict();

export const deskStoreFlags = z
  .object({
    storeId: z.string(),
    releaseId: z.string(),
    flags: z.array(effectiveFlagValue),
    asOf: z.string(),
  })
  .strict();
export type DeskStoreFlags = z.infer<typeof deskStoreFlags>;
