import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ signInAs: TECH });
});
afterAll(async () => {
  await app.dispose();
});

describe('releases', () => {
  it('lists every release newest first, with terminal counts and the rings it is the target of', async () => {
    const list = expectOk(await app.dispatch('releases:list', {})) as Array<{
      version: string;
      terminalCount: number;
      targetOfRings: string[];
    }>;
    expect(list.map((r) => r.version)).toEqual([
      '5.0.0',
      '4.4.0',
      '4.3.1',
      '4.3.0',
      '4.2.1',
      '4.2.0',
      '4.1.1',
      '4.1.0',
      '4.0.1',
      '4.0.0',
    ]);
    expect(list.find((r) => r.version === '4.2.0')!.targetOfRings).toEqual(['general']);
    expect(list.find((r) => r.version === '4.3.1')!.terminalCount).toBe(0);
    const total = app.db.sqlite
      .prepare('SELECT count(*) FROM terminal_current WHERE release_id IS NOT NULL')
      .pluck()
      .get();
    expect(list.reduce((n, r) => n + r.terminalCount, 0)).toBe(total);
    expect(list[0]).not.toHaveProperty('notesMarkdown');
  });

  it('gets one release with its notes, and says clearly when it does not exist', async () => {
    const release = expectOk(await app.dispatch('releases:get', { releaseId: 'rel-4.3.1' })) as {
      notesMarkdown: string;
    };
    expect(release.notesMarkdown).toContain('<script>');
    const missing = await app.dispatch('releases:get', { releaseId: 'rel-0.0.1' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('accumulates the notes from after the store lowest release up to its ring target, in SemVer order, without withdrawn ones', async () => {
    const storeId = 'st-lyo-01'; // pilot: target 4.4.0
    const lowest = app.db.sqlite
      .prepare(
        'SELECT version FROM terminal_current WHERE store_id = ? AND version_rank IS NOT NULL ORDER BY version_rank LIMIT 1',
      )
      .pluck()
      .get(storeId) as string;
    const notes = expectOk(await app.dispatch('releases:notesBetween', { storeId })) as {
      currentVersion: string;
      targetVersion: string;
      releases: Array<{ version: string }>;
    };
    expect(notes.currentVersion).toBe(lowest);
    expect(notes.targetVersion).toBe('4.4.0');
    const all = ['4.2.0', '4.2.1', '4.3.0', '4.4.0'];
    expect(notes.releases.map((r) => r.version)).toEqual(all.slice(all.indexOf(lowest) + 1));
    expect(notes.releases.map((r) => r.version)).not.toContain('4.3.1');
  });

  it('moving the lagging terminals to the target leaves no notes to read', async () => {
    const storeId = 'st-lon-01';
    const terminals = app.db.sqlite
      .prepare('SELECT terminal_id FROM terminal_current WHERE store_id = ?')
      .pluck()
      .all(storeId) as string[];
    for (const terminalId of terminals)
      expectOk(
        await app.dispatch('fleet:recordVersion', {
          terminalId,
          version: '4.4.0',
          source: 'typed',
        }),
      );
    const notes = expectOk(await app.dispatch('releases:notesBetween', { storeId })) as {
      currentVersion: string;
      releases: unknown[];
    };
    expect(notes.currentVersion).toBe('4.4.0');
    expect(notes.releases).toEqual([]);
  });

  it('refuses notes for an unknown store', async () => {
    expect(await app.dispatch('releases:notesBetween', { storeId: 'st-nowhere' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
