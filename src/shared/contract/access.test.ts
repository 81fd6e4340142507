import { describe, expect, it } from 'vitest';
import { CHANNEL_ACCESS, isAllowedBy, type GatedChannel } from './access.ts';
import { CHANNELS, contract } from './index.ts';

describe('who may make each call', () => {
  it('the contract takes its role lists from the access map, so the UI and the dispatcher read one rule', () => {
    for (const channel of Object.keys(CHANNEL_ACCESS) as GatedChannel[])
      expect(contract[channel].access, channel).toBe(CHANNEL_ACCESS[channel]);
  });

  it('every call limited to some roles is in the access map, so the UI can gate it', () => {
    const limited = CHANNELS.filter((c) => Array.isArray(contract[c].access));
    expect(limited.filter((c) => !(c in CHANNEL_ACCESS))).toEqual([]);
  });

  it('support may not ask for a change in advance; technicians, managers and admins may', () => {
    const access = CHANNEL_ACCESS['changeRequests:request'];
    expect(isAllowedBy(access, 'support')).toBe(false);
    expect(['technician', 'manager', 'admin'].every((r) => isAllowedBy(access, r as never))).toBe(
      true,
    );
    expect(isAllowedBy('signedIn', null)).toBe(false);
    expect(isAllowedBy('public', null)).toBe(true);
  });
});
