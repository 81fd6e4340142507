import { describe, expect, it } from 'vitest';
import {
  base64ByteLength,
  ENCODE_STEPS,
  fitWithin,
  formatBytes,
  isImageType,
  jpegFileName,
  MAX_EVIDENCE_BYTES,
} from './photoSizing.ts';

describe('fitWithin', () => {
  it.each([
    { w: 4032, h: 3024, max: 1600, out: { width: 1600, height: 1200 } },
    { w: 3024, h: 4032, max: 1600, out: { width: 1200, height: 1600 } },
    { w: 800, h: 600, max: 1600, out: { width: 800, height: 600 } },
    { w: 10000, h: 10, max: 1000, out: { width: 1000, height: 1 } },
  ])('$w×$h within $max → $out.width×$out.height', ({ w, h, max, out }) => {
    expect(fitWithin(w, h, max)).toEqual(out);
  });

  it('refuses an image without size', () => {
    expect(() => fitWithin(0, 100, 1600)).toThrow(/positive/);
  });
});

describe('transport budget', () => {
  it('the largest JPEG sent still fits the 1 MiB body once base64 inside JSON', () => {
    const base64Length = Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4;
    expect(base64Length + 4096).toBeLessThan(1024 * 1024);
  });

  it('encoding steps only ever get smaller', () => {
    for (let i = 1; i < ENCODE_STEPS.length; i++) {
      const before = ENCODE_STEPS[i - 1]!;
      const step = ENCODE_STEPS[i]!;
      expect(step.maxEdge <= before.maxEdge && step.quality <= before.quality).toBe(true);
      expect(step.maxEdge < before.maxEdge || step.quality < before.quality).toBe(true);
    }
  });

  it.each([
    ['', 0],
    ['QQ==', 1],
    ['QUI=', 2],
    ['QUJD', 3],
    [btoa('x'.repeat(1000)), 1000],
  ])('base64 %# decodes to %i bytes', (b64, bytes) => {
    expect(base64ByteLength(b64)).toBe(bytes);
  });
});

describe('file checks', () => {
  it.each([
    ['image/jpeg', true],
    ['image/png', true],
    ['image/heic', true],
    ['image/svg+xml', true],
    ['application/pdf', false],
    ['text/plain', false],
    ['', false],
  ])('%s is an image: %s', (type, expected) => {
    expect(isImageType(type)).toBe(expected);
  });

  it.each([
    ['IMG_0042.HEIC', 'IMG_0042.jpg'],
    ['receipt photo.png', 'receipt-photo.jpg'],
    ['.jpg', 'photo.jpg'],
    ['noext', 'noext.jpg'],
  ])('%s is stored as %s', (name, expected) => {
    expect(jpegFileName(name)).toBe(expected);
  });

  it('formats sizes for a caption', () => {
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(412 * 1024)).toBe('412 KB');
    expect(formatBytes(1.4 * 1024 * 1024)).toBe('1.4 MB');
  });
});
