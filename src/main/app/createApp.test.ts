import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/contract/index.ts';
import { expectOk, startTestApp, TECH, type TestApp } from './testSupport.ts';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

describe('createApp', () => {
  it('from first run to a recorded version through dispatch, with db:changed naming the tables', async () => {
    app = await startTestApp({ withDemo: false });
    const changes: string[][] = [];
    app.events.on('db:changed', ({ tables }) => changes.push(tables));
    expect(expectOk(await app.dispatch('session:status', {}))).toEqual({
      session: null,
      hasCatalog: false,
      isDemoFleet: false,
      isEnrolled: false,
      deviceId: app.deviceId,
    });
    expect(await app.dispatch('fleet:matrix', {})).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    // The demo fleet says so, so the screens can say its records are never sent.
    expect(expectOk(await app.dispatch('demo:load', {}))).toMatchObject({
      hasCatalog: true,
      isDemoFleet: true,
    });
    expect(changes.at(-1)).toEqual(expect.arrayContaining(['terminal_current', 'stores']));
    const users = expectOk(await app.dispatch('session:listUsers', {})) as Array<
      Record<string, unknown>
    >;
    expect(users.length).toBeGreaterThanOrEqual(4);
    expect(users[0]).not.toHaveProperty('pinHash');
    expectOk(await app.dispatch('session:signIn', TECH));

    const page = expectOk(
      await app.dispatch('fleet:listTerminals', {
        filter: { driftOnly: true },
        sort: { key: 'store', desc: false },
        offset: 0,
        limit: 50,
      }),
    ) as {
      rows: Array<{ id: string; targetVersion: string }>;
    };
    const terminal = page.rows[0]!;
    const recorded = expectOk(
      await app.dispatch('fleet:recordVersion', {
        terminalId: terminal.id,
        version: terminal.targetVersion,
        source: 'typed',
      }),
    ) as {
      terminal: { isDrift: boolean };
    };
    expect(recorded.terminal.isDrift).toBe(false);
    expect(changes.at(-1)).toEqual(
      expect.arrayContaining(['journal', 'terminal_current', 'terminal_versions']),
    );
    const detail = expectOk(
      await app.dispatch('fleet:getTerminal', { terminalId: terminal.id }),
    ) as { history: Array<{ version: string }> };
    expect(detail.history[0]!.version).toBe(terminal.targetVersion);

    const sync = expectOk(await app.dispatch('sync:status', {}));
    expect(sync).toMatchObject({ isEnrolled: false, pendingEvents: 2 });
    expect(expectOk(await app.dispatch('audit:verifyJournal', {}))).toMatchObject({
      ok: true,
      count: 2,
    });
  });

  it('keeps data across a restart on the same folder, with the same device id', async () => {
    app = await startTestApp({ signInAs: TECH });
    const terminalId = app.db.sqlite
      .prepare('SELECT terminal_id FROM terminal_current ORDER BY terminal_id LIMIT 1')
      .pluck()
      .get() as string;
    expectOk(
      await app.dispatch('fleet:recordVersion', { terminalId, version: '4.4.0', source: 'typed' }),
    );
    const { dir, deviceId } = app;
    await app.close();
    app = await startTestApp({ dir, withDemo: false, signInAs: TECH });
    expect(app.deviceId).toBe(deviceId);
    const detail = expectOk(await app.dispatch('fleet:getTerminal', { terminalId })) as {
      terminal: { version: string };
    };
    expect(detail.terminal.version).toBe('4.4.0');
  });

  it('answers every channel of the contract with an envelope, never a throw', async () => {
    app = await startTestApp({ signInAs: TECH });
    for (const channel of CHANNELS) {
      const result = await app.dispatch(channel, {});
      expect(typeof result.ok, channel).toBe('boolean');
      if (!result.ok) expect(result.error.code, channel).not.toBe('internal');
    }
  });

  it('plugs a sync implementation in through the seam', async () => {
    app = await startTestApp({
      signInAs: TECH,
      sync: ({ db }) => ({
        isEnrolled: () => true,
        storeId: () => 'st-par-01',
        handlers: Object.fromEntries(
          CHANNELS.filter((c) => c.startsWith('sync:')).map((c) => [
            c,
            () => ({
              isEnrolled: true,
              isOnline: true,
              pendingEvents: db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get(),
              lastSuccessAt: null,
              lastError: null,
              serverUrl: 'https://central.example',
              treeHead: null,
            }),
          ]),
        ) as never,
      }),
    });
    expect(expectOk(await app.dispatch('session:status', {}))).toMatchObject({ isEnrolled: true });
    expect(expectOk(await app.dispatch('sync:status', {}))).toMatchObject({
      serverUrl: 'https://central.example',
      pendingEvents: 1,
    });
    const storeId = app.db.sqlite
      .prepare("SELECT store_id FROM journal WHERE type = 'session.signed_in'")
      .pluck()
      .get();
    expect(storeId).toBe('st-par-01');
  });
});
