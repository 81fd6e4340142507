/**
 * Tells a barcode/QR scanner from a person. A scanner is a keyboard that
 * types a whole label in a burst (a few ms per character) and ends with
 * Enter; people rarely sustain under 50 ms per key. So: at least a few
 * characters, each appended at the end, fast on average and never with a
 * human-sized pause. Anything else — a paste, an edit in the middle, a
 * deletion — is 'typed'.
 */
export type VersionSource = 'typed' | 'scanned';

const SCANNER_MIN_CHARS = 4;
/** Mean gap between characters at or below which the burst is a scanner's. */
const SCANNER_MAX_MEAN_GAP_MS = 30;
/** Any single gap above this is a person pausing (scanners do not pause). */
const SCANNER_MAX_GAP_MS = 80;

export type KeystrokeState = { times: readonly number[]; isEdited: boolean };

export const EMPTY_KEYSTROKES: KeystrokeState = { times: [], isEdited: false };

/** Folds one change of the field's value, observed at `now` ms, into the state. */
export function trackKeystroke(
  state: KeystrokeState,
  previous: string,
  next: string,
  now: number,
): KeystrokeState {
  if (next === '') return EMPTY_KEYSTROKES;
  // A first character (or one that replaced a selection) starts a fresh burst.
  if (next.length === 1) return { times: [now], isEdited: false };
  if (next.length === previous.length + 1 && next.startsWith(previous)) {
    return { times: [...state.times, now], isEdited: state.isEdited };
  }
  return { times: state.times, isEdited: true };
}

export function classifyKeystrokes(state: KeystrokeState): VersionSource {
  const { times } = state;
  if (state.isEdited || times.length < SCANNER_MIN_CHARS) return 'typed';
  let total = 0;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > SCANNER_MAX_GAP_MS || gap < 0) return 'typed';
    total += gap;
  }
  return total / (times.length - 1) <= SCANNER_MAX_MEAN_GAP_MS ? 'scanned' : 'typed';
}
