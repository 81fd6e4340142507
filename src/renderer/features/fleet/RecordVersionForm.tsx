/**
 * The field a technician types a version into, or a barcode/QR scanner
 * types into for them (a burst of keys ending with Enter). Submits on Enter;
 * the source ('typed' | 'scanned') is decided from the keystroke timing.
 */
import { useRef, useState, type FormEvent } from 'react';
import { Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconBarcode, IconDeviceFloppy } from '@tabler/icons-react';
import { TEST_IDS } from '../../testIds.ts';
import {
  classifyKeystrokes,
  EMPTY_KEYSTROKES,
  trackKeystroke,
  type KeystrokeState,
  type VersionSource,
} from './scanner.ts';
import { t } from '../../i18n/index.ts';

export type RecordVersionFormProps = {
  /** Resolves when recorded; rejects with the back end's error, shown inline. */
  onRecord: (version: string, source: VersionSource) => Promise<unknown>;
  isPending?: boolean;
  error?: string | null;
  /** Milliseconds clock; injectable so tests can play a scanner's timing. */
  now?: () => number;
  autoFocus?: boolean;
};

export function RecordVersionForm(props: RecordVersionFormProps) {
  const now = props.now ?? (() => performance.now());
  const [value, setValue] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [lastSource, setLastSource] = useState<VersionSource | null>(null);
  const keystrokes = useRef<KeystrokeState>(EMPTY_KEYSTROKES);

  function submit(event: FormEvent) {
    event.preventDefault();
    const version = value.trim();
    if (!version) {
      setLocalError(t('fleet:recordEmpty'));
      return;
    }
    setLocalError(null);
    const source = classifyKeystrokes(keystrokes.current);
    setLastSource(source);
    props.onRecord(version, source).then(
      () => {
        setValue('');
        keystrokes.current = EMPTY_KEYSTROKES;
      },
      // The parent shows the back end's message; the text stays for correction.
      () => undefined,
    );
  }

  const error = localError ?? props.error ?? null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap={6}>
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('fleet:recordLabel')}
            description={t('fleet:recordHint')}
            placeholder={t('fleet:recordPlaceholder')}
            leftSection={<IconBarcode size={16} />}
            value={value}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            autoFocus={props.autoFocus}
            onChange={(e) => {
              const next = e.currentTarget.value;
              keystrokes.current = trackKeystroke(keystrokes.current, value, next, now());
              setValue(next);
              if (localError) setLocalError(null);
            }}
            error={
              error ? <span data-testid={TEST_IDS.recordVersionError}>{error}</span> : undefined
            }
            data-testid={TEST_IDS.recordVersionInput}
          />
        </Group>
        <Group justify="space-between">
          {lastSource ? (
            <Badge size="xs" variant="light" color={lastSource === 'scanned' ? 'grape' : 'gray'}>
              {lastSource === 'scanned' ? t('fleet:recordedScanned') : t('fleet:recordedTyped')}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed" />
          )}
          <Button
            type="submit"
            size="xs"
            loading={props.isPending}
            leftSection={<IconDeviceFloppy size={14} />}
            data-testid={TEST_IDS.recordVersionSubmit}
          >
            {t('fleet:recordSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
