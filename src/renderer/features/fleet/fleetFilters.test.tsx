import { describe, expect, it } from 'vitest';
import { matrixFilterOf, tableFilterOf } from './fleetFilters.ts';

describe('fleet filter scopes', () => {
  const filter = { region: 'North', ring: 'pilot' as const, driftOnly: true };

  it('the matrix ignores the drift switch and the cell, and follows the search like the table', () => {
    expect(matrixFilterOf({ ...filter, storeId: 's1' })).toEqual({
      region: 'North',
      ring: 'pilot',
    });
    expect(matrixFilterOf(filter, '  Lille ')).toEqual({
      region: 'North',
      ring: 'pilot',
      search: 'Lille',
    });
    expect(tableFilterOf(filter, null, '  Lille ').search).toBe('Lille');
  });

  it('a clicked cell narrows the table to that store and release', () => {
    expect(tableFilterOf(filter, { storeId: 's1', releaseId: 'r2' }, '')).toEqual({
      region: 'North',
      ring: 'pilot',
      driftOnly: true,
      storeId: 's1',
      releaseId: 'r2',
    });
  });

  it('the unknown-version column narrows to the store only', () => {
    expect(tableFilterOf({}, { storeId: 's1', releaseId: null }, '')).toEqual({ storeId: 's1' });
  });

  it('the search is trimmed and bounded to what the contract accepts', () => {
    expect(tableFilterOf({}, null, '  POS-7 ').search).toBe('POS-7');
    expect(tableFilterOf({}, null, 'x'.repeat(300)).search).toHaveLength(100);
    expect(tableFilterOf({}, null, '   ').search).toBeUndefined();
  });
});
