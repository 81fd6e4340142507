/**
 * The feed page fast path against the plain path (the `feedResponse` zod
 * schema): on good pages it returns the same data; on every page it accepts,
 * zod accepts too; and on broken pages it declines, so zod gives the error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedResponse, MAX_FEED_PAGE, type FeedResponse } from '../../shared/sync/feed.ts';
import { feedResponseFastPath } from './feedFastPath.ts';

const H = 'a'.repeat(64);
const SIG = `${'A'.repeat(86)}==`;

function page(): FeedResponse {
  return {
    entries: [
      {
        index: 3,
        event: {
          v: 1,
          id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
          deviceId: 'dev-1',
          seq: 1,
          at: '2026-12-07T10:00:00.123Z',
          actor: { userId: 'u-tech', role: 'technician' },
          storeId: 'S-1',
          type: 'fleet.version.recorded',
          payload: { terminalId: 'T-1', version: '5.1.0', nested: { a: [1, null, 'x'] } },
          prev: '0'.repeat(64),
          hash: H,
        },
      },
      { index: 7, withheld: { deviceId: 'dev-2', seq: 4, hash: H, reason: 'actor_unknown' } },
    ],
    next: 7,
    treeHead: {
      treeHead: {
        kind: 'tree-head',
        v: 1,
        logId: H,
        size: 10,
        root: H,
        at: '2026-12-07T10:00:01Z',
      },
      signature: SIG,
    },
    proof: [H, 'b'.repeat(64)],
  };
}

/** Sets `value` at `path` (dotted, array indices as numbers) in a copy; `undefined` deletes. */
function mutate(path: string, value: unknown): unknown {
  const copy = structuredClone(page()) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

/** What the fast path says must agree with zod: accept only what zod accepts, as the same data. */
function expectAgrees(json: unknown): 'fast' | 'zod' {
  const fast = feedResponseFastPath(json);
  const plain = feedResponse.safeParse(json);
  if (fast === undefined) return 'zod';
  expect(plain.success).toBe(true);
  expect(fast).toEqual(plain.data);
  return 'fast';
}

const BROKEN: Array<[string, unknown]> = [
  ['entries.0.event.v', 2],
  ['entries.0.event.id', ''],
  ['entries.0.event.id', 'x'.repeat(65)],
  ['entries.0.event.id', 'has space'],
  ['entries.0.event.deviceId', 7],
  ['entries.0.event.seq', 0],
  ['entries.0.event.seq', 1.5],
  ['entries.0.event.seq', Number.MAX_SAFE_INTEGER + 2],
  ['entries.0.event.seq', '1'],
  ['entries.0.event.at', '2026-02-30T10:00:00Z'],
  ['entries.0.event.at', '2026-12-07T10:00:00+01:00'],
  ['entries.0.event.at', '2026-12-07'],
  ['entries.0.event.actor.role', 'owner'],
  ['entries.0.event.actor.extra', 1],
  ['entries.0.event.actor.userId', undefined],
  ['entries.0.event.actor', null],
  ['entries.0.event.storeId', undefined],
  ['entries.0.event.type', ''],
  ['entries.0.event.type', 't'.repeat(101)],
  ['entries.0.event.payload', null],
  ['entries.0.event.payload', [1, 2]],
  ['entries.0.event.payload', 'text'],
  ['entries.0.event.prev', 'A'.repeat(64)],
  ['entries.0.event.hash', 'a'.repeat(63)],
  ['entries.0.event.extra', true],
  ['entries.0.event', null],
  ['entries.0.index', -1],
  ['entries.0.index', 0.5],
  ['entries.0.withheld', { deviceId: 'dev-2', seq: 4, hash: H, reason: 'r' }],
  ['entries.1.withheld.reason', 3],
  ['entries.1.withheld.seq', 0],
  ['entries.1.withheld.more', 'x'],
  ['entries.1.index', undefined],
  ['entries.1', [1]],
  ['entries', {}],
  ['next', -3],
  ['next', '7'],
  ['next', undefined],
  ['proof', [H, 'xyz']],
  ['proof', H],
  ['treeHead.signature', 'nope'],
  ['treeHead.treeHead.size', -1],
  ['extra', 1],
];

describe('feed page fast path', () => {
  it('returns a good page as zod does', () => {
    expect(expectAgrees(page())).toBe('fast');
    expect(expectAgrees({ ...page(), entries: [], next: null, proof: [] })).toBe('fast');
  });

  it.each(BROKEN)('declines a page with %s = %j, which zod refuses', (path, value) => {
    const broken = mutate(path, value);
    expect(feedResponse.safeParse(broken).success).toBe(false);
    expect(feedResponseFastPath(broken)).toBeUndefined();
  });

  it('declines what it cannot vouch for: objects with another prototype, too many entries', () => {
    const custom = page();
    (custom.entries[0] as { event: unknown }).event = Object.assign(
      Object.create({ inherited: 1 }) as object,
      (custom.entries[0] as { event: object }).event,
    );
    expect(expectAgrees(custom)).toBe('zod');
    const big = page();
    big.entries = Array.from({ length: MAX_FEED_PAGE + 1 }, (_, i) => ({
      ...big.entries[1]!,
      index: i,
    }));
    expect(feedResponseFastPath(big)).toBeUndefined();
    expect(feedResponse.safeParse(big).success).toBe(false);
  });

  it('never accepts what zod refuses (random field values)', () => {
    const paths = [
      'entries.0.event.id',
      'entries.0.event.seq',
      'entries.0.event.at',
      'entries.0.event.actor.role',
      'entries.0.event.type',
      'entries.0.event.payload',
      'entries.0.event.hash',
      'entries.0.index',
      'entries.1.withheld.seq',
      'entries.1.withheld.hash',
      'next',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.anything(),
          fc.string(),
          fc.stringMatching(/^[0-9a-f]{62,66}$/),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.integer({ min: -2, max: 2 ** 53 + 2 }),
          fc.double(),
        ),
        (path, value) => {
          expectAgrees(mutate(path, value));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
