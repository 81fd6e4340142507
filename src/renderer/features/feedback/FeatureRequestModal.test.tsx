import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { RequestSuggestion } from '#shared/feedback/types.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { resetAppStore } from '../../state/store.ts';
import { FeatureRequestModal } from './FeatureRequestModal.tsx';
import { FEEDBACK_TEST_IDS } from './testIds.ts';

afterEach(() => {
  cleanup();
  resetAppStore();
});

const SPLIT: RequestSuggestion = {
  id: 'req-lyon',
  title: 'Split payment between card and cash',
  status: 'open',
  votes: 3,
  hasOurVote: false,
};

function answers() {
  return {
    'fleet:matrix': () => ({ stores: [{ id: 'st-1', name: 'Paris', ring: 'pilot' }] }) as never,
    'feedback:suggestRequests': (input: { text: string }) =>
      /split/i.test(input.text) ? [SPLIT] : [],
    'feedback:fileFeatureRequest': () => ({ id: 'req-new' }),
    'feedback:voteFeatureRequest': (input: { requestId: string }) => ({
      id: input.requestId,
      isNewVote: true,
    }),
  };
}

describe('the feature request form', { timeout: 30_000 }, () => {
  it('refuses a short title and no category in the back end’s words, then files exactly what was typed', async () => {
    const { calls } = renderWithApi(<FeatureRequestModal onClose={() => {}} />, answers());
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.requestTitle), {
      target: { value: 'Tx' },
    });
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.requestSubmit));
    expect(await screen.findByText('Give a title of at least 3 characters.')).toBeTruthy();
    expect(screen.getByText('Choose a category.')).toBeTruthy();
    expect(calls.some((c) => c.channel === 'feedback:fileFeatureRequest')).toBe(false);

    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.requestTitle), {
      target: { value: '  Tax-free receipts for tourists ' },
    });
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.requestDescription), {
      target: { value: 'Many visitors ask.' },
    });
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.requestCategory));
    // The dropdown is mid-transition for jsdom, so its options count as hidden.
    fireEvent.click(await screen.findByRole('option', { name: 'Checkout', hidden: true }));
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.requestSubmit));
    const done = await screen.findByTestId(FEEDBACK_TEST_IDS.requestDone);
    expect(done.dataset.outcome).toBe('filed');
    expect(calls.find((c) => c.channel === 'feedback:fileFeatureRequest')!.input).toEqual({
      title: 'Tax-free receipts for tourists',
      description: 'Many visitors ask.',
      category: 'checkout',
      storeId: 'st-1',
    });
  });

  it('suggests a request with the same words while the title is typed, and votes for it instead of filing', async () => {
    const { calls } = renderWithApi(<FeatureRequestModal onClose={() => {}} />, answers());
    fireEvent.change(screen.getByTestId(FEEDBACK_TEST_IDS.requestTitle), {
      target: { value: 'Split the bill card and cash' },
    });
    const suggestion = await screen.findByTestId(FEEDBACK_TEST_IDS.requestSuggestion);
    expect(suggestion.textContent).toContain('Split payment between card and cash');
    expect(suggestion.textContent).toContain('3 stores');
    // One search for what was typed, once the typing paused.
    expect(calls.filter((c) => c.channel === 'feedback:suggestRequests')).toHaveLength(1);
    fireEvent.click(screen.getByTestId(FEEDBACK_TEST_IDS.requestVote));
    const done = await screen.findByTestId(FEEDBACK_TEST_IDS.requestDone);
    expect(done.dataset.outcome).toBe('voted');
    expect(done.textContent).toContain('Split payment between card and cash');
    expect(calls.find((c) => c.channel === 'feedback:voteFeatureRequest')!.input).toEqual({
      requestId: 'req-lyon',
      storeId: 'st-1',
    });
    expect(calls.some((c) => c.channel === 'feedback:fileFeatureRequest')).toBe(false);
  });
});
