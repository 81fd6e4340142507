/**
 * The payload fast path may only accept what the zod schema accepts, with the
 * same output; everything else it must leave to zod (undefined).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../../shared/audit/eventTypes.ts';
import { assertNever } from '../../shared/errors.ts';
import { binaryString } from '../../shared/testing/binaryString.ts';
import { compilePayloadFastPath } from './payloadFastPath.ts';

type Rec = Record<string, unknown>;

/** Payloads whose first field changes after the first read: zod on the original would see another value. */
const changingPayloads = new WeakSet<object>();

// Strings around the bounds (0, 1, 63–66 units), with astral characters
// (two UTF-16 units, one code point), lone surrogates, quotes and controls.
const piece = fc.constantFrom(
  'a',
  'Z',
  '7',
  '-',
  '😀',
  '\ud800',
  '\udc00',
  '"',
  '\\',
  '\u0000',
  'é',
  ' ',
);
const tricky = fc.oneof(
  fc.array(piece, { maxLength: 70 }).map((p) => p.join('')),
  fc.integer({ min: 0, max: 3 }).chain((d) => fc.constant('x'.repeat(64 - 2 + d * 1))),
  fc.integer({ min: 60, max: 68 }).map((n) => 'v'.repeat(n)),
  fc.integer({ min: 30, max: 34 }).map((n) => '😀'.repeat(n)),
  // fc.string({ unit: 'binary', maxLength: 8 }), value for value, without its ~1 s start-up.
  binaryString({ maxLength: 8 }),
);
const anyValue = fc.oneof(
  tricky,
  fc.constantFrom('typed', 'scanned', 'Typed', 'scanned ', '', null, undefined, 0, 1, true, false),
  fc.constant([]),
  fc.constant({}),
  fc.integer(),
);

function validFor(type: EventType): fc.Arbitrary<Rec> {
  const shape = (EVENT_TYPES[type].payload as unknown as { shape: Rec }).shape;
  const keys = Object.keys(shape);
  return fc
    .tuple(
      ...keys.map(() =>
        fc.oneof(
          fc.constantFrom('typed', 'scanned'),
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.constant(null),
        ),
      ),
    )
    .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])));
}

