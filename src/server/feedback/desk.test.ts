/**
 * The support desk against a real server: reports and requests filed by
 * store devices reach the inbox (filtered, searched in full text, sorted);
 * each triage action is a server entry naming the acting user, folded into
 * the read models and sent to the report's store through its feed (internal
 * comments stay central); bad input is 400 naming the field, another role
 * or scope 403, and nothing changes; a rebuild from the log gives the same
 * read models. On SQLite (FTS5) and PostgreSQL (tsvector + GIN).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_DEVICE_ID } from '../../shared/audit/serverEntry.ts';
import { feedResponse } from '../../shared/sync/feed.ts';
import { rebuildReadModels } from '../readModels/rebuild.ts';
import { dialectOf } from '../readModels/project.ts';
import { createSimDevice, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

const CONTEXT = {
  appVersion: '1.4.0',
  terminals: [],
  featureFlags: [],
  selection: {},
  breadcrumbs: [{ seq: 1, at: '2026-03-01T09:00:00.000Z', type: 'session.signed_in' }],
  logTail: ['sync ok'],
};

function filed(reportId: string, title: string, happened: string, severity = 'S3') {
  return {
    reportId,
    title,
    happened,
    expected: 'The receipt prints',
    severitySuggestion: severity,
    screen: 'fleet',
    context: CONTEXT,
    attachments: [],
  };
}

let postgres: TestPostgres | null = null;
afterAll(() => {
  postgres?.stop();
});

describe.each(['sqlite', 'postgres'] as const)('the support desk on %s', (dialect) => {
  let t: TestServer;
  let s1: { d: SimDevice; token: string };
  let s2: { d: SimDevice; token: string };
  let north: string;
  let everywhere: string;
  let release: string;

  async function enrolled(storeId: string) {
    const d = createSimDevice(storeId);
    return { d, token: await enrollSim(t, d, storeId) };
  }
  async function record(x: { d: SimDevice; token: string }, type: string, payload: object) {
    const from = x.d.events.length + 1;
    x.d.record(type, payload as Record<string, unknown>);
    const res = await t.call('POST', '/v1/events', {
      token: x.token,
      body: x.d.pushBody(from, x.d.events.length),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  async function desk(scope: string, role: string, deskId: string): Promise<string> {
    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope, role },
    });
    const d = createSimDevice('S-1');
    const res = await t.call('POST', '/v1/desk/enroll', {
      body: { code: code.body.code, deskId, publicKey: d.publicKey },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.deskToken as string;
  }
  const act = (token: string, body: object) =>
    t.call('POST', '/v1/desk/feedback/actions', { token, body });
  const inbox = (token: string, query = '') =>
    t.call('GET', `/v1/desk/feedback/reports${query}`, { token });
  const idsOf = (res: { body: { rows: Array<{ id: string }> } }) => res.body.rows.map((r) => r.id);
  async function logSize(): Promise<number> {
    return (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;
  }
  async function feedOf(x: { token: string }) {
    const page = feedResponse.parse(
      (await t.call('GET', '/v1/feed?limit=1000', { token: x.token })).body,
    );
    return page.entries.flatMap((e) =>
      'event' in e && e.event.deviceId === SERVER_DEVICE_ID ? [e.event] : [],
    );
  }

  beforeAll(async () => {
    if (dialect === 'postgres') postgres ??= await startTestPostgres();
    t = await startTestServer(
      dialect === 'postgres' ? { databaseUrl: await postgres!.createDatabase() } : {},
    );
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    await t.call('POST', '/v1/admin/releases', {
      token: t.adminToken,
      body: {
        id: 'rel-1.5.0',
        version: '1.5.0',
        type: 'minor',
        ring: 'pilot',
        status: 'planned',
        plannedAt: null,
        actualAt: null,
        title: 'Release 1.5',
        notesMarkdown: '',
      },
    });
    for (const user of [
      { id: 'tech-1', name: 'Tess Tech', role: 'technician', pin: '135790', storeIds: [] },
      { id: 'sup-1', name: 'Sam Support', role: 'support', pin: '135790', storeIds: [] },
      { id: 'sup-2', name: 'Sue Support', role: 'support', pin: '135790', storeIds: [] },
    ])
      await t.call('POST', '/v1/admin/users', { token: t.adminToken, body: user });
    s1 = await enrolled('S-1');
    s2 = await enrolled('S-2');
    await record(
      s1,
      'feedback.bug_report.filed',
      filed('rep-1', 'Receipt printer jams', 'The printer stops after the first receipt', 'S1'),
    );
    await record(
      s1,
      'feedback.bug_report.filed',
      filed('rep-2', 'Slow sync', 'Sync takes minutes'),
    );
    await record(
      s2,
      'feedback.bug_report.filed',
      filed('rep-3', 'Printer offline', 'No receipt at all'),
    );
    await record(s1, 'feedback.feature_request.filed', {
      requestId: 'req-1',
      title: 'Dark mode',
      description: 'For the evening shift',
      category: 'other',
    });
    await record(s2, 'feedback.feature_request.filed', {
      requestId: 'req-2',
      title: 'Night theme',
      description: 'Same as dark mode',
      category: 'other',
    });
    await record(s2, 'feedback.feature_request.voted', { requestId: 'req-1' });
    north = await desk('region:North', 'support', `north-${dialect}`);
    everywhere = await desk('all', 'support', `all-${dialect}`);
    release = await desk('all', 'release', `release-${dialect}`);
  }, 60_000);
  afterAll(() => t.close());

  it('lists the reports in scope, filtered and searched in full text', async () => {
    const all = await inbox(everywhere);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.total).toBe(3);
    const mine = await inbox(north);
    expect(idsOf(mine).sort()).toEqual(['rep-1', 'rep-2']);
    expect(mine.body.rows[0]).toMatchObject({
      storeName: 'Store One',
      region: 'North',
      ring: 'pilot',
    });
    const printer = await inbox(everywhere, '?q=printer');
    expect(idsOf(printer).sort()).toEqual(['rep-1', 'rep-3']);
    const blockers = await inbox(everywhere, '?severity=S1');
    expect(idsOf(blockers)).toEqual(['rep-1']);
    const bySeverity = await inbox(everywhere, '?sort=severity');
    expect(bySeverity.body.rows[0].id).toBe('rep-1');
    expect((await inbox(north, '?storeId=S-2')).body.code).toBe('scope_denied');
    const bad = await inbox(everywhere, '?severity=S9');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('severity');
  });

  it("serves a store console the chain's open requests: titles, status and votes, none of a store's words", async () => {
    const chain = await t.call('GET', '/v1/feedback/requests', { token: s1.token });
    expect(chain.status, JSON.stringify(chain.body)).toBe(200);
    expect(chain.body.requests).toEqual([
      expect.objectContaining({ id: 'req-1', title: 'Dark mode', votes: 2, hasOurVote: true }),
      expect.objectContaining({ id: 'req-2', title: 'Night theme', votes: 1, hasOurVote: false }),
    ]);
    // The description is the filing store's own text.
    expect(JSON.stringify(chain.body)).not.toContain('evening shift');
    const region = await t.call('GET', '/v1/feedback/requests?scope=region', { token: s1.token });
    expect((region.body.requests as Array<{ id: string }>).map((r) => r.id)).toEqual(['req-1']);
    const bad = await t.call('GET', '/v1/feedback/requests?scope=planet', { token: s1.token });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('scope');
    expect((await t.call('GET', '/v1/feedback/requests', { token: north })).status).toBe(403);
  });

  it("serves a report's attachment with its bytes to a desk in scope, and nothing else", async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const sha256 = createHash('sha256').update(png).digest('hex');
    const upload = await t.call('POST', `/v1/evidence/${sha256}`, {
      token: s2.token,
      body: { mimeType: 'image/png', dataBase64: png.toString('base64') },
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(200);
    await record(s2, 'feedback.bug_report.filed', {
      ...filed('rep-4', 'Card reader beeps twice', 'Two beeps on every tap'),
      attachments: [
        { sha256, name: 'screen.png', mime: 'image/png', size: png.length, kind: 'screenshot' },
      ],
    });
    const path = `/v1/desk/feedback/reports/rep-4/attachments/${sha256}/inline`;
    const file = await t.call('GET', path, { token: everywhere });
    expect(file.status, JSON.stringify(file.body)).toBe(200);
    expect(file.body).toMatchObject({ sha256, name: 'screen.png', kind: 'screenshot' });
    expect(Buffer.from(file.body.dataBase64 as string, 'base64').equals(png)).toBe(true);
    expect((await t.call('GET', path, { token: north })).body.code).toBe('scope_denied');
    // A file the server holds but this report does not cite is not served through it.
    const other = await t.call(
      'GET',
      `/v1/desk/feedback/reports/rep-1/attachments/${sha256}/inline`,
      {
        token: everywhere,
      },
    );
    expect(other.status).toBe(404);
    const bad = await t.call('GET', '/v1/desk/feedback/reports/rep-4/attachments/nope/inline', {
      token: everywhere,
    });
    expect(bad.status).toBe(400);
    expect((await t.call('GET', path, { token: s2.token })).status).toBe(403);
  });

  it('triages a report: server entries naming the user, in the read models and the store feed', async () => {
    const triaged = await act(north, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.report.triaged',
        payload: { reportId: 'rep-1', severity: 'S2', assignee: 'sup-2', dueDate: '2026-03-10' },
      },
    });
    expect(triaged.status, JSON.stringify(triaged.body)).toBe(200);
    const info = await act(north, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.report.status_set',
        payload: { reportId: 'rep-1', status: 'needs_info' },
      },
    });
    expect(info.status, JSON.stringify(info.body)).toBe(200);
    await act(north, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.comment.added',
        payload: { targetId: 'rep-1', visibility: 'store', text: 'Which printer model?' },
      },
    });
    await act(north, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.comment.added',
        payload: { targetId: 'rep-1', visibility: 'internal', text: 'Looks like the driver' },
      },
    });
    const row = (await inbox(north, '?assignee=sup-2')).body.rows[0];
    expect(row).toMatchObject({
      id: 'rep-1',
      status: 'needs_info',
      severity: 'S2',
      severitySuggested: 'S1',
      assignee: 'sup-2',
      dueDate: '2026-03-10',
    });
    const detail = await t.call('GET', '/v1/desk/feedback/reports/rep-1', { token: north });
    expect(detail.status, JSON.stringify(detail.body)).toBe(200);
    expect(
      (detail.body.comments as Array<{ visibility: string }>).map((c) => c.visibility),
    ).toEqual(['store', 'internal']);
    expect(detail.body.context.logTail).toEqual(['sync ok']);
    const feed = await feedOf(s1);
    expect(feed.map((e) => e.type)).toEqual([
      'feedback.report.triaged',
      'feedback.report.status_set',
      'feedback.comment.added',
    ]);
    expect(feed[0]!.payload['actedBy']).toEqual({
      userId: 'sup-1',
      role: 'support',
      deskId: `north-${dialect}`,
    });
    expect(await feedOf(s2)).toEqual([]);
  });

  it('refuses bad input with the field named, another role or scope with 403, and changes nothing', async () => {
    const before = await logSize();
    const noRelease = await act(north, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.report.status_set',
        payload: { reportId: 'rep-1', status: 'fixed' },
      },
    });
    expect(noRelease.status).toBe(400);
    expect(noRelease.body.code).toBe('invalid_input');
    expect(noRelease.body.message).toContain('fixedIn');
    const unknownRelease = await act(north, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.report.status_set',
        payload: { reportId: 'rep-1', status: 'fixed', fixedIn: 'rel-9' },
      },
    });
    expect(unknownRelease.status).toBe(400);
    expect(unknownRelease.body.message).toContain('fixedIn');
    const badSeverity = await act(north, {
      actedBy: 'sup-1',
      action: { type: 'feedback.report.triaged', payload: { reportId: 'rep-1', severity: 'S7' } },
    });
    expect(badSeverity.status).toBe(400);
    expect(badSeverity.body.message).toContain('severity');
    const outside = await act(north, {
      actedBy: 'sup-1',
      action: { type: 'feedback.report.triaged', payload: { reportId: 'rep-3', severity: 'S4' } },
    });
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('scope_denied');
    const wrongDesk = await act(release, {
      actedBy: 'sup-1',
      action: { type: 'feedback.report.triaged', payload: { reportId: 'rep-1', severity: 'S4' } },
    });
    expect(wrongDesk.status).toBe(403);
    expect(wrongDesk.body.code).toBe('role_denied');
    const technician = await act(north, {
      actedBy: 'tech-1',
      action: { type: 'feedback.report.triaged', payload: { reportId: 'rep-1', severity: 'S4' } },
    });
    expect(technician.status).toBe(403);
    expect(technician.body.code).toBe('actor_denied');
    const unknown = await act(north, {
      actedBy: 'sup-1',
      action: { type: 'feedback.report.triaged', payload: { reportId: 'rep-404', severity: 'S4' } },
    });
    expect(unknown.status).toBe(404);
    expect(await logSize()).toBe(before);
    expect((await inbox(north, '?storeId=S-1&severity=S2')).body.total).toBe(1);
  });

  it('marks a report fixed in a release, merges duplicates and requests (votes carry over per store)', async () => {
    const fixed = await act(everywhere, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.report.status_set',
        payload: { reportId: 'rep-1', status: 'fixed', fixedIn: 'rel-1.5.0' },
      },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const merged = await act(everywhere, {
      actedBy: 'sup-1',
      action: { type: 'feedback.report.merged', payload: { reportId: 'rep-3', into: 'rep-1' } },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const detail = await t.call('GET', '/v1/desk/feedback/reports/rep-1', { token: everywhere });
    expect(detail.body.report).toMatchObject({ status: 'fixed', fixedIn: 'rel-1.5.0' });
    expect(detail.body.duplicates).toEqual(['rep-3']);
    const requests = await t.call('GET', '/v1/desk/feedback/requests', { token: everywhere });
    expect(requests.status, JSON.stringify(requests.body)).toBe(200);
    expect(
      (requests.body.rows as Array<{ id: string }>).find((r) => r.id === 'req-1'),
    ).toMatchObject({
      votes: 2,
      voters: ['S-1', 'S-2'],
    });
    const into = await act(everywhere, {
      actedBy: 'sup-1',
      action: { type: 'feedback.request.merged', payload: { requestId: 'req-1', into: 'req-2' } },
    });
    expect(into.status, JSON.stringify(into.body)).toBe(200);
    const planned = await act(everywhere, {
      actedBy: 'sup-1',
      action: {
        type: 'feedback.request.status_set',
        payload: { requestId: 'req-2', status: 'planned', plannedFor: 'rel-1.5.0' },
      },
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);
    const after = await t.call('GET', '/v1/desk/feedback/requests', { token: everywhere });
    // S-2 voted for both: still one vote; S-1's vote came over with the merge.
    expect((after.body.rows as Array<{ id: string }>).find((r) => r.id === 'req-2')).toMatchObject({
      status: 'planned',
      plannedFor: 'rel-1.5.0',
      votes: 2,
      voters: ['S-1', 'S-2'],
    });
    expect((after.body.rows as Array<{ id: string }>).find((r) => r.id === 'req-1')).toMatchObject({
      status: 'merged',
      mergedInto: 'req-2',
    });
  });

  it('rebuilds the same read models from the log', async () => {
    const db = t.server.store.db;
    const snapshot = async () =>
      JSON.stringify([
        (await inbox(everywhere, '?sort=reported')).body.rows,
        (await t.call('GET', '/v1/desk/feedback/requests', { token: everywhere })).body.rows,
        (await t.call('GET', '/v1/desk/feedback/reports/rep-1', { token: everywhere })).body,
      ]);
    const before = await snapshot();
    await rebuildReadModels(db, dialectOf(db));
    expect(await snapshot()).toBe(before);
    expect((await inbox(everywhere, '?q=printer')).body.total).toBe(2);
  });
});
