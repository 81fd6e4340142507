/**
 * The fleet screen has two filter scopes: the matrix shows the fleet under
 * the chosen region / ring / model / release; the table additionally narrows
 * to a clicked matrix cell, the drift switch and the search.
 */
import type { FleetFilter } from '../../../shared/contract/index.ts';

export type CellSelection = { storeId: string; releaseId: string | null };

export function matrixFilterOf(filter: FleetFilter): FleetFilter {
  const out: FleetFilter = {};
  if (filter.region) out.region = filter.region;
  if (filter.ring) out.ring = filter.ring;
  if (filter.model) out.model = filter.model;
  if (filter.releaseId) out.releaseId = filter.releaseId;
  return out;
}

export function tableFilterOf(
  filter: FleetFilter,
  cell: CellSelection | null,
  search: string,
): FleetFilter {
  const out: FleetFilter = { ...matrixFilterOf(filter) };
  if (filter.driftOnly) out.driftOnly = true;
  if (cell) {
    out.storeId = cell.storeId;
    // The "unknown version" column has no release id to filter by: store only.
    if (cell.releaseId) out.releaseId = cell.releaseId;
  }
  const trimmed = search.trim();
  if (trimmed) out.search = trimmed.slice(0, 100);
  return out;
}
