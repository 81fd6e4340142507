/**
 * Exports of what a table shows: CSV (papaparse) and JSON, the same rows in
 * the same column order. A cell a spreadsheet would run as a formula (one
 * starting with =, +, -, @, tab or carriage return) is neutralised with a
 * leading apostrophe, the OWASP advice for CSV injection: a store name such
 * as `=HYPERLINK(…)` arrives as text, never as a live formula.
 */
import Papa from 'papaparse';

export type ExportCell = string | number | boolean | null;

/** One column: its header and how to read it from a row. */
export type ExportColumn<Row> = {
  header: string;
  value: (row: Row) => ExportCell;
};

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet will read it: formulas neutralised, null as empty. */
export function neutraliseCell(value: ExportCell): string {
  if (value === null) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Rows as CSV with a header line, CRLF line ends (RFC 4180) and a UTF-8 byte
 * order mark so spreadsheet programs read accents and the euro sign right.
 * A negative number stays a number: only text is neutralised.
 */
export function toCsv<Row>(rows: readonly Row[], columns: readonly ExportColumn<Row>[]): string {
  const data = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row);
      return typeof value === 'number' ? String(value) : neutraliseCell(value);
    }),
  );
  const body = Papa.unparse(
    { fields: columns.map((column) => neutraliseCell(column.header)), data },
    { newline: '\r\n', quotes: false, escapeFormulae: false },
  );
  return `\uFEFF${body}\r\n`;
}

/** Rows as a JSON array of objects keyed by the column headers, values as they are. */
export function toJson<Row>(rows: readonly Row[], columns: readonly ExportColumn<Row>[]): string {
  const objects = rows.map((row) =>
    Object.fromEntries(columns.map((column) => [column.header, column.value(row)])),
  );
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/** A file name for an export: `<what>-<yyyy-mm-dd>.<format>`, safe on every desktop. */
export function exportFileName(what: string, format: ExportFormat, at: Date): string {
  const safe = what
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${safe || 'export'}-${at.toISOString().slice(0, 10)}.${format}`;
}
