/**
 * The geometry behind the signature pad, kept apart from the canvas so it can
 * be tested in jsdom (which has no canvas) and reasoned about on its own.
 */

export type Point = { x: number; y: number };
export type Stroke = Point[];

/**
 * Ink drawn, in CSS pixels. A tap or a stray touch leaves a few pixels; a
 * signature is several strokes with real length. Below this the pad does not
 * count as signed, so a decision cannot be "signed" with a dot.
 */
export const MIN_SIGNATURE_INK = 40;

function strokeLength(stroke: Stroke): number {
  let length = 0;
  for (let i = 1; i < stroke.length; i++) {
    const a = stroke[i - 1]!;
    const b = stroke[i]!;
    length += Math.hypot(b.x - a.x, b.y - a.y);
  }
  return length;
}

export function inkLength(strokes: readonly Stroke[]): number {
  return strokes.reduce((sum, stroke) => sum + strokeLength(stroke), 0);
}

export function isSigned(strokes: readonly Stroke[]): boolean {
  return inkLength(strokes) >= MIN_SIGNATURE_INK;
}

/** A pointer position relative to the pad, clamped inside it (capture keeps events coming when the pen leaves). */
export function toPadPoint(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
): Point {
  return {
    x: Math.min(Math.max(clientX - rect.left, 0), rect.width),
    y: Math.min(Math.max(clientY - rect.top, 0), rect.height),
  };
}
