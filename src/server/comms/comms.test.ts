/**
 * A release's communication plan on a real server (127.0.0.1, SQLite and
 * PostgreSQL), its clock stepped, never slept on: bad input names its field
 * and stores nothing; the administrator who set it is named in the central
 * log; "managers two days before the pilot ring" is sent at that instant and
 * not before, once, also with two ticks at once and after a restart; its
 * webhook is delivered signed; the pilot store's console is told, the
 * general store's is not; the audit bundle holds what was sent and
 * verifies; the desk sees each time per ring and when it was sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyBundle } from '../../shared/audit/bundle.ts';
import { runAdmin } from '../admin.ts';
import { createSimDevice } from '../testing/device.ts';
import { enrollSim, startTestServer, TEST_FLEET, type TestServer } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { verify } from '../webhooks/signature.ts';
import { startReceiver, type Receiver } from '../webhooks/testing.ts';
import { createWebhookWorker } from '../webhooks/worker.ts';
import { createCommsScheduler } from './scheduler.ts';

const DAY = 86_400_000;
const RELEASE = {
  id: 'rel-5.0.0',
  version: '5.0.0',
  type: 'minor',
  ring: 'pilot',
  status: 'planned',
  plannedAt: null,
  actualAt: null,
  title: 'Release 5',
  notesMarkdown: '',
};

/** A day `n` days from `base`, YYYY-MM-DD (UTC). */
const dayOf = (base: number, n: number) => new Date(base + n * DAY).toISOString().slice(0, 10);

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(['sqlite', 'postgres'] as const)('communication plan on %s', (dialect) => {
  // Starts on a whole day, ten days before the pilot ring's first planned day.
  const start = Math.floor(Date.now() / DAY) * DAY;
  let nowMs = start;
  const pilotStart = dayOf(start, 10);
  /** Managers at 07:00 UTC two days before the pilot ring starts. */
  const managersDue = Date.parse(`${dayOf(start, 8)}T07:00:00.000Z`);
  let t: TestServer;
  let databaseUrl: string | undefined;
  let dataDir: string;
  let desk: string;
  let pilotDevice: string;
  let generalDevice: string;
  let receiver: Receiver;
  let secret: string;

  const plan = (communications: unknown[]) => ({ releaseId: RELEASE.id, communications });
  const MANAGERS = {
    id: 'managers-heads-up',
    audience: { roles: ['manager'], webhook: true },
    when: { anchor: 'ring_start', ring: 'pilot', offsetDays: -2, time: '07:00' },
    message: 'Release 5.0.0 reaches your store in two days: plan an hour for the UAT checklist.',
  };
  const TECHNICIANS = {
    id: 'technicians-on-the-day',
    audience: { roles: ['technician'], webhook: false },
    when: { anchor: 'ring_start', offsetDays: 0 },
    message: 'Deployment day: follow the runbook.',
  };

  async function start_(): Promise<TestServer> {
    return startTestServer({
      dataDir,
      now: () => new Date(nowMs),
      commsSchedule: false,
      webhookDelivery: false,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
  }
  const tick = () =>
    createCommsScheduler({ db: t.server.store.db, key: t.server.key, now: t.server.now }).runOnce();

  beforeAll(async () => {
    databaseUrl = dialect === 'postgres' ? await postgres.createDatabase() : undefined;
    dataDir = mkdtempSync(join(tmpdir(), 'dearpos-comms-'));
    t = await start_();
    const ok = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await t.call('POST', path, { token: t.adminToken, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as Record<string, unknown>;
    };
    await ok('/v1/admin/fleet', TEST_FLEET);
    await ok('/v1/admin/releases', RELEASE);
    await ok('/v1/admin/release-plans', {
      releaseId: RELEASE.id,
      rings: [
        { ring: 'pilot', start: pilotStart, end: dayOf(start, 12) },
        { ring: 'general', start: dayOf(start, 20), end: dayOf(start, 25) },
      ],
    });
    receiver = await startReceiver();
    const sub = await ok('/v1/admin/webhooks', {
      url: receiver.url,
      eventTypes: ['release.communication.due'],
    });
    secret = sub.secret as string;
    const pilot = createSimDevice('S-1');
    pilotDevice = await enrollSim(t, pilot, 'S-1');
    generalDevice = await enrollSim(t, createSimDevice('S-2'), 'S-2');
    const code = await ok('/v1/admin/desk-enrollment-codes', { scope: 'all', role: 'release' });
    const enrolled = await t.call('POST', '/v1/desk/enroll', {
      body: { code: code.code as string, deskId: 'desk-comms', publicKey: pilot.publicKey },
    });
    desk = enrolled.body.deskToken as string;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const logSize = async () =>
    (await t.call('GET', '/v1/log/tree-head')).body.treeHead.size as number;
  const deskPlan = async () => {
    const res = await t.call('GET', `/v1/desk/releases/${RELEASE.id}/comms-plan`, { token: desk });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as {
      communications: Array<{
        id: string;
        sendings: Array<{ ring: string | null; dueAt: string | null; sentAt: string | null }>;
      }>;
    };
  };
  const communicationNotices = async (token: string) => {
    const res = await t.call('GET', '/v1/notices?since=0&communications=1', { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.notices as Array<Record<string, unknown>>).filter(
      (n) => n.kind === 'communication',
    );
  };

  it('refuses an unknown release, role or ring, and an empty message, naming the field; nothing is stored or logged', async () => {
    const size = await logSize();
    const cases: Array<[unknown, string]> = [
      [{ ...plan([MANAGERS]), releaseId: 'rel-9' }, 'releaseId'],
      [
        plan([{ ...MANAGERS, audience: { roles: ['cashier'], webhook: false } }]),
        'communications.0.audience.roles.0',
      ],
      [
        plan([{ ...MANAGERS, when: { ...MANAGERS.when, ring: 'early' } }]),
        'communications.0.when.ring',
      ],
      [plan([MANAGERS, { ...TECHNICIANS, message: '   ' }]), 'communications.1.message'],
      [
        plan([{ ...MANAGERS, audience: { roles: [], webhook: false } }]),
        'communications.0.audience.roles',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await t.call('POST', '/v1/admin/comms-plans', { token: t.adminToken, body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe('invalid_input');
      expect((res.body.fieldErrors as Array<{ field: string }>).map((e) => e.field)).toEqual([
        field,
      ]);
    }
    expect((await deskPlan()).communications).toEqual([]);
    expect(await logSize()).toBe(size);
  });

  it('stores the plan as a central action naming the administrator; the desk sees each time per ring', async () => {
    const res = await t.call('POST', '/v1/admin/comms-plans', {
      token: t.adminToken,
      body: plan([MANAGERS, TECHNICIANS]),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const size = await logSize();
    const entries = await t.call('GET', `/v1/log/entries?start=${size - 1}&end=${size}`, {
      token: t.adminToken,
    });
    expect(entries.body.entries[0].event).toMatchObject({
      type: 'admin.commsPlan.set',
      payload: {
        releaseId: RELEASE.id,
        communications: [MANAGERS.id, TECHNICIANS.id],
        actedBy: { adminId: 'test-admin', via: 'token' },
      },
    });
    expect((await deskPlan()).communications).toEqual([
      expect.objectContaining({
        id: MANAGERS.id,
        sendings: [{ ring: 'pilot', dueAt: new Date(managersDue).toISOString(), sentAt: null }],
      }),
      expect.objectContaining({
        id: TECHNICIANS.id,
        // Each ring the release plan has, on its first day at 00:00 UTC.
        sendings: [
          { ring: 'pilot', dueAt: `${pilotStart}T00:00:00.000Z`, sentAt: null },
          { ring: 'general', dueAt: `${dayOf(start, 20)}T00:00:00.000Z`, sentAt: null },
        ],
      }),
    ]);
  });

  it('sends "managers two days before the pilot ring" at that instant, not before, and once', async () => {
    nowMs = managersDue - 60_000;
    expect(await tick()).toEqual([]);
    expect(await communicationNotices(pilotDevice)).toEqual([]);

    nowMs = managersDue;
    // Two ticks at once: one sends, the other finds it sent.
    const [a, b] = await Promise.all([tick(), tick()]);
    expect([...a, ...b]).toEqual([
      expect.objectContaining({ communicationId: MANAGERS.id, ring: 'pilot' }),
    ]);
    nowMs += 5 * 60_000;
    expect(await tick()).toEqual([]);

    // The pilot store's consoles are told, for managers; the general store's are not.
    expect(await communicationNotices(pilotDevice)).toEqual([
      expect.objectContaining({
        kind: 'communication',
        releaseId: RELEASE.id,
        subjectId: MANAGERS.id,
        text: MANAGERS.message,
        roles: ['manager'],
      }),
    ]);
    expect(await communicationNotices(generalDevice)).toEqual([]);
    // A console that does not ask for communications (one that does not know the kind) gets none.
    const older = await t.call('GET', '/v1/notices?since=0', { token: pilotDevice });
    const kinds = (older.body.notices as Array<{ kind: string }>).map((n) => n.kind);
    expect(kinds).not.toContain('communication');

    const sending = (await deskPlan()).communications[0]!.sendings[0]!;
    expect(sending).toEqual({
      ring: 'pilot',
      dueAt: new Date(managersDue).toISOString(),
      sentAt: new Date(managersDue).toISOString(),
    });
  });

  it('delivers the webhook once, signed, naming the message and roles', async () => {
    const worker = createWebhookWorker(t.server.store.db, { clock: { now: () => nowMs } });
    try {
      expect((await worker.drain()).delivered).toBe(1);
    } finally {
      await worker.stop();
    }
    expect(receiver.received).toHaveLength(1);
    const [r] = receiver.received;
    const headers = r!.headers as Record<string, string>;
    expect(verify(secret, headers, r!.body, Math.floor(nowMs / 1000))).toBe(true);
    expect(JSON.parse(r!.body)).toMatchObject({
      type: 'release.communication.due',
      data: {
        releaseId: RELEASE.id,
        communicationId: MANAGERS.id,
        ring: 'pilot',
        roles: 'manager',
        message: MANAGERS.message,
        dueAt: new Date(managersDue).toISOString(),
      },
    });
  });

  it('after a restart, sends nothing twice and the rest at its own time; a technicians-only notice', async () => {
    await t.close();
    t = await start_();
    expect(await tick()).toEqual([]);
    nowMs = Date.parse(`${pilotStart}T00:00:00.000Z`);
    expect(await tick()).toEqual([
      expect.objectContaining({ communicationId: TECHNICIANS.id, ring: 'pilot' }),
    ]);
    expect(await tick()).toEqual([]);
    const notices = await communicationNotices(pilotDevice);
    expect(notices.map((n) => [n.subjectId, n.roles])).toEqual([
      [MANAGERS.id, ['manager']],
      [TECHNICIANS.id, ['technician']],
    ]);
    // Who was told what and when is evidence: the audit bundle holds both entries and verifies.
    const bundle = await t.call('GET', '/v1/audit/bundle', { token: t.adminToken });
    const lines = (bundle.body as string).split('\n').filter((l) => l.trim() !== '');
    const verdict = verifyBundle(lines, undefined, { trustedLogPublicKey: t.server.key.publicKey });
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    expect(lines.filter((l) => l.includes('"release.communication.sent"'))).toHaveLength(2);
    // Not a webhook communication: nothing more reached the receiver.
    const worker = createWebhookWorker(t.server.store.db, { clock: { now: () => nowMs } });
    try {
      expect((await worker.drain()).claimed).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it('the command line sets a plan as the named administrator, and refuses a bad one with the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-comms-cli-'));
    const file = join(dir, 'plan.json');
    const out: string[] = [];
    const err: string[] = [];
    const outSpy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((s) => (out.push(String(s)), true));
    const errSpy = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((s) => (err.push(String(s)), true));
    const env = process.env.DATABASE_URL;
    if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
    try {
      const args = ['set-comms-plan', '--data', dataDir, '--json', file, '--as', 'test-admin'];
      writeFileSync(file, JSON.stringify(plan([{ ...TECHNICIANS, message: '' }])));
      expect(await runAdmin(args)).toBe(1);
      expect(err.join('')).toContain('communications.0.message');
      writeFileSync(file, JSON.stringify(plan([MANAGERS])));
      expect(await runAdmin(args)).toBe(0);
      expect(out.join('')).toContain(`communication plan of release ${RELEASE.id} set`);
    } finally {
      if (env === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = env;
      outSpy.mockRestore();
      errSpy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    const size = await logSize();
    const entries = await t.call('GET', `/v1/log/entries?start=${size - 1}&end=${size}`, {
      token: t.adminToken,
    });
    expect(entries.body.entries[0].event.payload).toMatchObject({
      releaseId: RELEASE.id,
      actedBy: { adminId: 'test-admin', via: 'cli' },
    });
    // What was sent stays sent; the technicians' communication left the plan.
    expect((await deskPlan()).communications.map((c) => c.id)).toEqual([MANAGERS.id]);
  });
});
