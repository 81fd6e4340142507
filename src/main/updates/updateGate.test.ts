import { describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_POLICY, type ConsoleUpdatePolicy } from './policy.ts';
import { gateUpdater, type GatedUpdater, type UpdateContext } from './updateGate.ts';

/** A stand-in for electron-updater's autoUpdater: its channel setter turns allowDowngrade on, as the real one does. */
function fakeUpdater(): GatedUpdater {
  let channel: string | null = null;
  return {
    get channel() {
      return channel;
    },
    set channel(value) {
      channel = value;
      this.allowDowngrade = true;
    },
    allowDowngrade: false,
    isUserWithinRollout: () => true,
  };
}

const staged: ConsoleUpdatePolicy = {
  ...DEFAULT_UPDATE_POLICY,
  stagedPercent: { lab: 100, pilot: 100, early: 30, general: 5 },
};

function console_(context: UpdateContext, currentVersion = '2.3.0') {
  const updater = fakeUpdater();
  const refusals: string[] = [];
  const { channel } = gateUpdater({
    updater,
    currentVersion,
    context: () => context,
    onRefused: (r) => refusals.push(`${r.code}: ${r.message}`),
  });
  return { updater, refusals, channel };
}

describe('the update gate on electron-updater', () => {
  it('follows the ring’s channel and leaves downgrades off', () => {
    const { updater, channel } = console_({
      policy: staged,
      store: { id: 's1', ring: 'pilot' },
    });
    expect(channel).toBe('beta');
    expect(updater.channel).toBe('beta');
    expect(updater.allowDowngrade).toBe(false);
  });

  it('every console of one store takes or waits for a version together', async () => {
    let taken = 0;
    for (let s = 0; s < 300; s++) {
      const store = { id: `store-${s}`, ring: 'early' as const };
      // Three consoles (three devices, three updater objects) at the same store.
      const answers = await Promise.all(
        [0, 1, 2].map(() =>
          Promise.resolve(
            console_({ policy: staged, store }).updater.isUserWithinRollout({ version: '2.4.0' }),
          ),
        ),
      );
      expect(new Set(answers).size).toBe(1);
      if (answers[0]) taken++;
    }
    expect(taken).toBeGreaterThan(60);
    expect(taken).toBeLessThan(120);
  });

  it('refuses an offer past the pin and reports it; allows the named downgrade only', async () => {
    const policy: ConsoleUpdatePolicy = {
      ...DEFAULT_UPDATE_POLICY,
      pins: [{ scope: { storeId: 's1' }, version: '2.3.5', reason: 'audit week', by: 'admin-ann' }],
      downgrades: [
        {
          scope: { storeId: 's1' },
          toVersion: '2.2.0',
          reason: 'scanner regression',
          by: 'admin-ann',
        },
      ],
    };
    const c = console_({ policy, store: { id: 's1', ring: 'general' } });
    expect(await c.updater.isUserWithinRollout({ version: '2.4.0' })).toBe(false);
    expect(c.refusals).toEqual([
      'past_pin: Console 2.4.0 is not installed: this store is pinned to 2.3.5 by admin-ann (audit week).',
    ]);
    expect(await c.updater.isUserWithinRollout({ version: '2.2.0' })).toBe(true);
    expect(c.updater.allowDowngrade).toBe(true);
    expect(await c.updater.isUserWithinRollout({ version: '2.1.0' })).toBe(false);
    expect(c.updater.allowDowngrade).toBe(false);
    expect(c.refusals[1]).toMatch(/^downgrade_not_allowed:/);
  });

  it('a console not enrolled yet follows the general ring and takes only a full rollout', async () => {
    const c = console_({ policy: staged, store: null });
    expect(c.channel).toBe('latest');
    expect(await c.updater.isUserWithinRollout({ version: '2.4.0' })).toBe(false);
    const all = console_({ policy: DEFAULT_UPDATE_POLICY, store: null });
    expect(await all.updater.isUserWithinRollout({ version: '2.4.0' })).toBe(true);
  });
});
