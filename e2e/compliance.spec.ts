/**
 * Compliance, done when (issue 18 point 3), in Chromium against the real
 * console back end and the real central server (the demo catalog): an administrator
 * requires a fiscal-printer sign-off for 4.2.1 in Europe; the Lille store's
 * manager cannot record go (the gate names the missing check) until the
 * technician signs it off, then signs go; a desk console of the region
 * prints the compliance report, whose first PDF page is rendered to PNG
 * under test-output/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { answerTerminal } from '../src/main/checklists/testing.ts';
import { DEMO_USERS } from '../src/main/demo/demoCatalog.ts';
import { loadCatalog, readDemoCatalog } from '../src/server/demo.ts';
import { createServerLogger } from '../src/server/log.ts';
import { TEST_ADMIN_ACTED_BY } from '../src/server/testing/admin.ts';
import { startTestServer, type TestServer } from '../src/server/testing/harness.ts';
import { COMPLIANCE_TEST_IDS as CP } from '../src/renderer/features/compliance/testIds.ts';
import { DECISION_TEST_IDS as DC } from '../src/renderer/features/decisions/testIds.ts';
import {
  expect,
  expectNoSeriousA11yProblems,
  SCREENSHOT_DIR,
  startConsole,
  stopConsole,
  test,
  type ConsoleUnderTest,
} from './fixtures.ts';

/** Lille: Europe, 4 lanes on 4.2.1. */
const STORE = 'st-lil-01';
const RELEASE = 'rel-4.2.1';
const tess = DEMO_USERS.find((u) => u.id === 'u-tess')!;
const maya = DEMO_USERS.find((u) => u.id === 'u-maya')!;
const ada = DEMO_USERS.find((u) => u.id === 'u-ada')!;

const FISCAL_TEMPLATE = {
  id: 'tpl-fiscal-eu',
  name: 'Fiscal printer certification',
  kind: 'uat',
  version: 1,
  description: 'The receipt printer prints the certified fiscal footer, signed off by the store.',
  sections: [
    {
      id: 'fiscal',
      title: 'Fiscal printer',
      items: [
        {
          id: 'footer',
          title: 'Receipt carries the certified fiscal footer',
          instructions: 'Print a test sale and compare the footer with the certificate.',
          isMandatory: true,
          answer: { type: 'passFail' },
        },
        {
          id: 'sign',
          title: 'Signed off by the store',
          instructions: '',
          isMandatory: true,
          answer: { type: 'signature' },
        },
      ],
    },
  ],
};

const RULE = {
  id: 'eu-fiscal-printer',
  name: 'EU fiscal printer certification',
  region: 'Europe',
  releaseIds: [RELEASE],
  checks: [{ kind: 'sign-off', templateId: FISCAL_TEMPLATE.id, terminalCount: 1 }],
};

let server: TestServer | null = null;
let desk: ConsoleUnderTest | null = null;

test.afterEach(async () => {
  if (desk) await stopConsole(desk);
  desk = null;
  await server?.close();
  server = null;
});

