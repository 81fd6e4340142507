import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { RecordVersionForm } from './RecordVersionForm.tsx';
import type { VersionSource } from './scanner.ts';

afterEach(cleanup);

function setup(options: { fails?: string } = {}) {
  let clock = 0;
  const calls: Array<{ version: string; source: VersionSource }> = [];
  const utils = renderWithMantine(
    <RecordVersionForm
      now={() => clock}
      error={options.fails ?? null}
      onRecord={(version, source) => {
        calls.push({ version, source });
        return options.fails ? Promise.reject(new Error(options.fails)) : Promise.resolve();
      }}
    />,
  );
  const input = screen.getByTestId<HTMLInputElement>(TEST_IDS.recordVersionInput);
  /** Types `text` key by key, `gap` ms apart, then presses Enter. */
  async function enter(text: string, gap: number) {
    for (const ch of text) {
      clock += gap;
      fireEvent.change(input, { target: { value: input.value + ch } });
    }
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
      await Promise.resolve();
    });
  }
  return { ...utils, input, calls, enter };
}

describe('RecordVersionForm', () => {
  it('sends a scanner burst ending in Enter as scanned', async () => {
    const { enter, calls } = setup();
    await enter('4.2.1', 7);
    expect(calls).toEqual([{ version: '4.2.1', source: 'scanned' }]);
  });

  it('sends slow keystrokes as typed', async () => {
    const { enter, calls } = setup();
    await enter('4.2.1', 180);
    expect(calls).toEqual([{ version: '4.2.1', source: 'typed' }]);
  });

  it('clears the field after a successful record, ready for the next scan', async () => {
    const { enter, input } = setup();
    await enter('4.2.1', 7);
    expect(input.value).toBe('');
  });

  it('keeps the text and shows the back end message when recording fails', async () => {
    const { enter, input } = setup({ fails: 'Version 4.2 is not a valid version (x.y.z).' });
    await enter('4.2', 150);
    expect(input.value).toBe('4.2');
    expect(screen.getByTestId(TEST_IDS.recordVersionError).textContent).toContain(
      'not a valid version',
    );
  });

  it('does not call the back end for an empty field and says what to do', async () => {
    const { input, calls } = setup();
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
      await Promise.resolve();
    });
    expect(calls).toEqual([]);
    expect(screen.getByTestId(TEST_IDS.recordVersionError).textContent).toMatch(
      /Enter the version/,
    );
  });
});
