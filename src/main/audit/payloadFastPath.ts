/**
 * A structural fast path for event payloads on the journal's append path.
 *
 * zod builds a parse context, a result and an issue list per field for every
 * payload; on a 100,000-event append that is the largest share of short-lived
 * garbage. For payload schemas made only of simple parts (a strict object of
 * strings with length bounds, string enums, and nullable ones of those) this
 * compiles the same rules into one plain function, read from the schema's own
 * definition so the two can never drift apart.
 *
 * It only ever *accepts* what the schema accepts, with the same output (a new
 * object, keys in schema order, each value read once). Anything it is unsure
 * of — an unknown schema part, a non-plain object, a string whose length zod
 * would count differently — gets `undefined`, and the caller runs the zod
 * schema, which accepts or gives the precise error. A differential test
 * (payloadFastPath.test.ts) holds it to that.
 */
import type { z } from 'zod';

/** The validated copy of the payload, or `undefined`: "not sure, ask zod". */
export type PayloadFastPath = (payload: unknown) => Record<string, unknown> | undefined;

type FieldCheck = (value: unknown) => boolean;

/** The parts of zod's internal definitions read here; anything else declines. */
type Def = {
  type?: unknown;
  coerce?: unknown;
  format?: unknown;
  checks?: unknown;
  entries?: unknown;
  innerType?: unknown;
  shape?: unknown;
  catchall?: unknown;
  check?: unknown;
  minimum?: unknown;
  maximum?: unknown;
};

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | null | undefined)?._zod?.def;
}

/** z.string() with only .min()/.max(): bounds in code points, as zod counts them. */
function compileString(def: Def): FieldCheck | null {
  if (def.coerce === true || def.format !== undefined) return null;
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of (def.checks ?? []) as unknown[]) {
    const c = defOf(check);
    if (c?.check === 'min_length' && typeof c.minimum === 'number') min = Math.max(min, c.minimum);
    else if (c?.check === 'max_length' && typeof c.maximum === 'number')
      max = Math.min(max, c.maximum);
    else return null;
  }
  // zod counts code points; a code point is one or two UTF-16 units. So
  // `units <= max` proves the upper bound, and `units >= 2 * min` (or a
  // floor of at most one, which any non-empty string meets) proves the lower
  // one. Strings in the doubtful band are left to zod.
  return (value) => {
    if (typeof value !== 'string') return false;
    const units = value.length;
    return units <= max && units >= min && (min <= 1 || units >= 2 * min);
  };
}

function compileField(schema: unknown): FieldCheck | null {
  const def = defOf(schema);
  if (
    def === undefined ||
    (Array.isArray(def.checks) && def.checks.length > 0 && def.type !== 'string')
  )
    return null;
  switch (def.type) {
    case 'string':
      return compileString(def);
    case 'enum': {
      const values = Object.values((def.entries ?? {}) as Record<string, unknown>);
      if (values.length === 0 || !values.every((v) => typeof v === 'string')) return null;
      const allowed: ReadonlySet<unknown> = new Set(values);
      return (value) => typeof value === 'string' && allowed.has(value);
    }
    case 'nullable': {
      const inner = compileField(def.innerType);
      return inner === null ? null : (value) => value === null || inner(value);
    }
    default:
      return null;
  }
}

/**
 * Compiles a payload schema, or returns null when any part of it is outside
 * the simple set (the journal then always uses zod for that event type).
 */
export function compilePayloadFastPath(schema: z.ZodType): PayloadFastPath | null {
  const def = defOf(schema);
  if (def?.type !== 'object') return null;
  if (Array.isArray(def.checks) && def.checks.length > 0) return null; // refinements
  if (defOf(def.catchall)?.type !== 'never') return null; // only .strict() objects
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape === undefined || shape === null) return null;
  const keys = Object.keys(shape);
  const checks: FieldCheck[] = [];
  for (const key of keys) {
    if (key === '__proto__') return null;
    const check = compileField(shape[key]);
    if (check === null) return null;
    checks.push(check);
  }
  const known: ReadonlySet<string> = new Set(keys);
  return (payload) => {
    if (typeof payload !== 'object' || payload === null) return undefined;
    const proto = Object.getPrototypeOf(payload) as unknown;
    if (proto !== Object.prototype && proto !== null) return undefined;
    // zod's strict check walks `for…in`: every enumerable key must be known.
    let count = 0;
    for (const key in payload) {
      if (!known.has(key)) return undefined;
      count++;
    }
    if (count !== keys.length) return undefined;
    const record = payload as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!Object.hasOwn(record, key)) return undefined;
      const value = record[key];
      if (!checks[i]!(value)) return undefined;
      out[key] = value;
    }
    return out;
  };
}
