import { describe, expect, it } from 'vitest';
import {
  classifyKeystrokes,
  EMPTY_KEYSTROKES,
  trackKeystroke,
  type KeystrokeState,
} from './scanner.ts';

/** Plays `text` into the tracker one character at a time with the given gaps (ms). */
function play(text: string, gaps: number[] | number, start = 1000): KeystrokeState {
  let state = EMPTY_KEYSTROKES;
  let value = '';
  let t = start;
  for (let i = 0; i < text.length; i++) {
    if (i > 0) t += Array.isArray(gaps) ? gaps[i - 1]! : gaps;
    const next = value + text[i];
    state = trackKeystroke(state, value, next, t);
    value = next;
  }
  return state;
}

describe('scanner detection', () => {
  it('a burst of keys a few milliseconds apart is a scanner', () => {
    expect(classifyKeystrokes(play('4.2.1', 8))).toBe('scanned');
    expect(classifyKeystrokes(play('10.12.3-rc.1', 15))).toBe('scanned');
  });

  it('keys at a human pace are typed', () => {
    expect(classifyKeystrokes(play('4.2.1', 120))).toBe('typed');
    expect(classifyKeystrokes(play('4.2.1', 55))).toBe('typed');
  });

  it('a fast typist with one pause is typed, not scanned', () => {
    expect(classifyKeystrokes(play('4.12.10', [10, 10, 10, 200, 10, 10]))).toBe('typed');
  });

  it('too few characters to judge count as typed', () => {
    expect(classifyKeystrokes(play('4.2', 5))).toBe('typed');
  });

  it('a paste (many characters at once) is typed', () => {
    const state = trackKeystroke(EMPTY_KEYSTROKES, '', '4.2.1', 1000);
    expect(classifyKeystrokes(state)).toBe('typed');
  });

  it('editing in the middle after a fast burst makes it typed', () => {
    const burst = play('4.2.1', 8);
    const edited = trackKeystroke(burst, '4.2.1', '4.3.1', 5000);
    expect(classifyKeystrokes(edited)).toBe('typed');
  });

  it('clearing the field and scanning again starts a fresh judgement', () => {
    const typed = play('9.9.9', 150);
    const cleared = trackKeystroke(typed, '9.9.9', '', 9000);
    let state = cleared;
    let value = '';
    let t = 10_000;
    for (const ch of '4.2.1') {
      state = trackKeystroke(state, value, value + ch, t);
      value += ch;
      t += 6;
    }
    expect(classifyKeystrokes(state)).toBe('scanned');
  });

  it('a clock that goes backwards is never taken for a scanner', () => {
    expect(classifyKeystrokes(play('4.2.1', [5, -20, 5, 5]))).toBe('typed');
  });
});
