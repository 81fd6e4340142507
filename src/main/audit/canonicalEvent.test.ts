import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBody, type AuditEventBody, type JsonValue } from '../../shared/audit/event.ts';
import { ROLES } from '../../shared/domain/roles.ts';
import { binaryString } from '../../shared/testing/binaryString.ts';
import { canonicalEventText } from './canonicalEvent.ts';
import { eventIdV7 } from './eventIds.ts';

// fc.string({ unit: 'binary', maxLength: 12 }), value for value, without its ~1 s start-up.
const text = binaryString({ maxLength: 12 });
const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(text, tie('json'), { maxKeys: 4 }),
  ),
}));
const body = fc.record({
  v: fc.constant(1 as const),
  id: text,
  deviceId: text,
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  at: text,
  actor: fc.record({ userId: text, role: fc.constantFrom(...ROLES) }),
  storeId: text,
  type: text,
  payload: fc.dictionary(text, fc.oneof(json, fc.double(), fc.constant(undefined)), { maxKeys: 6 }),
  prev: text,
}) as fc.Arbitrary<AuditEventBody>;

function outcome(f: () => string): { text: string } | { refused: true } {
  try {
    return { text: f() };
  } catch {
    return { refused: true };
  }
}

describe('the journal’s fast canonical form', () => {
  it('is byte-for-byte the generic RFC 8785 form for any event, and refuses exactly what it refuses', () => {
    fc.assert(
      fc.property(body, (b) => {
        expect(outcome(() => canonicalEventText(b))).toEqual(outcome(() => canonicalBody(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses fractional numbers and lone surrogates, like the generic form', () => {
    const base: AuditEventBody = {
      v: 1,
      id: 'e1',
      deviceId: 'd1',
      seq: 1,
      at: '2026-11-23T10:00:00.000Z',
      actor: { userId: 'u1', role: 'technician' },
      storeId: 's1',
      type: 'fleet.version.recorded',
      payload: { a: 1 },
      prev: '0'.repeat(64),
    };
    expect(canonicalEventText(base)).toBe(canonicalBody(base));
    expect(() => canonicalEventText({ ...base, payload: { ms: 1.5 } })).toThrow(/safe integers/);
    expect(() => canonicalEventText({ ...base, payload: { nested: [{ ms: 0.1 }] } })).toThrow(
      /safe integers/,
    );
    expect(() => canonicalEventText({ ...base, storeId: '\ud800' })).toThrow(/lone surrogate/);
  });
});

describe('journal event ids', () => {
  it('are UUIDv7 with the current time, unique and strictly increasing even within one millisecond', () => {
    const now = Date.UTC(2026, 10, 23, 10, 0, 0);
    const ids = Array.from({ length: 20_000 }, () => eventIdV7(now));
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });
});
