import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import type { Answer } from '#shared/checklists/answers.ts';
import type { AnswerSpec } from '#shared/checklists/template.ts';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { AnswerInput } from './AnswerInputs.tsx';
import { CHECKLIST_TEST_IDS } from './testIds.ts';

afterEach(cleanup);

function setup(spec: AnswerSpec, current: Answer | null = null, disabled = false) {
  const answers: Answer[] = [];
  renderWithMantine(
    <AnswerInput
      spec={spec}
      current={current}
      disabled={disabled}
      isPending={false}
      onAnswer={(answer) => {
        answers.push(answer);
        return Promise.resolve();
      }}
    />,
  );
  return answers;
}

const receiptPrint: AnswerSpec = {
  type: 'number',
  unit: 'ms',
  min: 0,
  max: 60_000,
  threshold: { op: '<=', value: 2000 },
};

describe('answer inputs', () => {
  it('pass / fail / n-a buttons answer at once and show the recorded one as pressed', () => {
    const answers = setup({ type: 'passFail' }, { type: 'passFail', value: 'fail' });
    expect(screen.getByTestId(CHECKLIST_TEST_IDS.fail).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId(CHECKLIST_TEST_IDS.pass).getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(screen.getByTestId(CHECKLIST_TEST_IDS.pass));
    fireEvent.click(screen.getByTestId(CHECKLIST_TEST_IDS.na));
    expect(answers).toEqual([
      { type: 'passFail', value: 'pass' },
      { type: 'passFail', value: 'na' },
    ]);
  });

  it('a measured number shows its limit and is judged while typed; out of range cannot be saved', async () => {
    const answers = setup(receiptPrint);
    expect(screen.getByText('Limit ≤ 2000 ms')).toBeTruthy();
    const input = screen.getByTestId(CHECKLIST_TEST_IDS.numberInput);
    const save = screen.getByTestId<HTMLButtonElement>(CHECKLIST_TEST_IDS.save);

    fireEvent.change(input, { target: { value: '2400' } });
    expect(screen.getByText('Over the limit: fails')).toBeTruthy();
    expect(save.disabled).toBe(false);

    fireEvent.change(input, { target: { value: '99999' } });
    expect(screen.getByText('Outside 0–60000 ms: measure again')).toBeTruthy();
    expect(save.disabled).toBe(true);

    fireEvent.change(input, { target: { value: '1840' } });
    expect(screen.getByText('Within the limit')).toBeTruthy();
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
      await Promise.resolve();
    });
    expect(answers).toEqual([{ type: 'number', value: 1840 }]);
  });

  it('text answers are trimmed and an empty one is not sent', async () => {
    const answers = setup({ type: 'text', maxLength: 500 });
    const input = screen.getByTestId(CHECKLIST_TEST_IDS.textInput);
    fireEvent.change(input, { target: { value: '   ' } });
    expect(screen.getByTestId<HTMLButtonElement>(CHECKLIST_TEST_IDS.save).disabled).toBe(true);
    fireEvent.change(input, { target: { value: '  Drawer needs a push  ' } });
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
      await Promise.resolve();
    });
    expect(answers).toEqual([{ type: 'text', value: 'Drawer needs a push' }]);
  });

  it('a choice answers with the option id', () => {
    const answers = setup({
      type: 'choice',
      options: [
        { id: 'opens', label: 'Opens' },
        { id: 'closed', label: 'Does not open' },
      ],
      failingOptionIds: ['closed'],
    });
    fireEvent.click(screen.getByLabelText('Does not open'));
    expect(answers).toEqual([{ type: 'choice', optionId: 'closed' }]);
  });

  it('nothing is answered while the run is paused', () => {
    const answers = setup({ type: 'passFail' }, null, true);
    fireEvent.click(screen.getByTestId(CHECKLIST_TEST_IDS.pass));
    expect(answers).toEqual([]);
  });

  it('a saved signature is not called "Not signed yet": it says it is saved and offers to replace it', () => {
    setup({ type: 'signature' }, { type: 'signature' });
    expect(screen.queryByText('Not signed yet')).toBeNull();
    expect(screen.getByTestId(`${CHECKLIST_TEST_IDS.signature}-saved`).textContent).toMatch(
      /Signature saved/,
    );
    expect(screen.getByTestId(CHECKLIST_TEST_IDS.save).textContent).toBe('Replace signature');
  });

  it('an unsigned signature item still says "Not signed yet"', () => {
    setup({ type: 'signature' });
    expect(screen.getByText('Not signed yet')).toBeTruthy();
    expect(screen.getByTestId(CHECKLIST_TEST_IDS.save).textContent).toBe('Save signature');
  });

  it('a photo item that has its photo offers to replace it, not to take one', () => {
    setup({ type: 'photo' }, { type: 'photo' });
    expect(screen.queryByText('Take or choose a photo')).toBeNull();
    expect(screen.getByText('Replace photo')).toBeTruthy();
  });

  it('a photo item without a photo offers to take or choose one', () => {
    setup({ type: 'photo' });
    expect(screen.getByText('Take or choose a photo')).toBeTruthy();
  });

  it('arrow keys in a choice move the selection without saving; Enter saves the one reached, once', () => {
    const answers = setup({
      type: 'choice',
      options: [
        { id: 'opens', label: 'Opens' },
        { id: 'sticks', label: 'Opens but sticks' },
        { id: 'closed', label: 'Does not open' },
      ],
      failingOptionIds: ['sticks', 'closed'],
    });
    // What a browser does on ArrowDown in a radio group: keydown, then the next option is clicked.
    fireEvent.keyDown(screen.getByLabelText('Opens'), { key: 'ArrowDown' });
    fireEvent.click(screen.getByLabelText('Opens but sticks'));
    fireEvent.keyDown(screen.getByLabelText('Opens but sticks'), { key: 'ArrowDown' });
    fireEvent.click(screen.getByLabelText('Does not open'));
    expect(answers).toEqual([]);
    expect(screen.getByTestId(CHECKLIST_TEST_IDS.choiceHint)).toBeTruthy();
    fireEvent.keyDown(screen.getByLabelText('Does not open'), { key: 'Enter' });
    // Focus then moves on to the next item: leaving the group does not send it a second time.
    fireEvent.focusOut(screen.getByLabelText('Does not open'));
    expect(answers).toEqual([{ type: 'choice', optionId: 'closed' }]);
  });
});
