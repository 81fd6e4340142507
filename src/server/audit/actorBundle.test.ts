/**
 * audit:verify re-applies what the read models rely on, on bundles from a
 * real server on 127.0.0.1: the quarantined events are exactly those that
 * break the actor rule against the catalog in force at their index, and each
 * sign-off names its evidence events by their true hashes. Any edit of the
 * marks, the catalog lines or a sign-off's basis is caught at its line.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type BundleVerification } from '../../shared/audit/bundle.ts';
import { basisDigest, type DecisionBasis } from '../../shared/decisions/binding.ts';
import { createSimDevice, versionPayload, type SimDevice } from '../testing/device.ts';
import { TEST_FLEET, enrollSim, startTestServer, type TestServer } from '../testing/harness.ts';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const EVIDENCE = 'e'.repeat(64);

let t: TestServer;
let d: SimDevice;
let storeBundle: string[];
let completeBundle: string[];

function resultPayload(itemId: string, evidence: string[]) {
  return {
    runId: 'run-1',
    terminalId: 'T-1',
    itemId,
    answer: { type: 'passFail', value: 'pass' },
    outcome: 'pass',
    note: null,
    evidence,
  };
}

function decisionPayload(decisionId: string, basis: DecisionBasis) {
  return {
    decisionId,
    releaseId: 'rel-1',
    decision: 'go',
    reason: 'All passed',
    conditions: [],
    verdict: 'go',
    criteria: [],
    signature: { sha256: 'a'.repeat(64), mimeType: 'image/png', byteLength: 70 },
    basis,
    digest: basisDigest(basis, sha256Hex),
  };
}

beforeAll(async () => {
  t = await startTestServer();
  await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
  for (const u of [
    { id: 'u-tech', role: 'technician', storeIds: ['S-1'] },
    { id: 'u-mgr', role: 'manager', storeIds: ['S-1'] },
    { id: 'u-mgr-other', role: 'manager', storeIds: ['S-2'] },
  ])
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { ...u, name: u.id, pin: '123456' },
    });
  d = createSimDevice('S-1', { actor: { userId: 'u-tech', role: 'technician' } });
  const token = await enrollSim(t, d, 'S-1');
  const r1 = d.record('checklist.result.recorded', resultPayload('i-1', [EVIDENCE]));
  const r2 = d.record('checklist.result.recorded', resultPayload('i-2', []));
  d.record('fleet.version.recorded', versionPayload(1, 'T-2')); // terminal of another store
  d.record('fleet.version.recorded', versionPayload(2), {
    actor: { userId: 'u-ghost-does-not-exist', role: 'technician' },
  });
  const basis: DecisionBasis = {
    results: [r1, r2].map((r, i) => ({
      runId: 'run-1',
      terminalId: 'T-1',
      itemId: `i-${i + 1}`,
      eventId: r.id,
      hash: r.hash,
    })),
    waivers: [],
    evidence: [EVIDENCE],
  };
  d.record('decision.recorded', decisionPayload('dec-1', basis), {
    actor: { userId: 'u-mgr', role: 'manager' },
  });
  d.record('decision.recorded', decisionPayload('dec-2', basis), {
    actor: { userId: 'u-mgr-other', role: 'manager' },
  });
  const pushed = await t.call('POST', '/v1/events', { token, body: d.pushBody(1, 6) });
  expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
  expect(pushed.body.quarantined).toEqual([
    { seq: 3, reason: 'terminal_store_denied' },
    { seq: 4, reason: 'actor_unknown' },
    { seq: 6, reason: 'actor_store_denied' },
  ]);
  // The revocation after them changes nothing for them: the bundle carries both versions.
  await t.call('POST', '/v1/admin/users/revoke', {
    token: t.adminToken,
    body: { userId: 'u-mgr' },
  });
  const bundleOf = async (query: string) => {
    const res = await t.call('GET', `/v1/audit/bundle${query}`, { token: t.adminToken });
    expect(res.status).toBe(200);
    return (res.body as string).trimEnd().split('\n');
  };
  storeBundle = await bundleOf('?storeId=S-1');
  completeBundle = await bundleOf('');
});
afterAll(() => t.close());

const verify = (lines: string[]): BundleVerification => verifyBundle(lines);

const parsedStoreBundle = () => storeBundle.map((l) => JSON.parse(l) as Record<string, unknown>);

/** The store bundle's first device event (the log starts with the server's central actions). */
function firstDeviceEventIndex(): number {
  const line = parsedStoreBundle().find(
    (l) => l.kind === 'event' && (l.event as { deviceId: string }).deviceId !== 'server',
  );
  return line!.index as number;
}

/** Where the user's first catalog version takes effect: a revocation dated there comes before every act. */
function creationIndexOf(userId: string): number {
  const line = parsedStoreBundle().find((l) => l.kind === 'user' && l.userId === userId);
  return line!.fromIndex as number;
}

/** The bundle with line `i` (0-based, found by `find`) replaced by `edit` of its parsed form. */
function edited(
  lines: string[],
  find: (line: Record<string, unknown>) => boolean,
  edit: (line: Record<string, unknown>) => Record<string, unknown> | null,
): { lines: string[]; line: number } {
  const i = lines.findIndex((l) => find(JSON.parse(l) as Record<string, unknown>));
  expect(i).toBeGreaterThanOrEqual(0);
  const out = [...lines];
  const replaced = edit(JSON.parse(lines[i]!) as Record<string, unknown>);
  if (replaced === null) out.splice(i, 1);
  else out[i] = JSON.stringify(replaced);
  return { lines: out, line: i + 1 };
}

