/**
 * The release desk assigns a checklist template to stores with a due date:
 * one server entry per store naming the acting user, the assignment in each
 * store's catalog pull; a refusal for any store assigns nothing. A real
 * server on 127.0.0.1, on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimDevice } from '../testing/device.ts';
import { enrollSim, pullAllChanges, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { checklistTemplateBody } from '../testing/publishBodies.ts';

const FLEET = {
  stores: [
    { id: 'S-1', name: 'Store One', region: 'North', ring: 'pilot', timezone: 'Europe/Paris' },
    { id: 'S-3', name: 'Store Three', region: 'North', ring: 'pilot', timezone: 'Europe/Paris' },
    { id: 'S-2', name: 'Store Two', region: 'South', ring: 'general', timezone: 'Europe/Paris' },
  ],
  terminals: [],
};
const TEMPLATE = checklistTemplateBody('uat-checkout');

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('checklist assignments on %s', (dialect) => {
  let t: TestServer;
  let releaseDesk: string;
  let supportDesk: string;
  let s1: string;
  let s2: string;
  const due = () => new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, '.000Z');

  async function deskToken(role: string, deskId: string): Promise<string> {
    const code = await t.call('POST', '/v1/admin/desk-enrollment-codes', {
      token: t.adminToken,
      body: { scope: 'region:North', role },
    });
    const enrolled = await t.call('POST', '/v1/desk/enroll', {
      body: { code: code.body.code, deskId, publicKey: createSimDevice('S-1').publicKey },
    });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    return enrolled.body.deskToken as string;
  }

  async function logSize(): Promise<number> {
    return (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;
  }

  beforeAll(async () => {
    const databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
    t = await startTestServer(databaseUrl ? { databaseUrl } : {});
    expect(
      (await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: FLEET })).status,
    ).toBe(200);
    const template = await t.call('POST', '/v1/admin/checklist-templates', {
      token: t.adminToken,
      body: TEMPLATE,
    });
    expect(template.status, JSON.stringify(template.body)).toBe(200);
    for (const user of [
      // The central catalog records an administrator's facts for the stores it names.
      {
        id: 'rm-1',
        name: 'Rita Release',
        role: 'admin',
        pin: '135790',
        storeIds: ['S-1', 'S-2', 'S-3'],
      },
      { id: 'tech-1', name: 'Tess Tech', role: 'technician', pin: '135790', storeIds: [] },
    ]) {
      const res = await t.call('POST', '/v1/admin/users', { token: t.adminToken, body: user });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    releaseDesk = await deskToken('release', 'desk-release');
    supportDesk = await deskToken('support', 'desk-support');
    s1 = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    s2 = await enrollSim(t, createSimDevice('S-2'), 'S-2');
  });
  afterAll(() => t.close());

  const assign = (token: string, body: Record<string, unknown>) =>
    t.call('POST', '/v1/desk/checklist-assignments', {
      token,
      body: {
        templateId: TEMPLATE.id,
        storeIds: ['S-1', 'S-3'],
        dueAt: due(),
        actedBy: 'rm-1',
        note: 'Before the pilot weekend',
        ...body,
      },
    });

  it('refusals change nothing: wrong desk role, outside the scope, not an admin, past due, unknown template', async () => {
    const before = await logSize();
    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      [supportDesk, {}, 403, 'role_denied'],
      [releaseDesk, { storeIds: ['S-1', 'S-2'] }, 403, 'scope_denied'],
      [releaseDesk, { actedBy: 'tech-1' }, 403, 'actor_denied'],
      [releaseDesk, { dueAt: '2020-01-01T00:00:00.000Z' }, 400, 'invalid_input'],
      [releaseDesk, { templateId: 'no-such' }, 400, 'invalid_input'],
      [releaseDesk, { storeIds: [] }, 400, 'invalid_input'],
    ];
    for (const [token, body, status, code] of cases) {
      const res = await assign(token, body);
      expect([res.status, res.body.code], JSON.stringify(res.body)).toEqual([status, code]);
    }
    const pastDue = await assign(releaseDesk, { dueAt: '2020-01-01T00:00:00.000Z' });
    expect(pastDue.body.message).toContain('dueAt');
    expect(await logSize()).toBe(before);
    expect((await pullAllChanges(t, s1)).some((c) => c.entity === 'checklistAssignment')).toBe(
      false,
    );
  });

  it("assigns to each store in scope: a log entry naming the user, the store's catalog pull, no other store's", async () => {
    const before = await logSize();
    const dueAt = due();
    const res = await assign(releaseDesk, { dueAt });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.storeIds).toEqual(['S-1', 'S-3']);
    expect(await logSize()).toBe(before + 2);
    const entries = await t.call('GET', `/v1/log/entries?start=${before}&end=${before + 2}`, {
      token: t.adminToken,
    });
    expect(entries.status, JSON.stringify(entries.body)).toBe(200);
    const events = (entries.body.entries as Array<{ event: Record<string, unknown> }>).map(
      (e) => e.event,
    );
    expect(events.map((e) => [e['type'], e['storeId']])).toEqual([
      ['checklist.assigned', 'S-1'],
      ['checklist.assigned', 'S-3'],
    ]);
    expect(events[0]!['payload']).toMatchObject({
      templateId: TEMPLATE.id,
      dueAt,
      actedBy: { userId: 'rm-1', role: 'admin', deskId: 'desk-release' },
    });
    const mine = (await pullAllChanges(t, s1)).filter((c) => c.entity === 'checklistAssignment');
    expect(mine).toEqual([
      {
        entity: 'checklistAssignment',
        op: 'upsert',
        value: expect.objectContaining({
          storeId: 'S-1',
          templateId: TEMPLATE.id,
          dueAt,
          assignedBy: { userId: 'rm-1', deskId: 'desk-release' },
          logIndex: before,
        }),
      },
    ]);
    expect((await pullAllChanges(t, s2)).some((c) => c.entity === 'checklistAssignment')).toBe(
      false,
    );
  });
});
