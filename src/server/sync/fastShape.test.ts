/**
 * The push fast path may only accept what the zod schema accepts: a valid
 * body is taken by it, and of 10,000 mutated bodies every one it takes the
 * schema takes too (the rest go to zod, which names the error).
 */
import { describe, expect, it } from 'vitest';
import { pushRequest } from '../../shared/sync/protocol.ts';
import { createSimDevice, versionPayload } from '../testing/device.ts';
import { fastPushRequest } from './fastShape.ts';
import { seededRandom } from '../../shared/random.ts';

const ODD_VALUES: unknown[] = [
  null,
  undefined,
  0,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  '',
  'x'.repeat(65),
  'bad id!',
  'A'.repeat(64),
  '2026-02-30T10:00:00Z',
  '2026-03-01T10:00:00+01:00',
  '2026-03-01T10:00:00.123Z',
  true,
  [],
  {},
  [1],
  { a: 1 },
  'manager',
  'root',
  '0'.repeat(64),
];

describe('the push fast path', () => {
  const device = createSimDevice('S-1');
  for (let i = 0; i < 5; i++) device.record('fleet.version.recorded', versionPayload(i));
  const valid = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(device.pushBody(1, 5))) as Record<string, unknown>;

  it('takes a valid body as is', () => {
    const body = valid();
    expect(pushRequest.safeParse(body).success).toBe(true);
    expect(fastPushRequest(body)).toBe(body);
  });

  it('accepts nothing the zod schema rejects (10,000 mutated bodies, seed 20261124)', () => {
    const random = seededRandom(20261124);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    let taken = 0;
    for (let n = 0; n < 10_000; n++) {
      const body = valid();
      const mutations = 1 + Math.floor(random() * 3);
      for (let m = 0; m < mutations; m++) {
        // Pick an object inside the body: the body, the checkpoint, an event, its actor or payload.
        const isRecord = (v: unknown): v is Record<string, unknown> =>
          typeof v === 'object' && v !== null && !Array.isArray(v);
        const events = Array.isArray(body.events) ? (body.events as unknown[]) : [];
        const event = events.length > 0 ? pick(events) : undefined;
        const targets = [
          body,
          body.checkpoint,
          event,
          isRecord(event) ? event.actor : undefined,
          isRecord(event) ? event.payload : undefined,
        ].filter(isRecord);
        const target = pick(targets);
        const keys = Object.keys(target);
        const action = Math.floor(random() * 4);
        if (action === 0 && keys.length > 0) delete target[pick(keys)];
        else if (action === 1)
          target[pick(['extra', 'hash', 'v', 'role', 'seq'])] = pick(ODD_VALUES);
        else if (keys.length > 0) target[pick(keys)] = pick(ODD_VALUES);
        else body.events = pick([[], 'x', null, events, [...events, ...events]]);
      }
      if (fastPushRequest(body) !== null) {
        taken += 1;
        expect(pushRequest.safeParse(body).success, JSON.stringify(body)).toBe(true);
      }
    }
    // Some mutations keep the body valid (e.g. a payload value); the rest must all have gone to zod.
    expect(taken).toBeLessThan(10_000);
  });
});
