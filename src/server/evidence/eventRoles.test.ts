/**
 * The server applies the shared event registry to the checklist event types:
 * a payload that is not strictly valid is refused at push and nothing is
 * stored; a technician's decision or waiver is well formed but breaks the
 * actor rule, so it is appended and quarantined `role_not_allowed_for_type`
 * (roles checked in the console and again at the server, without stalling
 * the device's queue).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basisDigest } from '../../shared/decisions/binding.ts';
import { createSimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const basis = { results: [], waivers: [], evidence: [] };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  for (const role of ['manager', 'technician'])
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id: `u-${role}`, name: role, role, pin: '123456', storeIds: ['S-1'] },
    });
});
afterAll(() => t.close());

function decisionPayload() {
  return {
    decisionId: 'd-1',
    releaseId: 'rel-1',
    decision: 'go',
    reason: 'All passed',
    conditions: [],
    verdict: 'go',
    criteria: [
      { id: 'no_open_blocker', kind: 'no_open_blocker', isMet: true, reason: 'None open.' },
    ],
    signature: { sha256: 'a'.repeat(64), mimeType: 'image/png', byteLength: 70 },
    basis,
    digest: basisDigest(basis, sha256Hex),
  };
}

describe('checklist events at the central server', () => {
  const TABLE: Array<{
    name: string;
    role: 'technician' | 'manager';
    type: string;
    payload: Record<string, unknown>;
    status: number;
    code?: string;
    quarantined?: string;
  }> = [
    {
      name: 'a manager’s decision is accepted',
      role: 'manager',
      type: 'decision.recorded',
      payload: decisionPayload(),
      status: 200,
    },
    {
      name: 'a technician cannot sign a decision',
      role: 'technician',
      type: 'decision.recorded',
      payload: decisionPayload(),
      status: 200,
      quarantined: 'role_not_allowed_for_type',
    },
    {
      name: 'a technician cannot waive',
      role: 'technician',
      type: 'checklist.item.waived',
      payload: { runId: 'r', terminalId: 'T-1', itemId: 'i', reason: 'no drawer' },
      status: 200,
      quarantined: 'role_not_allowed_for_type',
    },
    {
      name: 'an answer type that does not exist is refused',
      role: 'technician',
      type: 'checklist.result.recorded',
      payload: {
        runId: 'r',
        terminalId: 'T-1',
        itemId: 'i',
        answer: { type: 'video' },
        outcome: 'pass',
        note: null,
        evidence: [],
      },
      status: 400,
    },
    {
      name: 'an unknown field is refused',
      role: 'manager',
      type: 'checklist.item.waived',
      payload: { runId: 'r', terminalId: 'T-1', itemId: 'i', reason: 'no drawer', extra: true },
      status: 400,
    },
  ];
  it.each(TABLE)('$name', async ({ role, type, payload, status, code, quarantined }) => {
    const device = createSimDevice('S-1', { actor: { userId: `u-${role}`, role } });
    const token = await enrollSim(t, device, 'S-1');
    device.record(type, payload);
    const res = await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 1) });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (code) expect(res.body.code).toBe(code);
    if (status === 200)
      expect(res.body.quarantined).toEqual(quarantined ? [{ seq: 1, reason: quarantined }] : []);
    if (status !== 200) {
      const stored = await t.server.store.db
        .selectFrom('log_entries')
        .select('idx')
        .where('device_id', '=', device.deviceId)
        .execute();
      expect(stored).toEqual([]);
    }
  });
});
