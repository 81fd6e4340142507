import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { CHANNEL_ACCESS, type GatedChannel } from '../../shared/contract/access.ts';
import { contract, type SessionStatus } from '../../shared/contract/index.ts';
import { ROLES, type Role } from '../../shared/domain/roles.ts';
import { NOT_ALLOWED_TEST_ID } from '../components/NotAllowedNote.tsx';
import { NewChangeRequestButton } from '../features/changeRequests/NewChangeRequestButton.tsx';
import { CHANGE_REQUEST_TEST_IDS } from '../features/changeRequests/testIds.ts';
import { renderWithApi, signedInStatus } from '../testing/renderWithApi.tsx';
import { can } from './permissions.ts';

afterEach(cleanup);

function signedInAs(role: Role): SessionStatus {
  return signedInStatus({ id: `u-${role}`, name: `A ${role}`, role });
}

describe('what a role is offered', () => {
  it('follows the contract’s role list for every gated call and every role', () => {
    for (const channel of Object.keys(CHANNEL_ACCESS) as GatedChannel[]) {
      const access = contract[channel].access;
      for (const role of ROLES) {
        const expected = access === 'signedIn' || (Array.isArray(access) && access.includes(role));
        const permission = can(channel, role);
        expect(permission.allowed, `${channel} for ${role}`).toBe(expected);
        expect(permission.reason === null, `${channel} for ${role}`).toBe(expected);
      }
    }
  });

  it('says who can, and who you are, when you cannot', () => {
    expect(can('changeRequests:request', 'support').reason).toBe(
      'Only a field technician, a store manager, or an administrator can ask for a change; you are signed in as support staff.',
    );
    expect(can('decisions:record', 'technician').reason).toBe(
      'Only a store manager can sign a go / no-go decision; you are signed in as a field technician.',
    );
    expect(can('checklists:startRun', null).reason).toBe('Sign in to start a checklist run.');
  });

  it('support sees "Ask for a change in advance" disabled, with the reason, before trying', async () => {
    renderWithApi(<NewChangeRequestButton storeId="st-1" timezone="Europe/Paris" />, {
      'session:status': () => signedInAs('support'),
    });
    await waitFor(() => expect(screen.getByTestId(NOT_ALLOWED_TEST_ID)).toBeTruthy());
    expect(screen.getByTestId(NOT_ALLOWED_TEST_ID).textContent).toMatch(
      /you are signed in as support/,
    );
    expect(screen.getByTestId<HTMLButtonElement>(CHANGE_REQUEST_TEST_IDS.newRequest).disabled).toBe(
      true,
    );
  });

  it('a technician may ask: the button is enabled and no reason is shown', async () => {
    const { calls } = renderWithApi(
      <NewChangeRequestButton storeId="st-1" timezone="Europe/Paris" />,
      { 'session:status': () => signedInAs('technician') },
    );
    await waitFor(() => expect(calls.some((c) => c.channel === 'session:status')).toBe(true));
    await waitFor(() =>
      expect(
        screen.getByTestId<HTMLButtonElement>(CHANGE_REQUEST_TEST_IDS.newRequest).disabled,
      ).toBe(false),
    );
    expect(screen.queryByTestId(NOT_ALLOWED_TEST_ID)).toBeNull();
  });
});