async function post(path: string, body: unknown, token: string) {
  const res = await fetch(`${server!.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** Starts a run of the template on the terminals and passes every mandatory item (through the back end). */
async function passRun(c: ConsoleUnderTest, templateId: string, terminalIds: string[]) {
  const run = await c.call('checklists:startRun', { templateId, releaseId: RELEASE, terminalIds });
  for (const terminalId of terminalIds) await answerTerminal(c.app, run, terminalId);
}

async function drawSignature(page: Page, canvas: Locator): Promise<void> {
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(box.x + 20 + i * 22, box.y + box.height * (i % 2 === 0 ? 0.7 : 0.3), {
      steps: 3,
    });
  await page.mouse.up();
}

test('a Lille manager cannot sign go until the fiscal sign-off the region requires is signed; the compliance report PDF shows it', async ({
  page,
  console: c,
}) => {
  test.setTimeout(90_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The real central server, in this process: the demo catalog without the demo's device history.
  server = await startTestServer({ logger: createServerLogger({ level: 'warn' }) });
  await loadCatalog(server.server, readDemoCatalog(), TEST_ADMIN_ACTED_BY);
  const admin = server.adminToken;
  await post('/v1/admin/checklist-templates', FISCAL_TEMPLATE, admin);
  await post('/v1/admin/compliance-rules', RULE, admin);

  // The Lille console pulls the catalog with the rule; the technician passes the release's smoke test.
  const enrollment = await post('/v1/admin/enrollment-codes', { storeId: STORE }, admin);
  await c.call('sync:connect', {
    serverUrl: server.url,
    enrollmentCode: enrollment['code'] as string,
  });
  await expect
    .poll(async () => (await c.call('session:listUsers', {})).map((u) => u.id), { timeout: 30_000 })
    .toContain(tess.id);
  await c.call('session:signIn', { userId: tess.id, pin: tess.pin });
  await c.call('sync:now', {});
  await passRun(c, 'tpl-smoke-pos', [`${STORE}-t1`, `${STORE}-t2`]);

  // The manager: verdict no-go, the gate at the buttons names the missing sign-off, go is closed.
  await c.call('session:signIn', { userId: maya.id, pin: maya.pin });
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(`${c.url}#/decisions?store=${STORE}&release=${RELEASE}`);
  const verdict = page.getByTestId(DC.verdict);
  await expect(verdict).toHaveAttribute('data-verdict', 'no-go');
  const criterion = page.locator(
    `[data-testid="${DC.criterion}"][data-criterion="compliance:${RULE.id}"]`,
  );
  await expect(criterion).toHaveAttribute('data-met', 'false');
  await expect(criterion).toContainText('Fiscal printer certification: not signed off');
  const gate = page.getByTestId(CP.gate);
  await expect(gate).toContainText(
    'EU fiscal printer certification: 1 required check is missing: Fiscal printer certification.',
  );
  await expect(
    page.getByTestId(DC.choice).getByRole('radio', { name: 'Go', exact: true }),
  ).toBeDisabled();
  // Conditions cannot stand in for a regulatory check.
  await expect(
    page.getByTestId(DC.choice).getByRole('radio', { name: 'Go with conditions' }),
  ).toBeDisabled();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'compliance-gate-closed.png') });
  await expectNoSeriousA11yProblems(page, 'go / no-go with the compliance gate');

  // The technician signs the fiscal check off on one lane; go opens and the manager signs it.
  await c.call('session:signIn', { userId: tess.id, pin: tess.pin });
  await passRun(c, FISCAL_TEMPLATE.id, [`${STORE}-t3`]);
  await c.call('session:signIn', { userId: maya.id, pin: maya.pin });
  await page.reload();
  await expect(verdict).toHaveAttribute('data-verdict', 'go');
  await expect(criterion).toHaveAttribute('data-met', 'true');
  await expect(page.getByTestId(CP.gate)).toHaveCount(0);
  await page.getByTestId(DC.choice).getByText('Go', { exact: true }).click();
  await expect(page.getByTestId(DC.submit)).toContainText('Go');
  await page.getByTestId(DC.reason).fill('Smoke test and the fiscal sign-off passed.');
  await drawSignature(page, page.getByTestId(DC.signature));
  await page.getByTestId(DC.pin).fill(maya.pin);
  await page.getByTestId(DC.submit).click();
  await expect(page.getByTestId(DC.row)).toHaveAttribute('data-decision', 'go');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'compliance-gate-open-go.png') });
  // Into the central log, where the server re-checks the go against the rule.
  await c.call('sync:now', {});

  // A desk of the region prints the compliance report.
  desk = await startConsole({ demo: true, signedInAs: { id: ada.id, pin: ada.pin } });
  const code = await post(
    '/v1/admin/desk-enrollment-codes',
    { scope: 'region:Europe', role: 'auditor' },
    admin,
  );
  await desk.call('desk:connect', {
    serverUrl: server.url,
    enrollmentCode: code['code'] as string,
  });
  await page.goto(`${desk.url}#/reports/compliance?releaseId=${RELEASE}&region=Europe`);
  const lille = page.locator(`[data-testid="${CP.store}"][data-store="${STORE}"]`);
  await expect(lille).toHaveAttribute('data-compliant', 'true');
  await expect(lille.getByTestId(CP.check)).toHaveAttribute('data-result', 'passed');
  await expect(lille).toContainText('Tess Tran');
  await expect(lille).toContainText('Latest decision: Go by Maya Moreau');
  const lyon = page.locator(`[data-testid="${CP.store}"][data-store="st-lyo-01"]`);
  await expect(lyon.getByTestId(CP.check)).toHaveAttribute('data-result', 'missing');
  await expect(page.getByTestId(CP.treeHead)).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'compliance-report.png') });
  // The CSV export: the same rows, each with its proof and the signed tree head.
  const csv = await desk.call('compliance:reportCsv', { releaseId: RELEASE, region: 'Europe' });
  expect(csv.fileName).toBe('compliance-4.2.1-Europe.csv');
  expect(csv.content).toMatch(
    /Lille Euralille,st-lil-01,FR,EU fiscal printer certification,.*,passed,1,1,Tess Tran,/,
  );
  await expectNoSeriousA11yProblems(page, 'compliance report');

  const pdfPath = join(SCREENSHOT_DIR, 'compliance-report.pdf');
  const pdf = await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pngPath = join(SCREENSHOT_DIR, 'compliance-report-page1.png');
  execFileSync('gs', [
    '-q',
    '-dSAFER',
    '-dBATCH',
    '-dNOPAUSE',
    '-sDEVICE=png16m',
    '-r80',
    '-dFirstPage=1',
    '-dLastPage=1',
    `-sOutputFile=${pngPath}`,
    pdfPath,
  ]);
  expect(readFileSync(pngPath).subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(c.problems).toEqual([]);
});
