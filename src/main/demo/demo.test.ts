import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog as catalogSchema } from '../../shared/catalog/schema.ts';
import {
  isValidVersion,
  RELEASE_STATUSES,
  RELEASE_TYPES,
  RINGS,
} from '../../shared/domain/releases.ts';
import { ROLES } from '../../shared/domain/roles.ts';
import { expectOk, journalCount, startTestApp, stateChecksum } from '../app/testSupport.ts';
import { verifyPin } from '../session/pin.ts';
import { catalogProblems } from '../fleet/catalog.ts';
import { buildDemoCatalog, DEMO_USERS } from './demoCatalog.ts';
import { findDemoCatalogFile } from './service.ts';
// resources/ lies outside src, beyond the aliases.
// eslint-disable-next-line no-restricted-imports
import { buildDemoCatalogFile } from '../../../resources/demo/generate.ts';

const file = findDemoCatalogFile();

describe('demo catalog', () => {
  it('is committed, matches its generator, and is a valid, consistent catalog', () => {
    expect(file).not.toBeNull();
    const committed: unknown = JSON.parse(readFileSync(file!, 'utf8'));
    expect(committed, 'run: npx node resources/demo/generate.ts').toEqual(buildDemoCatalogFile());
    const catalog = catalogSchema.parse(committed);
    expect(catalogProblems(catalog)).toEqual([]);
  });

  it('is a living fleet: 4 regions, every ring, several time zones, 3 to 6 terminals a store, every release type and status, every role', () => {
    const catalog = buildDemoCatalog();
    expect(catalog.stores.length).toBeGreaterThanOrEqual(20);
    expect(new Set(catalog.stores.map((s) => s.region)).size).toBe(4);
    expect(new Set(catalog.stores.map((s) => s.ring))).toEqual(new Set(RINGS));
    expect(new Set(catalog.stores.map((s) => s.timezone)).size).toBeGreaterThanOrEqual(5);
    for (const store of catalog.stores) {
      const n = catalog.terminals.filter((t) => t.storeId === store.id).length;
      expect(n, store.id).toBeGreaterThanOrEqual(3);
      expect(n, store.id).toBeLessThanOrEqual(6);
    }
    expect(catalog.releases.length).toBeGreaterThanOrEqual(8);
    expect(catalog.releases.every((r) => isValidVersion(r.version))).toBe(true);
    expect(new Set(catalog.releases.map((r) => r.type))).toEqual(new Set(RELEASE_TYPES));
    expect(new Set(catalog.releases.map((r) => r.status))).toEqual(new Set(RELEASE_STATUSES));
    expect(catalog.releases.some((r) => r.notesMarkdown.includes('<script>'))).toBe(true);
    expect(catalog.releases.some((r) => /\n\|.*\|\n\| ---/.test(r.notesMarkdown))).toBe(true);
    expect(new Set(catalog.users.map((u) => u.role))).toEqual(new Set(ROLES));
  });

  it('the documented PINs open the committed hashes', async () => {
    const committed = catalogSchema.parse(JSON.parse(readFileSync(file!, 'utf8')));
    const readme = readFileSync(file!.replace(/catalog\.json$/, 'README.md'), 'utf8');
    for (const user of DEMO_USERS) {
      const stored = committed.users.find((u) => u.id === user.id)!;
      expect(await verifyPin(user.pin, stored.pinHash), user.name).toBe(true);
      expect(readme).toContain(`${user.name}`);
      expect(readme).toContain(user.pin);
    }
  });

  it('loads only when there is no catalog yet, leaving some terminals drifting and writing no journal event', async () => {
    const app = await startTestApp({ withDemo: false });
    try {
      expect(expectOk(await app.dispatch('session:status', {}))).toMatchObject({
        hasCatalog: false,
        session: null,
      });
      expect(expectOk(await app.dispatch('demo:load', {}))).toMatchObject({ hasCatalog: true });
      expect(journalCount(app)).toBe(0);
      const drift = app.db.sqlite
        .prepare('SELECT sum(is_drift), count(*) FROM terminal_current')
        .raw()
        .get() as [number, number];
      expect(drift[0]).toBeGreaterThan(0);
      expect(drift[0]).toBeLessThan(drift[1]);
      const before = stateChecksum(app);
      expect(await app.dispatch('demo:load', {})).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      expect(stateChecksum(app)).toBe(before);
    } finally {
      await app.dispose();
    }
  });
});