/** Valid-looking payloads, then damaged: a field replaced, removed, added, or the whole object swapped for an odd one. */
function payloadFor(type: EventType): fc.Arbitrary<unknown> {
  const shape = (EVENT_TYPES[type].payload as unknown as { shape: Rec }).shape;
  const keys = Object.keys(shape);
  return fc.oneof(
    validFor(type),
    fc
      .tuple(validFor(type), fc.constantFrom(...keys), anyValue)
      .map(([p, k, v]) => ({ ...p, [k]: v })),
    fc.tuple(validFor(type), fc.constantFrom(...keys)).map(([p, k]) => {
      const copy = { ...p };
      delete copy[k];
      return copy;
    }),
    fc
      .tuple(validFor(type), fc.string({ maxLength: 6 }), anyValue)
      .map(([p, k, v]) => ({ ...p, [k]: v })),
    fc
      .tuple(
        validFor(type),
        fc.constantFrom('proto', 'null-proto', 'class', 'array', 'getter', 'hidden', 'inherited'),
      )
      .map(([p, how]) => {
        switch (how) {
          case 'proto':
            return JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(p).slice(1)}`) as unknown;
          case 'null-proto':
            return Object.assign(Object.create(null) as Rec, p);
          case 'class':
            return Object.assign(new (class Payload {})(), p);
          case 'array':
            return Object.assign([], p);
          case 'getter': {
            let reads = 0;
            const first = keys[0]!;
            // A value that changes between reads: whatever is accepted must be what was checked.
            const changing = Object.defineProperty({ ...p }, first, {
              enumerable: true,
              get: () => (reads++ === 0 ? p[first] : 42),
            });
            changingPayloads.add(changing);
            return changing;
          }
          case 'hidden':
            return Object.defineProperty({ ...p }, keys[0]!, {
              enumerable: false,
              value: p[keys[0]!],
            });
          case 'inherited':
            return Object.assign(Object.create({ extra: 1 }) as Rec, p);
          default:
            return assertNever(how, 'odd payload');
        }
      }),
    anyValue,
  );
}

describe('the journal payload fast path', () => {
  const types = Object.keys(EVENT_TYPES) as EventType[];

  it.each(types)(
    '%s: accepts only what zod accepts, with the same output, and accepts the valid payloads',
    (type) => {
      const schema = EVENT_TYPES[type].payload as z.ZodType;
      const fast = compilePayloadFastPath(schema);
      if (fast === null) return; // no fast path: zod decides every payload of this type
      fc.assert(
        fc.property(payloadFor(type), (payload) => {
          const accepted = fast(payload);
          if (accepted === undefined) return;
          // A value read once is what is checked and what is kept (zod, too, reads each field once).
          const parsed = schema.safeParse(
            typeof payload === 'object' && payload !== null && changingPayloads.has(payload)
              ? accepted
              : payload,
          );
          expect(parsed.success).toBe(true);
          expect(accepted).toStrictEqual(parsed.data);
          expect(Object.keys(accepted)).toEqual(Object.keys(parsed.data as Rec));
        }),
        { numRuns: 4000 },
      );
      // It is not a fast path if it declines the ordinary case.
      fc.assert(
        fc.property(validFor(type), (payload) => {
          if (schema.safeParse(payload).success) expect(fast(payload)).toEqual(payload);
        }),
        { numRuns: 500 },
      );
    },
  );

  it('compiles the version recording payload (the hot path) and checks its bounds at the edges', () => {
    const fast = compilePayloadFastPath(EVENT_TYPES['fleet.version.recorded'].payload);
    expect(fast).not.toBeNull();
    const ok = {
      terminalId: 't',
      version: '1.0.0',
      releaseId: 'r',
      previousVersion: null,
      source: 'typed',
    };
    expect(fast!(ok)).toEqual(ok);
    expect(fast!({ ...ok, terminalId: 'x'.repeat(64) })).toEqual({
      ...ok,
      terminalId: 'x'.repeat(64),
    });
    expect(fast!({ ...ok, terminalId: 'x'.repeat(65) })).toBeUndefined();
    expect(fast!({ ...ok, terminalId: '' })).toBeUndefined();
    expect(fast!({ ...ok, source: 'mailed' })).toBeUndefined();
    expect(fast!({ ...ok, extra: 1 })).toBeUndefined();
    // 33 astral characters are 66 UTF-16 units but 33 code points: zod accepts, the fast path leaves it to zod.
    expect(fast!({ ...ok, version: '😀'.repeat(33) })).toBeUndefined();
  });

  it('counts lengths as zod does (code points) on a schema with a floor above one', () => {
    const schema = z
      .object({ a: z.string().min(3).max(5), b: z.enum(['x', 'y']).nullable() })
      .strict();
    const fast = compilePayloadFastPath(schema)!;
    expect(fast).not.toBeNull();
    // Two astral characters: four UTF-16 units, two code points, below the floor.
    expect(schema.safeParse({ a: '😀😀', b: null }).success).toBe(false);
    expect(fast({ a: '😀😀', b: null })).toBeUndefined();
    fc.assert(
      fc.property(
        fc.record({ a: tricky, b: fc.constantFrom('x', 'y', 'z', null, undefined) }),
        (payload) => {
          const accepted = fast(payload);
          if (accepted === undefined) return;
          expect(schema.safeParse(payload)).toEqual({ success: true, data: accepted });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('declines schemas with parts it does not know (zod then decides)', () => {
    expect(compilePayloadFastPath(z.object({ a: z.string() }))).toBeNull(); // strips unknown keys instead of refusing
    expect(compilePayloadFastPath(z.object({ a: z.string().optional() }).strict())).toBeNull();
    expect(compilePayloadFastPath(z.object({ a: z.string().regex(/x/) }).strict())).toBeNull();
    expect(compilePayloadFastPath(z.object({ a: z.email() }).strict())).toBeNull();
    expect(compilePayloadFastPath(z.object({ a: z.number().int() }).strict())).toBeNull();
    expect(
      compilePayloadFastPath(
        z
          .object({ a: z.string() })
          .strict()
          .refine(() => true),
      ),
    ).toBeNull();
    expect(compilePayloadFastPath(z.object({ a: z.string().trim() }).strict())).toBeNull();
    expect(compilePayloadFastPath(z.string())).toBeNull();
  });
});
