/**
 * The audit screen in Chromium: the journal of a demo console after a few
 * recorded versions, re-verified from the screen; its events filtered by
 * type; the verifiable export downloaded and checked by the same verifier
 * `npm run audit:verify` uses. axe in light mode; screenshot at 1366×800.
 */
import { join } from 'node:path';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { verifyAuditFile } from '../src/main/audit/verifyFile.ts';
import { AUDIT_TEST_IDS } from '../src/renderer/features/audit/testIds.ts';
import { expect, expectNoSeriousA11yProblems, SCREENSHOT_DIR, test } from './fixtures.ts';

const technician = DEMO_USERS.find((u) => u.id === 'u-tess')!;

test('the journal re-verified, filtered and exported from the audit screen', async ({
  page,
  console: c,
}) => {
  await c.call('demo:load', {});
  await c.call('session:signIn', { userId: technician.id, pin: technician.pin });
  const terminals = await c.call('fleet:listTerminals', {
    filter: {},
    sort: { key: 'store', desc: false },
    offset: 0,
    limit: 4,
  });
  for (const terminal of terminals.rows)
    await c.call('fleet:recordVersion', {
      terminalId: terminal.id,
      version: '5.0.0',
      source: 'typed',
    });
  const status = await c.call('audit:status', {});

  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(`${c.url}#/audit`);
  await expect(page.getByTestId(AUDIT_TEST_IDS.screen)).toBeVisible();
  await page.getByTestId(AUDIT_TEST_IDS.verify).click();
  await expect(page.getByTestId(AUDIT_TEST_IDS.verdict)).toContainText(
    `The chain is intact: ${status.journal.count} events`,
  );
  await expect(page.getByText('This console is not connected')).toBeVisible();
  await expect(page.getByTestId(AUDIT_TEST_IDS.row).first()).toContainText(
    String(status.journal.headSeq),
  );

  await page.getByTestId(AUDIT_TEST_IDS.typeFilter).click();
  await page.getByRole('option', { name: 'fleet.version.recorded' }).click();
  await expect(page.getByTestId(AUDIT_TEST_IDS.row)).toHaveCount(terminals.rows.length);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'audit-1366x800.png') });
  await expectNoSeriousA11yProblems(page, 'audit');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(AUDIT_TEST_IDS.bundle).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^journal-[\d-]+\.jsonl$/);
  const file = join(c.dataDir, download.suggestedFilename());
  await download.saveAs(file);
  expect(verifyAuditFile(file)).toMatchObject({
    kind: 'journal-export',
    ok: true,
    count: status.journal.count,
  });
  expect(c.problems).toEqual([]);
});
