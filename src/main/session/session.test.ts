import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalCount, MANAGER, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { LOCKOUT_MS, MAX_WRONG_PINS } from './service.ts';
import { hashPinSync, parsePinHash, verifyPin } from './pin.ts';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.dispose();
});

describe('PIN hashes', () => {
  it('hash in the catalog format and verify only the right PIN', async () => {
    const stored = hashPinSync('2468');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(parsePinHash(stored)?.hash).toHaveLength(32);
    expect(await verifyPin('2468', stored)).toBe(true);
    expect(await verifyPin('2469', stored)).toBe(false);
  });

  it('refuse malformed or hostile hashes without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$16384$8$1$c2FsdA==',
      'bcrypt$16384$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
      'scrypt$1073741824$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
    ]) {
      expect(parsePinHash(bad), bad).toBeNull();
      expect(await verifyPin('1111', bad)).toBe(false);
    }
  });
});

describe('sign-in', () => {
  it('signs in with the right PIN and journals it; signing out journals that too', async () => {
    const before = journalCount(app);
    const status = await app.dispatch('session:signIn', TECH);
    expect(status).toMatchObject({
      ok: true,
      value: { session: { user: { id: 'u-tess', role: 'technician' } }, hasCatalog: true },
    });
    expect(await app.dispatch('session:signOut', {})).toMatchObject({
      ok: true,
      value: { session: null },
    });
    const types = app.db.sqlite
      .prepare('SELECT type FROM journal WHERE seq > ? ORDER BY seq')
      .pluck()
      .all(before);
    expect(types).toEqual(['session.signed_in', 'session.signed_out']);
  });

  it('signing in as someone else signs the previous user out first', async () => {
    await app.dispatch('session:signIn', TECH);
    await app.dispatch('session:signIn', MANAGER);
    const rows = app.db.sqlite
      .prepare("SELECT type, actor_user_id FROM journal WHERE type LIKE 'session.%' ORDER BY seq")
      .all();
    expect(rows).toEqual([
      { type: 'session.signed_in', actor_user_id: 'u-tess' },
      { type: 'session.signed_out', actor_user_id: 'u-tess' },
      { type: 'session.signed_in', actor_user_id: 'u-maya' },
    ]);
  });

  it('a wrong PIN says how many tries are left and records no event', async () => {
    const before = journalCount(app);
    const result = await app.dispatch('session:signIn', { userId: 'u-tess', pin: '9999' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'wrong_pin', details: { attemptsLeft: MAX_WRONG_PINS - 1 } },
    });
    expect(journalCount(app)).toBe(before);
    expect(await app.dispatch('session:status', {})).toMatchObject({
      ok: true,
      value: { session: null },
    });
  });

  it('five wrong PINs lock the user for five minutes, even with the right PIN, and across a restart', async () => {
    for (let i = 1; i < MAX_WRONG_PINS; i++) {
      expect(await app.dispatch('session:signIn', { userId: 'u-tess', pin: '0000' })).toMatchObject(
        { ok: false, error: { code: 'wrong_pin' } },
      );
    }
    const fifth = await app.dispatch('session:signIn', { userId: 'u-tess', pin: '0000' });
    expect(fifth).toMatchObject({
      ok: false,
      error: {
        code: 'locked_out',
        details: { lockedUntil: new Date(app.clock.now().getTime() + LOCKOUT_MS).toISOString() },
      },
    });
    expect(await app.dispatch('session:signIn', TECH)).toMatchObject({
      ok: false,
      error: { code: 'locked_out' },
    });
    // Another user is not affected.
    expect(await app.dispatch('session:signIn', MANAGER)).toMatchObject({ ok: true });
    await app.dispatch('session:signOut', {});

    // Restart on the same data folder: still locked.
    const dir = app.dir;
    const at = app.clock.now().toISOString();
    await app.close();
    const restarted = await startTestApp({ dir, withDemo: false });
    restarted.clock.set(at);
    expect(await restarted.dispatch('session:signIn', TECH)).toMatchObject({
      ok: false,
      error: { code: 'locked_out' },
    });
    restarted.clock.advance(LOCKOUT_MS - 1000);
    expect(await restarted.dispatch('session:signIn', TECH)).toMatchObject({
      ok: false,
      error: { code: 'locked_out' },
    });
    restarted.clock.advance(2000);
    expect(await restarted.dispatch('session:signIn', TECH)).toMatchObject({ ok: true });
    app = restarted;
  });

  it('after a lock expires, the count starts again from zero', async () => {
    for (let i = 0; i < MAX_WRONG_PINS; i++)
      await app.dispatch('session:signIn', { userId: 'u-tess', pin: '0000' });
    app.clock.advance(LOCKOUT_MS + 1);
    expect(await app.dispatch('session:signIn', { userId: 'u-tess', pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_pin', details: { attemptsLeft: MAX_WRONG_PINS - 1 } },
    });
  });

  it('an unknown user gets not_found and role rules apply after sign-in', async () => {
    expect(await app.dispatch('session:signIn', { userId: 'u-nobody', pin: '1111' })).toMatchObject(
      { ok: false, error: { code: 'not_found' } },
    );
    await app.dispatch('session:signIn', { userId: 'u-sam', pin: '3333' });
    const terminalId = app.db.sqlite
      .prepare('SELECT terminal_id FROM terminal_current LIMIT 1')
      .pluck()
      .get() as string;
    expect(
      await app.dispatch('fleet:recordVersion', { terminalId, version: '4.2.0', source: 'typed' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
