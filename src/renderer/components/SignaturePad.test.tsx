import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderWithMantine } from '../testing/renderWithMantine.tsx';
import { SignaturePad } from './SignaturePad.tsx';
import { inkLength, isSigned, MIN_SIGNATURE_INK, toPadPoint } from './signatureStrokes.ts';

describe('signature strokes', () => {
  it('measures ink along every stroke', () => {
    expect(
      inkLength([
        [
          { x: 0, y: 0 },
          { x: 3, y: 4 },
        ],
        [
          { x: 10, y: 10 },
          { x: 10, y: 20 },
        ],
      ]),
    ).toBe(15);
  });

  it.each([
    { name: 'nothing', strokes: [], signed: false },
    { name: 'a tap', strokes: [[{ x: 5, y: 5 }]], signed: false },
    {
      name: 'a short scratch',
      strokes: [
        [
          { x: 0, y: 0 },
          { x: MIN_SIGNATURE_INK - 1, y: 0 },
        ],
      ],
      signed: false,
    },
    {
      name: 'a stroke long enough',
      strokes: [
        [
          { x: 0, y: 0 },
          { x: MIN_SIGNATURE_INK, y: 0 },
        ],
      ],
      signed: true,
    },
    {
      name: 'several short strokes adding up',
      strokes: Array.from({ length: 5 }, (_, i) => [
        { x: 0, y: i * 10 },
        { x: 10, y: i * 10 },
      ]),
      signed: true,
    },
  ])('$name → signed: $signed', ({ strokes, signed }) => {
    expect(isSigned(strokes)).toBe(signed);
  });

  it('keeps a pointer that leaves the pad on its edge', () => {
    const rect = { left: 100, top: 50, width: 300, height: 120 };
    expect(toPadPoint(50, 400, rect)).toEqual({ x: 0, y: 120 });
    expect(toPadPoint(250, 100, rect)).toEqual({ x: 150, y: 50 });
  });
});

// jsdom has no 2D canvas: give it a recording context and a fixed size, the
// browser's part; the pad's own logic runs unchanged.
const drawn: string[] = [];
beforeEach(() => {
  drawn.length = 0;
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
    () =>
      ({
        setTransform: () => undefined,
        fillRect: () => drawn.push('fill'),
        beginPath: () => undefined,
        moveTo: () => undefined,
        lineTo: () => drawn.push('line'),
        stroke: () => undefined,
      }) as unknown as CanvasRenderingContext2D,
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue(
    'data:image/png;base64,iVBORw0KGgo=',
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue({
    left: 0,
    top: 0,
    width: 400,
    height: 160,
    right: 400,
    bottom: 160,
    x: 0,
    y: 0,
    toJSON: () => ({}),
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function draw(pad: HTMLElement, points: Array<[number, number]>) {
  const [first, ...rest] = points;
  fireEvent.pointerDown(pad, {
    pointerId: 1,
    button: 0,
    pointerType: 'mouse',
    clientX: first![0],
    clientY: first![1],
  });
  for (const [x, y] of rest)
    fireEvent.pointerMove(pad, { pointerId: 1, pointerType: 'mouse', clientX: x, clientY: y });
  fireEvent.pointerUp(pad, { pointerId: 1, pointerType: 'mouse' });
}

describe('SignaturePad', () => {
  it('reports the PNG once a real signature is drawn, and null after Clear', () => {
    const changes: Array<string | null> = [];
    renderWithMantine(
      <SignaturePad label="Signature" onChange={(png) => changes.push(png)} testId="pad" />,
    );
    const pad = screen.getByTestId('pad');
    expect(screen.queryByTestId('pad-signed')).toBeNull();

    draw(pad, [[10, 10]]);
    expect(changes).toEqual([]);
    expect(screen.queryByTestId('pad-signed')).toBeNull();

    draw(pad, [
      [20, 80],
      [60, 40],
      [100, 90],
      [160, 50],
    ]);
    expect(changes).toEqual(['iVBORw0KGgo=']);
    expect(screen.getByTestId('pad-signed')).toBeTruthy();
    expect(pad.getAttribute('aria-label')).toBe('Signed');
    expect(drawn.filter((d) => d === 'line').length).toBeGreaterThanOrEqual(4);

    fireEvent.click(screen.getByRole('button', { name: /clear/i }));
    expect(changes).toEqual(['iVBORw0KGgo=', null]);
    expect(screen.queryByTestId('pad-signed')).toBeNull();
  });

  it('ignores moves without a pressed pointer and drawing when disabled', () => {
    const changes: Array<string | null> = [];
    renderWithMantine(
      <SignaturePad
        label="Signature"
        onChange={(png) => changes.push(png)}
        testId="pad"
        disabled
      />,
    );
    const pad = screen.getByTestId('pad');
    fireEvent.pointerMove(pad, { pointerId: 1, clientX: 10, clientY: 10 });
    draw(pad, [
      [20, 80],
      [200, 40],
      [300, 90],
    ]);
    expect(changes).toEqual([]);
    expect(drawn.includes('line')).toBe(false);
  });
});
