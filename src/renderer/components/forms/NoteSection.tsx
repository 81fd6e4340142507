/**
 * What the change-request and waive forms share: the note a person writes to
 * justify a deviation (the impact, the reason for a waiver), shown with the
 * rule it breaks before anything is sent, the back end's refusal if it still
 * refuses, and Cancel / Submit.
 */
import type { ReactNode } from 'react';
import { Alert, Button, Group, Textarea, type MantineColor } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';

export function NoteSection(props: {
  label: string;
  placeholder: string;
  maxLength: number;
  /** The note's binding to its form: value, onChange and the rule it breaks. */
  input: GetInputPropsReturnType;
  noteTestId: string;
  /** The back end's refusal, or a rule of no single field. */
  problem: ReactNode;
  problemTestId?: string;
  cancelLabel: string;
  onCancel: () => void;
  submitLabel: string;
  submitColor?: MantineColor;
  submitTestId: string;
  isPending: boolean;
  isSubmitDisabled?: boolean;
  /** Fields between the note and the buttons (the risk of a change request). */
  children?: ReactNode;
}) {
  return (
    <>
      <Textarea
        label={props.label}
        placeholder={props.placeholder}
        {...props.input}
        minRows={3}
        autosize
        maxLength={props.maxLength}
        required
        data-autofocus
        data-testid={props.noteTestId}
      />
      {props.children}
      {props.problem !== null && props.problem !== undefined && props.problem !== false && (
        <Alert color="red" variant="light" data-testid={props.problemTestId}>
          {props.problem}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onCancel}>
          {props.cancelLabel}
        </Button>
        <Button
          type="submit"
          color={props.submitColor}
          disabled={props.isSubmitDisabled}
          loading={props.isPending}
          data-testid={props.submitTestId}
        >
          {props.submitLabel}
        </Button>
      </Group>
    </>
  );
}
