/**
 * Approved revisions in Chromium on the demo fleet. The console pulls a
 * catalog whose 4.4.0 runbook v2 and POS smoke test v2 still wait for an
 * approval (as an older server, or approvals raised after publishing, would
 * send them): planning a 4.4.0 deployment is disabled with the reason, and
 * the revisions screen shows each version (number, date, author, hash,
 * approvals x/N, status) and the line diff against the previous one, signed
 * + and − so it does not rely on colour. Screenshots at 1366×800, axe clean.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { revisionContentText, revisionDiff } from '../src/shared/revisions/revisions.ts';
import type { CatalogDocumentRevision } from '../src/shared/revisions/gate.ts';
import { sha256Hex } from '../src/main/audit/journal.ts';
import { readChecklistTemplate } from '../src/main/checklists/catalog.ts';
import { readRunbook } from '../src/main/deployments/catalog.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { createCatalogApplier } from '../src/main/sync/catalogChanges.ts';
import { DEPLOYMENT_TEST_IDS as DP } from '../src/renderer/features/deployments/testIds.ts';
import { REVISION_TEST_IDS as RV } from '../src/renderer/features/revisions/testIds.ts';
import { TEST_IDS } from '../src/renderer/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  pickOption,
  SCREENSHOT_DIR,
  test,
} from './fixtures.ts';

const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;

test.use({ consoleOptions: { demo: true, signedInAs: tess } });

function versions(
  kind: CatalogDocumentRevision['kind'],
  docId: string,
  previous: unknown,
  current: unknown,
): CatalogDocumentRevision[] {
  const base = { kind, docId, authorId: 'u-ada', requiredApprovals: 1 };
  return [
    {
      ...base,
      number: 1,
      contentHash: sha256Hex(revisionContentText(previous)),
      publishedAt: '2026-02-02T09:00:00.000Z',
      approvals: [{ approverId: 'u-olga', approvedAt: '2026-02-02T15:30:00.000Z' }],
      diff: revisionDiff(null, previous),
    },
    {
      ...base,
      number: 2,
      contentHash: sha256Hex(revisionContentText(current)),
      publishedAt: '2026-03-09T10:15:00.000Z',
      approvals: [],
      diff: revisionDiff(previous, current),
    },
  ];
}

test('a version waiting for approval cannot be planned, and its history shows the diff', async ({
  page,
  console: c,
}) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 800 });
  const db = c.app.db;
  const template = readChecklistTemplate(db, 'tpl-smoke-pos')!;
  const runbook = readRunbook(db, 'rel-4.4.0')!;
  const older = {
    ...template,
    sections: template.sections.map((s) => ({
      ...s,
      items: s.items
        .filter((i) => i.id !== 'cashier-sign-in')
        .map((i) => (i.id === 'boot' ? { ...i, title: 'Terminal starts' } : i)),
    })),
  };
  createCatalogApplier({ now: () => new Date() })(
    db,
    [
      ...versions('checklistTemplate', template.id, older, template),
      ...versions('runbook', runbook.id, { ...runbook, title: 'DearPOS 4.4.0' }, runbook),
    ].map((value) => ({ entity: 'documentRevision', op: 'upsert', value })),
    { isFirstPage: false, serverUrl: 'http://127.0.0.1:1' },
  );

  // Planning 4.4.0 is disabled, with what is missing.
  await page.goto(`${c.url}#/deployments`);
  await expect(page.getByTestId(TEST_IDS.statusUser)).toContainText(tess.name);
  await page.getByTestId(DP.planOpen).first().click();
  await pickOption(page, DP.planRelease, /^4\.4\.0/);
  await pickOption(page, DP.planStore, /Lille Euralille/);
  await expect(page.getByTestId(RV.gateNote)).toContainText(
    'Runbook v2 is waiting for 1 more approval (0 of 1).',
  );
  await expect(page.getByTestId(DP.planSubmit)).toBeDisabled();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'revision-plan-refused.png') });

  // The history: from the note's link, read-only for a technician.
  await page
    .getByTestId(RV.gateNote)
    .getByRole('link', { name: 'Versions, approvals and changes of Runbook of 4.4.0' })
    .click();
  await expect(page.getByTestId(RV.history)).toContainText('Runbook: Runbook of 4.4.0');
  await page.goto(`${c.url}#/revisions`);
  const row = page.getByTestId(RV.row).filter({ hasText: 'POS smoke test' });
  await expect(row.getByTestId(RV.status)).toHaveText('Waiting for approval · v2');
  await row.getByRole('link').click();
  const history = page.getByTestId(RV.history);
  await expect(history.getByTestId(RV.version)).toHaveCount(2);
  await expect(history.getByTestId(RV.version).first()).toContainText('Approvals 0/1');
  const diff = page.getByTestId(RV.diff);
  await expect(diff.locator('[data-op="removed"]')).toContainText(['Terminal starts"']);
  await expect(diff.locator('[data-op="added"]').first()).toContainText(
    'Terminal starts to the sign-in screen',
  );
  await expect(page.getByTestId(RV.approve)).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'revision-history-diff.png') });
  await expectNoSeriousA11yProblems(page, 'revision history');

  // Keyboard: the first version, chosen with Enter, is all new lines.
  await history.getByTestId(RV.version).nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(diff).toContainText('The first version: every line is new.');
  await expect(history.getByTestId(RV.version).nth(1)).toHaveAttribute('aria-pressed', 'true');
  expect(c.problems).toEqual([]);
});
