/**
 * `fc.string({ unit: 'binary', … })` without its start-up cost. Building that
 * arbitrary tokenizes fast-check's list of "dangerous" strings with the
 * binary unit, and the unit answers "is this one of mine?" by building a map
 * of all 1,112,064 code points it can produce: ~1.1 s of CPU on this 2-core
 * machine, paid by every worker that builds one. The unit here is built as
 * fast-check builds its binary unit (mapToConstant over the code points
 * outside the surrogates, in the same order), so it draws the same values
 * for the same seed; it answers that one question by arithmetic instead.
 */
import fc from 'fast-check';

const SURROGATES = { first: 0xd800, last: 0xdfff } as const;

const codePoints = fc.mapToConstant(
  { num: SURROGATES.first, build: (i) => String.fromCodePoint(i) },
  {
    num: 0x10ffff - SURROGATES.last,
    build: (i) => String.fromCodePoint(SURROGATES.last + 1 + i),
  },
);

class BinaryUnit extends fc.Arbitrary<string> {
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<string> {
    return codePoints.generate(mrng, biasFactor);
  }
  canShrinkWithoutContext(value: unknown): value is string {
    if (typeof value !== 'string' || value.length === 0 || value.length > 2) return false;
    const codePoint = value.codePointAt(0)!;
    return (
      String.fromCodePoint(codePoint) === value &&
      (codePoint < SURROGATES.first || codePoint > SURROGATES.last)
    );
  }
  shrink(value: string, context: unknown): fc.Stream<fc.Value<string>> {
    return codePoints.shrink(value, context);
  }
}

const binaryUnit = new BinaryUnit();

/** The strings `fc.string({ unit: 'binary', ...constraints })` gives, value for value. */
export function binaryString(constraints: Omit<fc.StringConstraints, 'unit'> = {}) {
  return fc.string({ ...constraints, unit: binaryUnit });
}
