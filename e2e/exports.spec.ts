/**
 * Exports in browser mode: the fleet's terminal table, filtered to drift,
 * downloads as a CSV holding exactly the filtered view (the same terminals
 * the back end lists for that filter), with the header line first; the JSON
 * export of the same view has the same rows.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import { expect, test } from './fixtures.ts';

const technician = DEMO_USERS.find((u) => u.id === 'u-tess')!;

test.use({ consoleOptions: { demo: true, signedInAs: technician } });

test('the fleet terminal table, filtered to drift, downloads as CSV and JSON with exactly its rows', async ({
  page,
  console: c,
}) => {
  const expected = await c.call('fleet:listTerminals', {
    filter: { driftOnly: true },
    sort: { key: 'store', desc: false },
    offset: 0,
    limit: 500,
  });
  expect(expected.total).toBeGreaterThan(0);

  await page.goto(`${c.url}#/fleet`);
  await page.getByTestId(TEST_IDS.filterDrift).check();
  await expect(page.getByTestId(TEST_IDS.terminalCount)).toContainText(String(expected.total));

  const exportButton = page.getByRole('button', { name: 'Export fleet terminals' });
  await exportButton.click();
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: /CSV/ }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^fleet-terminals-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await csvDownload.path(), 'utf8');
  const [header, ...rows] = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), {
    skipEmptyLines: true,
  }).data;
  expect(header!.slice(0, 4)).toEqual(['Store', 'Store ID', 'Terminal', 'Terminal ID']);
  expect(rows.map((row) => row[3])).toEqual(expected.rows.map((t) => t.id));
  expect(rows.every((row) => row[8] === 'true')).toBe(true);

  await exportButton.click();
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'JSON' }).click(),
  ]);
  const json = JSON.parse(await readFile(await jsonDownload.path(), 'utf8')) as Array<
    Record<string, unknown>
  >;
  expect(json.map((row) => row['Terminal ID'])).toEqual(expected.rows.map((t) => t.id));
  expect(c.problems).toEqual([]);
});
