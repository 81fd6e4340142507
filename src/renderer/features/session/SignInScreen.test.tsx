import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { SessionStatus, UserSummary } from '#shared/contract/index.ts';
import { renderWithApi } from '../../testing/renderWithApi.tsx';
import { TEST_IDS } from '../../testIds.ts';
import { DEMO_HINT_TEST_ID } from './DemoUsersHint.tsx';
import { SignInScreen } from './SignInScreen.tsx';

afterEach(cleanup);

// jsdom has no layout: Mantine's combobox scrolls the marked option into view.
if (typeof Element.prototype.scrollIntoView !== 'function')
  Element.prototype.scrollIntoView = () => undefined;

const USERS: UserSummary[] = [
  { id: 'u-tess', name: 'Tess Tran', role: 'technician' },
  { id: 'u-maya', name: 'Maya Moreau', role: 'manager' },
  { id: 'u-sam', name: 'Sam Sato', role: 'support' },
];

function status(isDemoFleet: boolean): SessionStatus {
  return { session: null, hasCatalog: true, isDemoFleet, isEnrolled: false, deviceId: 'd-1' };
}

function renderSignIn(options: { isDemoFleet: boolean }) {
  const signIns: Array<{ userId: string; pin: string }> = [];
  renderWithApi(<SignInScreen />, {
    'session:status': () => status(options.isDemoFleet),
    'session:listUsers': () => USERS,
    'session:signIn': (input) => {
      signIns.push(input);
      return status(options.isDemoFleet);
    },
  });
  return { signIns };
}

async function userField(): Promise<HTMLInputElement> {
  return screen.findByTestId<HTMLInputElement>(TEST_IDS.signInUser);
}

describe('sign-in screen', () => {
  it('puts the cursor in the user field as soon as the users are there', async () => {
    renderSignIn({ isDemoFleet: false });
    const field = await userField();
    expect(document.activeElement).toBe(field);
  });

  it('picks the one user matching what was typed on Enter, then moves to the PIN', async () => {
    const { signIns } = renderSignIn({ isDemoFleet: false });
    const field = await userField();
    fireEvent.change(field, { target: { value: 'maya' } });
    // The only match is marked, ready for Enter.
    await waitFor(() =>
      expect(document.querySelector('[data-combobox-selected][value="u-maya"]')).not.toBeNull(),
    );
    fireEvent.keyDown(field, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(field.value).toBe('Maya Moreau — Store manager'));
    const pin = screen.getByTestId<HTMLInputElement>(TEST_IDS.signInPin);
    await waitFor(() => expect(document.activeElement).toBe(pin));
    // No "pick your name" error: Enter chose the user, it did not submit the form.
    expect(screen.queryByTestId(TEST_IDS.signInError)).toBeNull();
    fireEvent.change(pin, { target: { value: '2222' } });
    fireEvent.submit(pin.closest('form')!);
    await waitFor(() => expect(signIns).toEqual([{ userId: 'u-maya', pin: '2222' }]));
  });

  it('shows the demo users and their PINs on the demo fleet, and a click picks one', async () => {
    renderSignIn({ isDemoFleet: true });
    const hint = await screen.findByTestId(DEMO_HINT_TEST_ID);
    // Only demo users the catalog holds, each with its PIN.
    const rows = within(hint).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      'Tess TranField technician1111',
      'Maya MoreauStore manager2222',
      'Sam SatoSupport3333',
    ]);
    fireEvent.click(within(hint).getByRole('button', { name: 'Sign in as Sam Sato' }));
    await waitFor(async () => expect((await userField()).value).toBe('Sam Sato — Support'));
  });

  it('says nothing about demo users on a real fleet', async () => {
    renderSignIn({ isDemoFleet: false });
    await userField();
    expect(screen.queryByTestId(DEMO_HINT_TEST_ID)).toBeNull();
    expect(screen.queryByText(/1111/)).toBeNull();
  });
});
