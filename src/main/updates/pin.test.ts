import { describe, expect, it } from 'vitest';
import { decideInstall } from './pin.ts';
import { DEFAULT_UPDATE_POLICY, type ConsoleUpdatePolicy } from './policy.ts';

const store = { id: 's1', ring: 'early' as const };
function policy(overrides: Partial<ConsoleUpdatePolicy>): ConsoleUpdatePolicy {
  return { ...DEFAULT_UPDATE_POLICY, ...overrides };
}
const ringPin = {
  scope: { ring: 'early' as const },
  version: '2.4.0',
  reason: 'peak season',
  by: 'admin-ann',
};

describe('pin and controlled downgrade', () => {
  it('without a policy entry: newer versions install, older ones and the same do not', () => {
    const p = policy({});
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.3.0', offeredVersion: '2.4.0' }),
    ).toEqual({
      isAllowed: true,
      allowDowngrade: false,
      reason: null,
    });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.3.0', offeredVersion: '2.2.0' }),
    ).toMatchObject({
      isAllowed: false,
      code: 'downgrade_not_allowed',
    });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.3.0', offeredVersion: '2.3.0' }),
    ).toMatchObject({
      isAllowed: false,
      code: 'same_version',
    });
  });

  it('a pin allows moving up to it and refuses moving past it, saying who pinned and why', () => {
    const p = policy({ pins: [ringPin] });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.3.0', offeredVersion: '2.4.0' }),
    ).toMatchObject({
      isAllowed: true,
      allowDowngrade: false,
    });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.3.0', offeredVersion: '2.5.0' }),
    ).toEqual({
      isAllowed: false,
      code: 'past_pin',
      message:
        'Console 2.5.0 is not installed: the early ring is pinned to 2.4.0 by admin-ann (peak season).',
    });
  });

  it('the store’s own entry wins over its ring’s', () => {
    const p = policy({
      pins: [
        ringPin,
        { scope: { storeId: 's1' }, version: '2.6.0', reason: 'pilot of 2.6', by: 'admin-bo' },
      ],
    });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.3.0', offeredVersion: '2.5.0' })
        .isAllowed,
    ).toBe(true);
    expect(
      decideInstall({
        policy: p,
        store: { id: 's2', ring: 'early' },
        currentVersion: '2.3.0',
        offeredVersion: '2.5.0',
      }).isAllowed,
    ).toBe(false);
  });

  it('a controlled downgrade allows exactly the named version, with allowDowngrade and its reason', () => {
    const p = policy({
      downgrades: [
        {
          scope: { storeId: 's1' },
          toVersion: '2.3.0',
          reason: 'printer driver crash in 2.4',
          by: 'admin-ann',
        },
      ],
    });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.4.0', offeredVersion: '2.3.0' }),
    ).toEqual({
      isAllowed: true,
      allowDowngrade: true,
      reason: 'admin-ann: printer driver crash in 2.4',
    });
    expect(
      decideInstall({ policy: p, store, currentVersion: '2.4.0', offeredVersion: '2.2.0' }),
    ).toMatchObject({
      isAllowed: false,
      code: 'downgrade_not_allowed',
      message: 'Console 2.2.0 is older than 2.4.0, and this store may go back only to 2.3.0.',
    });
  });

  it('a pin to a version the feed never published holds every update', () => {
    const p = policy({ pins: [{ ...ringPin, version: '2.4.7' }] });
    expect(
      decideInstall({
        policy: p,
        store,
        currentVersion: '2.3.0',
        offeredVersion: '2.4.0',
        publishedVersions: ['2.3.0', '2.4.0'],
      }),
    ).toMatchObject({ isAllowed: false, code: 'unknown_pin' });
  });
});
