import { afterEach, describe, expect, it } from 'vitest';
import { MANAGER, expectOk, startTestApp, type TestApp } from '../app/testSupport.ts';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

function updateEvents(a: TestApp) {
  return a.db.sqlite
    .prepare(
      "SELECT actor_user_id, body FROM journal WHERE type LIKE 'console.update.%' ORDER BY seq",
    )
    .all() as Array<{ actor_user_id: string; body: string }>;
}

const refusal = {
  type: 'console.update.refused' as const,
  payload: {
    fromVersion: '1.4.0',
    version: '1.5.0',
    channel: 'latest' as const,
    reason: 'hash_mismatch' as const,
    message: 'The file differs from the one the central server published.',
  },
};

describe('the update hub', () => {
  it('answers "managed by the desktop app" without an updater, and refuses Restart now', async () => {
    app = await startTestApp({ signInAs: MANAGER });
    expect(expectOk(await app.dispatch('updates:status', {}))).toMatchObject({
      phase: 'unmanaged',
      canRestartNow: false,
    });
    expect(await app.dispatch('updates:restartNow', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('desktop app') as unknown },
    });
  });

  it('records an update event under the person signed in, or waits for the next sign-in', async () => {
    app = await startTestApp();
    app.updates.audit(refusal);
    expect(updateEvents(app)).toEqual([]);
    expectOk(await app.dispatch('session:signIn', MANAGER));
    expectOk(await app.dispatch('updates:status', {}));
    const rows = updateEvents(app);
    expect(rows.map((r) => r.actor_user_id)).toEqual([MANAGER.userId]);
    expect(JSON.parse(rows[0]!.body)).toMatchObject({
      type: 'console.update.refused',
      payload: { reason: 'hash_mismatch', version: '1.5.0' },
    });
    app.updates.audit({ ...refusal, payload: { ...refusal.payload, reason: 'bad_signature' } });
    expect(updateEvents(app)).toHaveLength(2);
  });

  it('refuses a bad report of what is on screen and keeps the last good one', async () => {
    app = await startTestApp({ signInAs: MANAGER });
    expectOk(
      await app.dispatch('updates:reportScreen', {
        openChecklistRuns: [{ id: 'run-1', label: 'Smoke test' }],
        isSignOffOpen: false,
      }),
    );
    const bad = await app.dispatch('updates:reportScreen', {
      openChecklistRuns: [{ id: 'run 2 with spaces', label: 'x' }],
      isSignOffOpen: 'yes',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(app.updates.onScreen()).toEqual({
      openChecklistRuns: [{ id: 'run-1', label: 'Smoke test' }],
      isSignOffOpen: false,
    });
  });
});
