/**
 * Photo evidence: a file, or the camera where the device has one (the
 * `capture` hint makes phones and tablets offer it). The picture is decoded
 * and re-encoded here as a JPEG small enough for the transport (see
 * photoSizing.ts), so a 12 MB phone photo never leaves the renderer whole.
 * Shows a thumbnail of exactly what will be stored.
 */
import { useId, useRef, useState } from 'react';
import {
  ActionIcon,
  Button,
  Group,
  Image,
  Input,
  Paper,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconCamera, IconTrash } from '@tabler/icons-react';
import {
  base64ByteLength,
  ENCODE_STEPS,
  fitWithin,
  formatBytes,
  isImageType,
  jpegFileName,
  MAX_EVIDENCE_BYTES,
  MAX_SOURCE_BYTES,
} from './photoSizing.ts';
import { t } from '../i18n/index.ts';

export type PreparedPhoto = {
  fileName: string;
  mimeType: 'image/jpeg';
  /** The JPEG, base64 without a `data:` prefix. */
  dataBase64: string;
  bytes: number;
  width: number;
  height: number;
  /** `data:image/jpeg;base64,…` for previews. */
  dataUrl: string;
};

export type PhotoEvidenceInputProps = {
  label: string;
  /** Called with the prepared JPEG; a rejected promise shows its message under the field. */
  onPhoto: (photo: PreparedPhoto) => Promise<unknown> | void;
  onRemove?: () => void;
  /** A thumbnail to show for an already stored photo. */
  existing?: { dataUrl: string; caption?: string } | null;
  /**
   * A photo is already stored and shown by the caller (e.g. as an evidence
   * thumbnail): the button offers to replace it, and no second preview of
   * the picked photo is shown here (the caller shows the stored one).
   */
  hasStoredPhoto?: boolean;
  /** Whether the picked photo is previewed here; false where the caller shows the stored file itself. */
  isPreviewShown?: boolean;
  /** The button's words, where "take or choose" / "replace" do not fit (e.g. "Add another photo"). */
  actionLabel?: string;
  disabled?: boolean;
  testId?: string;
};

export function PhotoEvidenceInput(props: PhotoEvidenceInputProps) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement | null>(null);
  const [photo, setPhoto] = useState<PreparedPhoto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const prepared = await preparePhoto(file);
      await props.onPhoto(prepared);
      setPhoto(prepared);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
      // The same file picked again must fire a change.
      if (inputRef.current) inputRef.current.value = '';
    }
  }

  const isPreviewShown = props.isPreviewShown ?? true;
  const shown = !isPreviewShown
    ? null
    : photo
      ? {
          dataUrl: photo.dataUrl,
          caption: `${photo.width}×${photo.height} · ${formatBytes(photo.bytes)}`,
        }
      : (props.existing ?? null);

  return (
    <Input.Wrapper
      label={props.label}
      error={
        error ? (
          <span data-testid={props.testId && `${props.testId}-error`}>{error}</span>
        ) : undefined
      }
    >
      <Stack gap={6} mt={4}>
        <Group gap="xs">
          <Button
            component="label"
            htmlFor={inputId}
            size="xs"
            variant="light"
            leftSection={<IconCamera size={14} />}
            loading={isBusy}
            disabled={props.disabled}
          >
            {props.actionLabel ??
              (shown || props.hasStoredPhoto
                ? t('components:photoReplace')
                : t('components:photoAdd'))}
          </Button>
          {!shown && !props.hasStoredPhoto && (
            <Text size="xs" c="dimmed">
              {t('components:photoHint')}
            </Text>
          )}
        </Group>
        {/* Visually hidden, still reachable by label and by tests' setInputFiles. */}
        <input
          id={inputId}
          ref={inputRef}
          type="file"
          accept="image/*"
          capture="environment"
          style={{ position: 'absolute', width: 1, height: 1, opacity: 0, pointerEvents: 'none' }}
          tabIndex={-1}
          disabled={props.disabled || isBusy}
          data-testid={props.testId}
          onChange={(e) => void onFile(e.currentTarget.files?.[0])}
        />
        {shown && (
          <Paper withBorder p={4} radius="sm" w="fit-content">
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Image
                src={shown.dataUrl}
                alt={t('components:photoAlt')}
                w={96}
                h={72}
                fit="cover"
                radius="xs"
                data-testid={props.testId && `${props.testId}-preview`}
              />
              <Stack gap={2}>
                {shown.caption && (
                  <Text size="xs" c="dimmed">
                    {shown.caption}
                  </Text>
                )}
                {props.onRemove && (
                  <Tooltip label={t('components:photoRemove')}>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="red"
                      aria-label={t('components:photoRemove')}
                      onClick={() => {
                        setPhoto(null);
                        props.onRemove?.();
                      }}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Stack>
            </Group>
          </Paper>
        )}
      </Stack>
    </Input.Wrapper>
  );
}

/** Decodes, downsizes and re-encodes as JPEG until it fits the transport budget. */
async function preparePhoto(file: File): Promise<PreparedPhoto> {
  if (!isImageType(file.type)) throw new Error(t('components:photoNotImage', { name: file.name }));
  if (file.size > MAX_SOURCE_BYTES)
    throw new Error(t('components:photoTooLarge', { size: formatBytes(file.size) }));
  const source = await decode(file);
  try {
    for (const step of ENCODE_STEPS) {
      const size = fitWithin(source.width, source.height, step.maxEdge);
      const canvas = document.createElement('canvas');
      canvas.width = size.width;
      canvas.height = size.height;
      const context = canvas.getContext('2d');
      if (!context) throw new Error(t('components:photoUnreadable', { name: file.name }));
      // JPEG has no transparency: a PNG screenshot's clear areas become white, not black.
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, size.width, size.height);
      context.drawImage(source.image, 0, 0, size.width, size.height);
      const dataUrl = canvas.toDataURL('image/jpeg', step.quality);
      const dataBase64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
      const bytes = base64ByteLength(dataBase64);
      if (bytes <= MAX_EVIDENCE_BYTES) {
        return {
          fileName: jpegFileName(file.name),
          mimeType: 'image/jpeg',
          dataBase64,
          bytes,
          width: size.width,
          height: size.height,
          dataUrl,
        };
      }
    }
    throw new Error(t('components:photoTooLarge', { size: formatBytes(file.size) }));
  } finally {
    source.close();
  }
}

async function decode(
  file: File,
): Promise<{ image: CanvasImageSource; width: number; height: number; close: () => void }> {
  try {
    // Honours EXIF orientation, so a portrait phone photo is not stored sideways.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return {
      image: bitmap,
      width: bitmap.width,
      height: bitmap.height,
      close: () => bitmap.close(),
    };
  } catch {
    throw new Error(t('components:photoUnreadable', { name: file.name }));
  }
}
