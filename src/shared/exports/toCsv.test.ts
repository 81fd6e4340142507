import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { exportFileName, neutraliseCell, toCsv, toJson, type ExportColumn } from './toCsv.ts';

type Row = { store: string; terminals: number; note: string | null };
const COLUMNS: ExportColumn<Row>[] = [
  { header: 'Store', value: (r) => r.store },
  { header: 'Terminals', value: (r) => r.terminals },
  { header: 'Note', value: (r) => r.note },
];

function parse(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
}

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")'],
    ['+1+2'],
    ['-2+3'],
    ['@SUM(A1)'],
    ['\t=1'],
    ['\r=1'],
  ])('a cell starting a formula is neutralised: %j', (cell) => {
    const [, row] = parse(toCsv([{ store: cell, terminals: 1, note: null }], COLUMNS));
    expect(row![0]).toBe(`'${cell}`);
  });

  it('ordinary text, commas, quotes and new lines survive a round trip; numbers stay numbers', () => {
    const rows: Row[] = [
      { store: 'Lille, Euralille', terminals: 4, note: 'says "hi"\nthen leaves' },
      { store: 'Zürich € HB', terminals: -3, note: null },
    ];
    expect(parse(toCsv(rows, COLUMNS))).toEqual([
      ['Store', 'Terminals', 'Note'],
      ['Lille, Euralille', '4', 'says "hi"\nthen leaves'],
      ['Zürich € HB', '-3', ''],
    ]);
    expect(neutraliseCell('a=b')).toBe('a=b');
  });

  it('an empty view is a header line alone', () => {
    expect(parse(toCsv([], COLUMNS))).toEqual([['Store', 'Terminals', 'Note']]);
  });
});

describe('JSON export and file names', () => {
  it('the same rows and columns as objects, values untouched', () => {
    const json = JSON.parse(
      toJson([{ store: '=x', terminals: 2, note: null }], COLUMNS),
    ) as unknown;
    expect(json).toEqual([{ Store: '=x', Terminals: 2, Note: null }]);
  });

  it('a file name safe on every desktop', () => {
    expect(
      exportFileName('Fleet: terminals / Europe', 'csv', new Date('2026-12-07T10:00:00Z')),
    ).toBe('fleet-terminals-europe-2026-12-07.csv');
  });
});
