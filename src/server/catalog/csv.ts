/**
 * CSV fleet import (papaparse). Cells that a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR at the start) are refused with a per-row error
 * rather than silently altered, so an exported sheet cannot smuggle one in.
 */
import Papa from 'papaparse';
import { assertNever } from '../../shared/errors.ts';
import type { RowError } from './service.ts';

export const CSV_KINDS = ['stores', 'terminals'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvRows = { rows: unknown[]; errors: RowError[] };

/** Rows (1-based, header excluded) as catalog objects, with per-row errors. */
export function parseFleetCsv(kind: CsvKind, text: string): CsvRows {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const errors: RowError[] = parsed.errors.map((e) => ({
    row: (e.row ?? 0) + 1,
    message: e.message,
  }));
  const rows: unknown[] = [];
  parsed.data.forEach((record, i) => {
    const row = i + 1;
    for (const [column, value] of Object.entries(record)) {
      if (typeof value === 'string' && FORMULA_START.test(value)) {
        errors.push({
          row,
          message: `column ${column} starts with "${value[0] === '\t' ? 'tab' : value[0] === '\r' ? 'CR' : value[0]}", which a spreadsheet would run as a formula; remove it`,
        });
      }
    }
    const cell = (name: string): string => (record[name] ?? '').trim();
    const orNull = (name: string): string | null => (cell(name) === '' ? null : cell(name));
    switch (kind) {
      case 'stores':
        rows.push({
          id: cell('id'),
          name: cell('name'),
          region: cell('region'),
          ring: cell('ring'),
          timezone: cell('timezone'),
          // Optional: a sheet without the column, or an empty cell, names no country.
          ...(cell('country') === '' ? {} : { country: cell('country') }),
        });
        break;
      case 'terminals': {
        const releaseId = orNull('installedReleaseId');
        rows.push({
          id: cell('id'),
          storeId: cell('storeId'),
          name: cell('name'),
          model: cell('model'),
          serial: cell('serial'),
          installed: releaseId === null ? null : { releaseId, since: cell('installedSince') },
          lastSeen: orNull('lastSeen'),
        });
        break;
      }
      default:
        assertNever(kind, 'CSV kind');
    }
  });
  return { rows, errors };
}