describe('audit bundles carry and verify who acted', () => {
  it('a store bundle and the complete log verify: 3 quarantined events, each breaking the rule, and sound sign-offs', () => {
    for (const lines of [storeBundle, completeBundle]) {
      const result = verify(lines);
      expect(result).toMatchObject({ ok: true, quarantined: 3, signOffs: 2, actorChecked: 6 });
    }
    // Every version of each actor: u-mgr twice (active, then revoked after its sign-off).
    expect(
      storeBundle
        .filter((l) => l.startsWith('{"kind":"user"'))
        .map((l) => (JSON.parse(l) as { userId: string }).userId),
    ).toEqual(['u-mgr', 'u-mgr', 'u-mgr-other', 'u-tech']);
  });

  const tampering: Array<
    [
      string,
      (l: Record<string, unknown>) => boolean,
      (l: Record<string, unknown>) => Record<string, unknown> | null,
      RegExp,
    ]
  > = [
    [
      'a quarantine mark removed',
      (l) => l.kind === 'quarantine' && l.reason === 'actor_unknown',
      () => null,
      /breaks the actor rule \(actor_unknown\) but is not quarantined/,
    ],
    [
      'a quarantine reason changed',
      (l) => l.kind === 'quarantine' && l.reason === 'actor_unknown',
      (l) => ({ ...l, reason: 'actor_revoked' }),
      /quarantined as actor_revoked, but the actor rule says actor_unknown/,
    ],
    [
      'a good event marked quarantined',
      (l) => l.kind === 'quarantine',
      (l) => ({ ...l, index: firstDeviceEventIndex() }),
      /quarantined as terminal_store_denied, but the actor rule lets it count/,
    ],
    [
      "a user's stores widened",
      (l) => l.kind === 'user' && l.userId === 'u-mgr-other',
      (l) => ({ ...l, storeIds: ['S-1', 'S-2'] }),
      /quarantined as actor_store_denied, but the actor rule lets it count/,
    ],
    [
      'a terminal moved to the store',
      (l) => l.kind === 'terminal' && l.terminalId === 'T-2',
      (l) => ({ ...l, storeId: 'S-1' }),
      /quarantined as terminal_store_denied, but the actor rule lets it count/,
    ],
    [
      'the revocation dated before the sign-off',
      (l) => l.kind === 'user' && l.userId === 'u-mgr' && l.isRevoked === true,
      (l) => ({ ...l, fromIndex: creationIndexOf('u-mgr') }),
      /breaks the actor rule \(actor_revoked\) but is not quarantined/,
    ],
    [
      'the actor-rule line removed',
      (l) => l.kind === 'actor-rule',
      () => null,
      /a quarantine line without an actor-rule line/,
    ],
  ];
  for (const [name, find, edit, reason] of tampering) {
    it(`is refused with ${name}`, () => {
      const { lines } = edited(storeBundle, find, edit);
      const result = verify(lines);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }

  it('refuses a sign-off whose basis names a result by a wrong hash, or cites evidence its results do not', async () => {
    const signOffBundle = async (
      storeId: string,
      basisOf: (r: { id: string; hash: string }) => DecisionBasis,
    ) => {
      const device = createSimDevice(storeId, { actor: { userId: 'u-tech', role: 'technician' } });
      const token = await enrollSim(t, device, storeId);
      const r = device.record('checklist.result.recorded', resultPayload('i-1', [EVIDENCE]));
      device.record('decision.recorded', decisionPayload(`dec-${storeId}`, basisOf(r)), {
        actor: { userId: 'u-mgr-other', role: 'manager' },
      });
      expect(
        (await t.call('POST', '/v1/events', { token, body: device.pushBody(1, 2) })).status,
      ).toBe(200);
      const res = await t.call('GET', `/v1/audit/bundle?storeId=${storeId}`, {
        token: t.adminToken,
      });
      return { r, result: verify((res.body as string).trimEnd().split('\n')) };
    };
    const entry = (r: { id: string; hash: string }, hash: string) => ({
      runId: 'run-1',
      terminalId: 'T-1',
      itemId: 'i-1',
      eventId: r.id,
      hash,
    });
    // Store S-1 already holds sound sign-offs; the faulty ones go to S-2 and a new store.
    const wrong = await signOffBundle('S-2', (r) => ({
      results: [entry(r, 'f'.repeat(64))],
      waivers: [],
      evidence: [EVIDENCE],
    }));
    expect(wrong.result.ok).toBe(false);
    if (!wrong.result.ok)
      expect(wrong.result.reason).toMatch(
        new RegExp(
          `names result event ${wrong.r.id} with hash f{64}, but that event's hash is ${wrong.r.hash}`,
        ),
      );
    await t.call('POST', '/v1/admin/fleet', {
      token: t.adminToken,
      body: {
        stores: [
          { id: 'S-3', name: 'Three', region: 'East', ring: 'early', timezone: 'Europe/Paris' },
        ],
      },
    });
    const extra = await signOffBundle('S-3', (r) => ({
      results: [entry(r, r.hash)],
      waivers: [],
      evidence: [EVIDENCE, 'b'.repeat(64)],
    }));
    expect(extra.result.ok).toBe(false);
    if (!extra.result.ok)
      expect(extra.result.reason).toMatch(/cites evidence its results do not \(1\)/);
  });
});
