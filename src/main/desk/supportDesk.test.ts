/**
 * The support desk's saved inbox views stay on this console: saved by name
 * (saving the same name again replaces its filters), listed, deleted; a bad
 * filter is refused with the field named and saves nothing; a technician
 * may not save one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupportDeskView } from '../../shared/contract/supportDesk.ts';
import { expectOk, startTestApp, SUPPORT, TECH, type TestApp } from '../app/testSupport.ts';

let app: TestApp | null = null;
afterEach(async () => {
  await app?.dispose();
  app = null;
});

describe('saved inbox views', () => {
  it('are saved by name, replaced, listed and deleted on this console', async () => {
    app = await startTestApp({ signInAs: SUPPORT });
    app.clock.set('2026-03-01T10:00:00.000Z');
    expectOk(
      await app.dispatch('supportDesk:saveView', {
        name: 'North blockers',
        filters: { region: 'North', severity: 'S1', q: '' },
      }),
    );
    expectOk(
      await app.dispatch('supportDesk:saveView', {
        name: 'Mine',
        filters: { assignee: 'u-sam', status: 'in_progress' },
      }),
    );
    const replaced = expectOk(
      await app.dispatch('supportDesk:saveView', {
        name: 'North blockers',
        filters: { region: 'North', severity: 'S2', sort: 'severity' },
      }),
    ) as SupportDeskView[];
    expect(replaced).toEqual([
      {
        name: 'Mine',
        filters: { assignee: 'u-sam', status: 'in_progress' },
        savedAt: '2026-03-01T10:00:00.000Z',
      },
      {
        name: 'North blockers',
        filters: { region: 'North', severity: 'S2', sort: 'severity' },
        savedAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
    const refused = await app.dispatch('supportDesk:saveView', {
      name: 'Bad',
      filters: { olderThanDays: 'ten' } as never,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(refused)).toContain('olderThanDays');
    const left = expectOk(
      await app.dispatch('supportDesk:deleteView', { name: 'Mine' }),
    ) as SupportDeskView[];
    expect(left.map((v) => v.name)).toEqual(['North blockers']);
    expect(expectOk(await app.dispatch('supportDesk:views', {}))).toEqual(left);
  });

  it('are the support staff’s: a technician may not save one', async () => {
    app = await startTestApp({ signInAs: TECH });
    const refused = await app.dispatch('supportDesk:saveView', { name: 'x', filters: {} });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(app.db.sqlite.prepare('SELECT count(*) FROM support_desk_views').pluck().get()).toBe(0);
  });
});
