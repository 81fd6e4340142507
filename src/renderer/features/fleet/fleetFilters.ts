/**
 * The fleet screen has two filter scopes: the matrix and the KPIs show the
 * fleet under the chosen region / ring / model / release and the search (a
 * search for a store shows that store's row and counts, not the whole
 * fleet's); the table additionally narrows to a clicked matrix cell and the
 * drift switch.
 */
import type { FleetFilter } from '#shared/contract/index.ts';

export type CellSelection = { storeId: string; releaseId: string | null };

export function matrixFilterOf(filter: FleetFilter, search = ''): FleetFilter {
  const out: FleetFilter = {};
  if (filter.region) out.region = filter.region;
  if (filter.ring) out.ring = filter.ring;
  if (filter.model) out.model = filter.model;
  if (filter.releaseId) out.releaseId = filter.releaseId;
  const trimmed = search.trim();
  if (trimmed) out.search = trimmed.slice(0, 100);
  return out;
}

export function tableFilterOf(
  filter: FleetFilter,
  cell: CellSelection | null,
  search: string,
): FleetFilter {
  const out: FleetFilter = { ...matrixFilterOf(filter, search) };
  if (filter.driftOnly) out.driftOnly = true;
  if (cell) {
    out.storeId = cell.storeId;
    // The "unknown version" column has no release id to filter by: store only.
    if (cell.releaseId) out.releaseId = cell.releaseId;
  }
  return out;
}
