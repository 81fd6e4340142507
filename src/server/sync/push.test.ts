// Proof bodies are passed to the verifiers as received: that is what is under test.
/* eslint-disable @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import {
  verifyConsistencyHex,
  verifyInclusionHex,
  eventLeafHashHex,
} from '../../shared/audit/merkle.ts';
import { checkpointText, treeHeadText } from '../../shared/audit/event.ts';
import {
  enrollResponse,
  logKeyResponse,
  pushResponse,
  signedTreeHead,
} from '../../shared/sync/protocol.ts';
import { sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { createSimDevice, versionPayload, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('on %s', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(
      dialect === 'postgres' ? { databaseUrl: await postgres.createDatabase() } : {},
    );
    const imported = await t.call('POST', '/v1/admin/fleet', {
      token: t.adminToken,
      body: TEST_FLEET,
    });
    expect(imported.status).toBe(200);
  });
  afterAll(() => t.close());

  async function enrolled(storeId = 'S-1'): Promise<{ d: SimDevice; token: string }> {
    const d = createSimDevice(storeId);
    return { d, token: await enrollSim(t, d, storeId) };
  }

  function record(d: SimDevice, n: number) {
    for (let i = 0; i < n; i++) d.record('fleet.version.recorded', versionPayload(d.events.length));
  }

  describe('push rules', () => {
    it('appends seq = last+1, acknowledges a retried batch again without duplicating it', async () => {
      const { d, token } = await enrolled();
      record(d, 5);
      const first = await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 3) });
      expect(first.status).toBe(200);
      const ack = pushResponse.parse(first.body);
      expect(ack.ackSeq).toBe(3);
      expect(ack.appended).toMatchObject({ firstSeq: 1, lastSeq: 3 });
      const again = pushResponse.parse(
        (await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 3) })).body,
      );
      expect(again).toMatchObject({ ackSeq: 3, appended: null, duplicates: 3 });
      const overlap = pushResponse.parse(
        (await t.call('POST', '/v1/events', { token, body: d.pushBody(2, 5) })).body,
      );
      expect(overlap).toMatchObject({
        ackSeq: 5,
        duplicates: 2,
        appended: { firstSeq: 4, lastSeq: 5 },
      });
      expect(overlap.appended!.lastIndex - overlap.appended!.firstIndex).toBe(1);
    });

    it('answers a gap with 409 and the expected seq, and stores nothing', async () => {
      const { d, token } = await enrolled();
      record(d, 6);
      await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 2) });
      const before = (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size;
      const gap = await t.call('POST', '/v1/events', { token, body: d.pushBody(4, 6) });
      expect(gap.status).toBe(409);
      expect(gap.body).toMatchObject({ code: 'seq_gap', expectedSeq: 3 });
      expect((await t.call('GET', '/v1/log/tree-head')).body.treeHead.size).toBe(before);
    });

    it('rejects a different event at a stored seq as equivocation and records it', async () => {
      const { d, token } = await enrolled();
      record(d, 2);
      await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 2) });
      // Same device id and key, a different history from seq 1.
      const evil = createSimDevice('S-1', { deviceId: d.deviceId });
      evil.record('fleet.version.recorded', versionPayload(999));
      const body = evil.pushBody(1, 1);
      // Re-sign the checkpoint with the real device key so only the history differs.
      body.checkpoint.signature = sign(
        null,
        Buffer.from(checkpointText(d.deviceId, 1, body.checkpoint.head)),
        d.privateKey,
      ).toString('base64');
      const res = await t.call('POST', '/v1/events', { token, body });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'equivocation', seq: 1 });
      const rows = await t.server.store.db
        .selectFrom('equivocations')
        .selectAll()
        .where('device_id', '=', d.deviceId)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.stored_hash).toBe(d.events[0]!.hash);
    });

    const cases: Array<
      [string, (d: SimDevice, body: ReturnType<SimDevice['pushBody']>) => void, number, string]
    > = [
      [
        'a payload altered after hashing',
        (_d, b) => ((b.events[1]!.payload as { version: string }).version = '9.9.9'),
        422,
        'bad_hash',
      ],
      ['a broken prev link', (_d, b) => b.events.splice(1, 1), 400, 'invalid_input'],
      [
        'a checkpoint signed by another key',
        (_d, b) => (b.checkpoint.signature = Buffer.alloc(64, 7).toString('base64')),
        422,
        'bad_signature',
      ],
      ['an event for another store', (_d, b) => (b.events[0]!.storeId = 'S-2'), 403, 'wrong_store'],
      [
        'an unknown event type',
        (_d, b) => (b.events[0]!.type = 'nope.happened'),
        403,
        'forbidden_event_type',
      ],
      [
        'an invalid payload',
        (_d, b) => (b.events[0]!.payload = { terminalId: 'T-1' }),
        400,
        'invalid_input',
      ],
      ['an extra field', (_d, b) => Object.assign(b, { extra: 1 }), 400, 'invalid_input'],
      ['another device id', (_d, b) => (b.deviceId = 'someone-else'), 403, 'wrong_device'],
    ];
    for (const [name, mutate, status, code] of cases) {
      it(`rejects ${name} with ${status} ${code} and stores nothing`, async () => {
        const { d, token } = await enrolled();
        record(d, 3);
        const body = structuredClone(d.pushBody(1, 3));
        mutate(d, body);
        const before = (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size;
        const res = await t.call('POST', '/v1/events', { token, body });
        expect(res.status).toBe(status);
        expect(res.body.code).toBe(code);
        expect((await t.call('GET', '/v1/log/tree-head')).body.treeHead.size).toBe(before);
        const stored = await t.server.store.db
          .selectFrom('log_entries')
          .select('idx')
          .where('device_id', '=', d.deviceId)
          .execute();
        expect(stored).toHaveLength(0);
      });
    }

    it('rejects a batch whose prev does not link to the stored chain', async () => {
      const { d, token } = await enrolled();
      record(d, 4);
      await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 2) });
      const fake = createSimDevice('S-1', { deviceId: d.deviceId });
      record(fake, 4);
      const body = fake.pushBody(3, 4);
      body.checkpoint.signature = sign(
        null,
        Buffer.from(checkpointText(d.deviceId, 4, body.checkpoint.head)),
        d.privateKey,
      ).toString('base64');
      const res = await t.call('POST', '/v1/events', { token, body });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('bad_prev');
    });
  });

  describe('the log', () => {
    it('serves signed tree heads, inclusion and consistency proofs that verify', async () => {
      const key = logKeyResponse.parse((await t.call('GET', '/v1/log/key')).body);
      const { d, token } = await enrolled();
      record(d, 30);
      const early = signedTreeHead.parse((await t.call('GET', '/v1/log/tree-head')).body);
      const acks = [];
      for (let s = 1; s <= 30; s += 10)
        acks.push(
          pushResponse.parse(
            (await t.call('POST', '/v1/events', { token, body: d.pushBody(s, s + 9) })).body,
          ),
        );
      const head = signedTreeHead.parse((await t.call('GET', '/v1/log/tree-head')).body);
      expect(head.treeHead.logId).toBe(key.logId);
      expect(
        ed25519.verify(
          Buffer.from(head.signature, 'base64'),
          Buffer.from(treeHeadText(head.treeHead)),
          Buffer.from(key.publicKey, 'base64'),
        ),
      ).toBe(true);
      const size = head.treeHead.size;
      const idx = acks[1]!.appended!.firstIndex + 3;
      const incl = await t.call('GET', `/v1/log/proof/inclusion?index=${idx}&size=${size}`);
      expect(incl.status).toBe(200);
      expect(incl.body.leafHash).toBe(eventLeafHashHex(d.events[13]!.hash));
      expect(verifyInclusionHex(incl.body, head.treeHead.root)).toBe(true);
      if (early.treeHead.size > 0) {
        const cons = await t.call(
          'GET',
          `/v1/log/proof/consistency?first=${early.treeHead.size}&second=${size}`,
        );
        expect(verifyConsistencyHex(cons.body, early.treeHead.root, head.treeHead.root)).toBe(true);
      }
      for (let first = 1; first <= size; first += 7) {
        const older = await t.server.store.db
          .selectFrom('tree_heads')
          .select(['size', 'root'])
          .where('size', '=', first)
          .executeTakeFirst();
        if (!older) continue;
        const cons = await t.call('GET', `/v1/log/proof/consistency?first=${first}&second=${size}`);
        expect(verifyConsistencyHex(cons.body, older.root, head.treeHead.root)).toBe(true);
      }
      const entries = await t.call('GET', `/v1/log/entries?start=${idx}&end=${idx + 2}`, {
        token: t.adminToken,
      });
      expect(entries.status).toBe(200);
      expect(entries.body.entries[0].event).toEqual(d.events[13]);
      const bad = await t.call('GET', `/v1/log/proof/inclusion?index=${size}&size=${size}`);
      expect(bad.status).toBe(400);
    });

    it('exports an audit bundle for one store that verifies, and fails when an event is altered', async () => {
      const { d, token } = await enrolled('S-2');
      record(d, 12);
      await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 12) });
      const auditor = await t.call('POST', '/v1/admin/auditor-tokens', {
        token: t.adminToken,
        body: { label: 'auditor' },
      });
      const res = await fetch(`${t.url}/v1/audit/bundle?storeId=S-2`, {
        headers: { authorization: `Bearer ${auditor.body.token}` },
      });
      expect(res.status).toBe(200);
      const lines = (await res.text()).trim().split('\n');
      const result = verifyBundle(lines);
      expect(result).toMatchObject({ ok: true, events: 12, devices: 1 });
      const i = lines.findIndex((l) => l.includes('"kind":"event"'));
      const tampered = lines.slice();
      tampered[i] = tampered[i]!.replace('"typed"', '"scanned"');
      expect(verifyBundle(tampered)).toMatchObject({ ok: false, line: i + 1 });
    });
  });

  describe('enrollment and catalog', () => {
    it('enrolls once per code and serves the store catalog changes with a cursor', async () => {
      const d = createSimDevice('S-1');
      const code = (
        await t.call('POST', '/v1/admin/enrollment-codes', {
          token: t.adminToken,
          body: { storeId: 'S-1' },
        })
      ).body.code;
      const ok = await t.call('POST', '/v1/enroll', {
        body: { code, deviceId: d.deviceId, publicKey: d.publicKey },
      });
      expect(ok.status).toBe(200);
      const enrolledDevice = enrollResponse.parse(ok.body);
      const reuse = await t.call('POST', '/v1/enroll', {
        body: { code, deviceId: 'another-device', publicKey: d.publicKey },
      });
      expect(reuse.body.code).toBe('enrollment_code_invalid');
      const changes = await t.call('GET', '/v1/changes', { token: enrolledDevice.deviceToken });
      expect(changes.status).toBe(200);
      const ids = changes.body.changes.map(
        (c: { entity: string; value?: { id?: string } }) => `${c.entity}:${c.value?.id}`,
      );
      expect(ids).toContain('store:S-1');
      expect(ids).toContain('terminal:T-1');
      expect(ids).not.toContain('store:S-2');
      expect(ids).not.toContain('terminal:T-2');
      const user = await t.call('POST', '/v1/admin/users', {
        token: t.adminToken,
        body: { id: 'u-9', name: 'Nine', role: 'manager', pin: '482913', storeIds: ['S-1'] },
      });
      expect(user.status).toBe(200);
      expect(JSON.stringify(user.body)).not.toContain('482913');
      const next = await t.call('GET', `/v1/changes?cursor=${changes.body.cursor}`, {
        token: enrolledDevice.deviceToken,
      });
      expect(next.body.changes).toHaveLength(1);
      expect(next.body.changes[0].value.pinHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    });
  });
});
