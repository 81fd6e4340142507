/**
 * A time of day typed on the 24-hour clock ("14:30"), the same everywhere in
 * the console. A native `<input type="time">` follows the browser's locale and
 * shows 12-hour AM/PM on an English system, unlike every other time shown.
 * Accepts "9:30", "0930" and "930" and reports "09:30"; anything else is
 * reported as '' (incomplete) and, once the field is left, named as an error.
 */
import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { t } from '../i18n/index.ts';

/** "HH:MM" on the 24-hour clock, or null when `text` is not a time of day. */
export function parseTime24(text: string): string | null {
  const match = /^\s*(\d{1,2}):?(\d{2})\s*$/.exec(text);
  if (match === null) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

export function TimeInput24(props: {
  label: string;
  /** "HH:MM", or '' while incomplete. */
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  w?: number;
}) {
  const [text, setText] = useState(props.value);
  const [wasLeft, setWasLeft] = useState(false);
  const isInvalid = wasLeft && text.trim() !== '' && parseTime24(text) === null;
  return (
    <TextInput
      label={props.label}
      value={text}
      placeholder={t('components:timePlaceholder')}
      inputMode="numeric"
      autoComplete="off"
      maxLength={5}
      w={props.w ?? 110}
      leftSection={<IconClock size={14} />}
      error={isInvalid ? t('components:timeInvalid') : undefined}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        props.onChange(parseTime24(next) ?? '');
      }}
      onBlur={() => {
        setWasLeft(true);
        const parsed = parseTime24(text);
        if (parsed !== null) setText(parsed);
      }}
      data-testid={props.testId}
    />
  );
}
