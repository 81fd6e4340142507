/**
 * A drawn signature: mouse, touch or pen on a canvas (pointer events, with
 * pointer capture so a stroke that leaves the pad still ends cleanly). Reports
 * a PNG (base64, no data-URL prefix) once enough ink is drawn to count as a
 * signature, and null when cleared. The PNG has a white background so it reads
 * the same on screen and in the printed decision record.
 */
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { Badge, Button, Group, Input, Stack, Text } from '@mantine/core';
import { IconCheck, IconEraser } from '@tabler/icons-react';
import { isSigned, toPadPoint, type Point, type Stroke } from './signatureStrokes.ts';
import classes from './SignaturePad.module.css';
import { t } from '../i18n/index.ts';

export type SignaturePadProps = {
  label: string;
  /** PNG as base64 (no `data:` prefix) when signed; null when empty or cleared. */
  onChange: (pngBase64: string | null) => void;
  height?: number;
  disabled?: boolean;
  error?: string | null;
  testId?: string;
  /**
   * Said instead of "Not signed yet" while the pad is empty but a signature
   * is already saved (and shown by the caller): drawing again replaces it.
   */
  savedText?: string | null;
};

const INK = '#1a1b1e';
const LINE_WIDTH = 2.2;

export function SignaturePad(props: SignaturePadProps) {
  const { onChange } = props;
  const height = props.height ?? 160;
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const strokes = useRef<Stroke[]>([]);
  const current = useRef<Stroke | null>(null);
  const [hasSignature, setHasSignature] = useState(false);

  /** Sizes the bitmap to the element × device pixels and paints the white background. */
  const resetCanvas = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    const rect = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, rect.width, rect.height);
    context.strokeStyle = INK;
    context.lineWidth = LINE_WIDTH;
    context.lineCap = 'round';
    context.lineJoin = 'round';
  }, []);

  useEffect(() => {
    resetCanvas();
  }, [resetCanvas]);

  function drawSegment(from: Point, to: Point) {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    context.beginPath();
    context.moveTo(from.x, from.y);
    // A zero-length segment draws nothing with a round cap in some engines: nudge it.
    context.lineTo(to.x === from.x && to.y === from.y ? to.x + 0.01 : to.x, to.y);
    context.stroke();
  }

  function pointOf(event: { clientX: number; clientY: number }): Point {
    const canvas = canvasRef.current!;
    return toPadPoint(event.clientX, event.clientY, canvas.getBoundingClientRect());
  }

  function onPointerDown(event: ReactPointerEvent<HTMLCanvasElement>) {
    if (props.disabled || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const point = pointOf(event);
    current.current = [point];
    drawSegment(point, point);
  }

  function onPointerMove(event: ReactPointerEvent<HTMLCanvasElement>) {
    const stroke = current.current;
    if (!stroke) return;
    // Pens and fast fingers deliver several positions per frame; draw them all.
    const native = event.nativeEvent;
    const samples =
      typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    for (const sample of samples.length > 0 ? samples : [native]) {
      const point = pointOf(sample);
      drawSegment(stroke[stroke.length - 1]!, point);
      stroke.push(point);
    }
  }

  function endStroke() {
    const stroke = current.current;
    if (!stroke) return;
    current.current = null;
    strokes.current.push(stroke);
    const signed = isSigned(strokes.current);
    setHasSignature(signed);
    if (signed) onChange(exportPng(canvasRef.current));
  }

  function clear() {
    strokes.current = [];
    current.current = null;
    resetCanvas();
    setHasSignature(false);
    onChange(null);
  }

  return (
    <Input.Wrapper
      label={props.label}
      error={props.error ?? undefined}
      description={t('components:signatureHint')}
    >
      <Stack gap={6} mt={4}>
        <canvas
          ref={canvasRef}
          className={classes.pad}
          style={{ height }}
          data-signed={hasSignature || undefined}
          data-disabled={props.disabled || undefined}
          role="img"
          aria-label={
            hasSignature ? t('components:signatureSigned') : t('components:signatureEmpty')
          }
          data-testid={props.testId}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endStroke}
          onPointerCancel={endStroke}
          onLostPointerCapture={endStroke}
        />
        <Group justify="space-between">
          {hasSignature ? (
            <Badge
              color="teal"
              variant="light"
              leftSection={<IconCheck size={12} />}
              data-testid={props.testId && `${props.testId}-signed`}
            >
              {t('components:signatureSigned')}
            </Badge>
          ) : props.savedText ? (
            <Badge
              color="teal"
              variant="outline"
              tt="none"
              leftSection={<IconCheck size={12} />}
              data-testid={props.testId && `${props.testId}-saved`}
            >
              {props.savedText}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed">
              {t('components:signatureEmpty')}
            </Text>
          )}
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            leftSection={<IconEraser size={14} />}
            onClick={clear}
            disabled={props.disabled}
          >
            {t('components:signatureClear')}
          </Button>
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}

function exportPng(canvas: HTMLCanvasElement | null): string | null {
  if (!canvas) return null;
  const url = canvas.toDataURL('image/png');
  const comma = url.indexOf(',');
  return comma >= 0 ? url.slice(comma + 1) : null;
}
