import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { FleetMatrix } from '#shared/contract/index.ts';
import { toCsv } from '#shared/exports/toCsv.ts';
import { changeLanguage } from '../../i18n/index.ts';
import { matrixExportColumns, matrixExportRows } from './FleetExport.tsx';

const MATRIX: FleetMatrix = {
  stores: [
    {
      id: 'st-lil-01',
      name: '=Lille',
      region: 'Europe',
      ring: 'pilot',
      timezone: 'Europe/Paris',
      country: 'FR',
      terminalCount: 4,
      driftCount: 1,
      targetReleaseId: 'rel-4.4.0',
    },
    {
      id: 'st-bos-01',
      name: 'Boston',
      region: 'Americas',
      ring: 'general',
      timezone: 'America/New_York',
      country: 'US',
      terminalCount: 2,
      driftCount: 0,
      targetReleaseId: 'rel-4.2.0',
    },
  ],
  releases: [
    { id: 'rel-4.2.0', version: '4.2.0', terminalCount: 2 },
    { id: 'rel-4.4.0', version: '4.4.0', terminalCount: 3 },
    { id: null, version: 'Unknown', terminalCount: 1 },
  ],
  cells: [
    { storeId: 'st-lil-01', releaseId: 'rel-4.4.0', count: 3, driftCount: 0 },
    { storeId: 'st-lil-01', releaseId: null, count: 1, driftCount: 1 },
    { storeId: 'st-bos-01', releaseId: 'rel-4.2.0', count: 2, driftCount: 0 },
  ],
  totals: { terminals: 6, drift: 1, stores: 2 },
};

describe('store × release matrix export', () => {
  it('one row per store shown, one column per release shown, the counts of its cells (0 where empty)', () => {
    const csv = toCsv(matrixExportRows(MATRIX), matrixExportColumns(MATRIX));
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(rows).toEqual([
      ['Store', 'Store ID', 'Region', 'Ring', 'Terminals', 'Drift', '4.2.0', '4.4.0', 'Unknown'],
      ["'=Lille", 'st-lil-01', 'Europe', 'pilot', '4', '1', '0', '3', '1'],
      ['Boston', 'st-bos-01', 'Americas', 'general', '2', '0', '2', '0', '0'],
    ]);
  });
});

describe('export headers', () => {
  it('are in the console’s language; release versions stay as published', async () => {
    await changeLanguage('de');
    try {
      const csv = toCsv(matrixExportRows(MATRIX), matrixExportColumns(MATRIX));
      const [header] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
      expect(header).toEqual([
        'Filiale',
        'Filial-ID',
        'Region',
        'Ring',
        'Terminals',
        'Abweichung',
        '4.2.0',
        '4.4.0',
        'Unbekannt',
      ]);
    } finally {
      await changeLanguage('en');
    }
  });
});
