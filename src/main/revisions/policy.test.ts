/**
 * The console applies the central server's approval rule (REVISION_APPROVALS,
 * pulled in the catalog): with one approval required, a checklist template
 * the catalog records no revision of (the demo's, published without
 * revisions) is refused like an unapproved version, and a template published
 * and approved by another administrator runs; with none required the same
 * unrecorded template runs as before. The REAL central server (a child
 * process on 127.0.0.1) and a console on a real SQLite file.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { readChecklistTemplate, readChecklistTemplates } from '../checklists/catalog.ts';
import { startCentralServer, type CentralServerProcess } from '../sync/testing/centralServer.ts';
import { openTestConsole, type TestConsole } from '../sync/testing/console.ts';
import { documentGate, requireApprovedRevision } from './gate.ts';

let root: string;
let server: CentralServerProcess;
let adminToken: string;
let c: TestConsole;

async function startServer(requiredApprovals: number, port?: number) {
  server = await startCentralServer({
    dataDir: join(root, 'server'),
    isDemo: port === undefined,
    ...(port !== undefined ? { port } : {}),
    env: { REVISION_APPROVALS: String(requiredApprovals) },
  });
}

async function admin(method: 'GET' | 'POST', path: string, token: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function sync() {
  const outcome = await c.engine.syncOnce();
  expect(outcome.ok, c.engine.status().lastError ?? '').toBe(true);
}

/** The start check the console service makes, as its refusal crosses IPC (or null when allowed). */
function refusal(docId: string): unknown {
  const content = readChecklistTemplate(c.db, docId)!;
  try {
    requireApprovedRevision(c.db, { kind: 'checklistTemplate', docId, content });
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'revision-policy-'));
  await startServer(1);
  adminToken = server.adminToken!;
  mkdirSync(join(root, 'console'));
  c = await openTestConsole(join(root, 'console'));
  const enrolled = await c.engine.connect({
    serverUrl: server.url,
    enrollmentCode: server.enrollmentCode!,
  });
  expect(enrolled).toMatchObject({ isEnrolled: true });
  await sync();
});
afterAll(async () => {
  await c.close();
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('the console applies the server’s approval rule', () => {
  it('one approval required: an unrecorded template is refused, an approved one runs; none required: the unrecorded one runs', async () => {
    const [demo] = readChecklistTemplates(c.db);
    expect(demo).toBeDefined();
    expect(refusal(demo!.id)).toEqual({
      code: 'conflict',
      message:
        'Checklist template has no approved revision, and the central server requires 1 approval: sync again, or ask the release desk to publish and approve it. Nothing was started.',
      details: {
        refusal: 'revision_not_approved',
        kind: 'checklistTemplate',
        docId: demo!.id,
        gate: { status: 'unrecorded_required', isUsable: false, need: 1 },
      },
    });

    // Published by the demo administrator, approved by a second one.
    const body = { ...demo!, id: 'tpl-approved', name: 'Approved smoke test' };
    await admin('POST', '/v1/admin/checklist-templates', adminToken, body);
    await admin('POST', '/v1/admin/users', adminToken, {
      id: 'u-second-admin',
      name: 'Second admin',
      role: 'admin',
      pin: '482913',
      storeIds: [],
    });
    const second = (await admin('POST', '/v1/admin/admin-tokens', adminToken, {
      userId: 'u-second-admin',
    })) as { token: string };
    const history = (await admin(
      'GET',
      '/v1/admin/revisions?kind=checklistTemplate&docId=tpl-approved',
      adminToken,
    )) as { revisions: Array<{ contentHash: string }> };
    await admin('POST', '/v1/admin/revisions/approve', second.token, {
      kind: 'checklistTemplate',
      docId: 'tpl-approved',
      number: 1,
      contentHash: history.revisions[0]!.contentHash,
    });
    await sync();
    expect(refusal('tpl-approved')).toBeNull();
    expect(
      documentGate(c.db, {
        kind: 'checklistTemplate',
        docId: 'tpl-approved',
        content: readChecklistTemplate(c.db, 'tpl-approved'),
      }),
    ).toMatchObject({ status: 'approved', have: 1, need: 1 });
    expect(refusal(demo!.id)).not.toBeNull();

    // The same server started without approvals: the console is told, and runs it.
    const port = server.port;
    await server.stop();
    await startServer(0, port);
    await sync();
    expect(refusal(demo!.id)).toBeNull();
    expect(
      documentGate(c.db, {
        kind: 'checklistTemplate',
        docId: demo!.id,
        content: demo,
      }),
    ).toEqual({ status: 'unrecorded', isUsable: true });
  });
});
