/**
 * Admin publishing of the deployment and checklist catalog parts, over real
 * HTTP on loopback (SQLite server) and through `npm run server -- admin`:
 * a valid part reaches the stores' devices in the catalog pull; bad input is
 * answered 400 with every problem by field and stores nothing; a caller that
 * is not an admin is denied and stores nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import { createSimDevice } from '../testing/device.ts';
import {
  TEST_FLEET,
  enrollSim,
  pullAllChanges,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import {
  checklistRequirementBody,
  checklistTemplateBody,
  featureFlagBody,
  runbookBody,
  storeWindowsBody,
} from '../testing/publishBodies.ts';

const RELEASE = {
  id: 'rel-2.0.0',
  version: '2.0.0',
  type: 'minor',
  ring: 'pilot',
  status: 'planned',
  plannedAt: null,
  actualAt: null,
  title: 'Two',
  notesMarkdown: '',
};

let t: TestServer;
let auditorToken: string;
let deviceToken: string;

beforeAll(async () => {
  t = await startTestServer();
  expect(
    (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET })).status,
  ).toBe(200);
  expect(
    (await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: RELEASE })).status,
  ).toBe(200);
  auditorToken = (
    await t.call('POST', '/v1/admin/auditor-tokens', { token: t.adminToken, body: { label: 'a' } })
  ).body.token;
  deviceToken = await enrollSim(t, createSimDevice('S-1'), 'S-1');
});
afterAll(() => t.close());

async function changeCount(): Promise<number> {
  const r = await t.server.store.db
    .selectFrom('catalog_changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function pull(storeId: string): Promise<CatalogChange[]> {
  const token =
    storeId === 'S-1' ? deviceToken : await enrollSim(t, createSimDevice(storeId), storeId);
  return pullAllChanges(t, token);
}

const admin = (path: string, body: unknown) => t.call('POST', path, { token: t.adminToken, body });

describe('admin publishing over HTTP', () => {
  it('publishes a checklist template, a requirement, a runbook, a flag and store windows; each store pulls what is its own', async () => {
    expect((await admin('/v1/admin/checklist-templates', checklistTemplateBody())).status).toBe(
      200,
    );
    expect(
      (await admin('/v1/admin/checklist-requirements', checklistRequirementBody('rel-2.0.0')))
        .status,
    ).toBe(200);
    const runbook = await admin(
      '/v1/admin/runbooks',
      runbookBody('rel-2.0.0', { templateId: 'tpl-admin-smoke' }),
    );
    expect(runbook.status, JSON.stringify(runbook.body)).toBe(200);
    expect(runbook.body).toMatchObject({ id: 'rb-rel-2.0.0', releaseId: 'rel-2.0.0' });
    expect(
      (
        await admin(
          '/v1/admin/feature-flags',
          featureFlagBody('rel-2.0.0', { 'S-1': false, 'S-2': true }),
        )
      ).status,
    ).toBe(200);
    expect((await admin('/v1/admin/store-windows', storeWindowsBody('S-1'))).status).toBe(200);

    const one = await pull('S-1');
    const of = (changes: CatalogChange[], entity: CatalogChange['entity']) =>
      changes.flatMap((c) => (c.op === 'upsert' && c.entity === entity ? [c.value] : []));
    expect(of(one, 'checklistTemplate')).toEqual([checklistTemplateBody()]);
    expect(of(one, 'checklistRequirement')).toEqual([checklistRequirementBody('rel-2.0.0')]);
    expect(of(one, 'runbook')).toEqual([
      runbookBody('rel-2.0.0', { templateId: 'tpl-admin-smoke' }),
    ]);
    // The last flag change is the one a console keeps: its own override, never another store's.
    expect(of(one, 'featureFlag').at(-1)).toMatchObject({
      key: 'quick-tender',
      byStore: { 'S-1': false },
    });
    expect(JSON.stringify(of(one, 'featureFlag'))).not.toContain('S-2');
    expect(of(one, 'storeWindows')).toEqual([storeWindowsBody('S-1')]);

    const two = await pull('S-2');
    expect(of(two, 'storeWindows')).toEqual([]);
    expect(of(two, 'featureFlag').at(-1)).toMatchObject({ byStore: { 'S-2': true } });
  });

  it('answers bad input 400 with every problem by field, and stores nothing', async () => {
    const before = await changeCount();
    const cases: Array<[string, unknown, string[]]> = [
      // Two schema problems at once: both are named.
      [
        '/v1/admin/runbooks',
        { ...runbookBody('rel-2.0.0'), title: '', strategies: ['big_bang'] },
        ['title', 'strategies.0'],
      ],
      ['/v1/admin/runbooks', runbookBody('rel-9.9.9'), ['releaseId']],
      [
        '/v1/admin/runbooks',
        runbookBody('rel-2.0.0', { templateId: 'tpl-nowhere' }),
        ['steps.2.templateId'],
      ],
      [
        '/v1/admin/runbooks',
        { ...runbookBody('rel-2.0.0'), steps: runbookBody('rel-2.0.0').steps.slice(0, 1) },
        ['(body)'],
      ],
      ['/v1/admin/feature-flags', { ...featureFlagBody('rel-2.0.0'), key: 'Bad Key' }, ['key']],
      ['/v1/admin/feature-flags', featureFlagBody('rel-2.0.0', { 'S-9': true }), ['byStore.S-9']],
      [
        '/v1/admin/store-windows',
        {
          ...storeWindowsBody('S-1'),
          tradingHours: {
            ...storeWindowsBody('S-1').tradingHours,
            mon: { open: '9am', close: '20:00' },
          },
        },
        ['tradingHours.mon.open'],
      ],
      ['/v1/admin/store-windows', storeWindowsBody('S-9'), ['storeId']],
      ['/v1/admin/store-windows', { ...storeWindowsBody('S-1'), note: 'extra' }, ['(body)']],
      [
        '/v1/admin/checklist-templates',
        { ...checklistTemplateBody(), kind: 'audit', version: 0 },
        ['kind', 'version'],
      ],
    ];
    for (const [path, body, fields] of cases) {
      const res = await admin(path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      expect(res.body.message).toMatch(/not published/);
      expect(
        (res.body.fieldErrors as Array<{ field: string; message: string }>).map((e) => e.field),
        path,
      ).toEqual(fields);
      for (const e of res.body.fieldErrors as Array<{ message: string }>)
        expect(e.message.length).toBeGreaterThan(0);
    }
    const requirement = await admin(
      '/v1/admin/checklist-requirements',
      checklistRequirementBody('rel-2.0.0', 'tpl-nowhere'),
    );
    expect(requirement.status).toBe(400);
    expect(requirement.body.message).toContain('tpl-nowhere');
    expect(await changeCount()).toBe(before);
  });

  it('denies every caller that is not an admin, and stores nothing', async () => {
    const before = await changeCount();
    const attempts: Array<[string, unknown]> = [
      ['/v1/admin/runbooks', runbookBody('rel-2.0.0')],
      ['/v1/admin/feature-flags', featureFlagBody('rel-2.0.0')],
      ['/v1/admin/store-windows', storeWindowsBody('S-1')],
      ['/v1/admin/checklist-templates', checklistTemplateBody('tpl-sneaky')],
      ['/v1/admin/checklist-requirements', checklistRequirementBody('rel-2.0.0')],
    ];
    for (const [path, body] of attempts) {
      for (const token of [null, deviceToken, auditorToken, 'dpd_not-a-token']) {
        const res = await t.call('POST', path, { token, body });
        expect(
          [401, 403],
          `${path} with ${token === null ? 'no token' : token.slice(0, 4)}`,
        ).toContain(res.status);
      }
    }
    expect(await changeCount()).toBe(before);
  });
});

describe('npm run server -- admin publish commands', () => {
  const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli.ts');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'admin-publish-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function admin(
    command: string,
    body: unknown,
  ): { status: number | null; stdout: string; stderr: string } {
    const file = join(dir, `${command}.json`);
    writeFileSync(file, JSON.stringify(body));
    const r = spawnSync(
      process.execPath,
      [
        '--experimental-strip-types',
        '--no-warnings',
        CLI,
        'admin',
        command,
        '--json',
        file,
        '--data',
        t.dataDir,
        '--as',
        'test-admin',
      ],
      { encoding: 'utf8' },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('publishes store windows from a file, and lists every problem of a bad runbook by field without publishing it', async () => {
    const windows = { ...storeWindowsBody('S-2'), freezes: [] };
    const ok = admin('set-store-windows', windows);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('set for store S-2');
    expect(
      (await pull('S-2')).flatMap((c) =>
        c.op === 'upsert' && c.entity === 'storeWindows' ? [c.value] : [],
      ),
    ).toEqual([windows]);

    const before = await changeCount();
    const bad = admin('publish-runbook', {
      ...runbookBody('rel-2.0.0'),
      title: '',
      strategies: ['big_bang'],
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/invalid_input: The runbook was not published: 2 problem/);
    expect(bad.stderr).toMatch(/^ {2}title: /m);
    expect(bad.stderr).toMatch(/^ {2}strategies\.0: /m);
    expect(await changeCount()).toBe(before);
  });
});
