/**
 * A large deterministic synthetic fleet for benchmarks and the browser perf
 * test: writes the catalog tables directly (no per-row validation) and builds
 * the projection with set-based SQL, so 50,000 terminals take about a second.
 * Not for real data: a real catalog goes through `loadCatalog`.
 */
import { RINGS, RELEASE_TYPES, type Ring } from '../../shared/domain/releases.ts';
import type { CatalogPinPolicy, CatalogUser } from '../../shared/catalog/schema.ts';
import { PIN_POLICY_META_KEY } from '../session/pinPolicy.ts';
import type { Db } from '../db/open.ts';
import { rebuildFleetProjection } from './rebuild.ts';
import { seededRandom } from '../../shared/random.ts';

export type SyntheticFleetOptions = {
  stores: number;
  terminalsPerStore: number;
  releases: number;
  seed: number;
  /** Users to add (e.g. the demo users, so a browser test can sign in); none by default. */
  users?: CatalogUser[];
  /** A synthetic fleet is test data: the demo PIN policy (4 digits) unless another is given. */
  pinPolicy?: CatalogPinPolicy;
};

const MODELS = [
  'Verifone V400c',
  'Ingenico Lane/3000',
  'Elo I-Series 4',
  'PAX A920',
  'Verifone M400',
] as const;
const REGIONS = ['North', 'South', 'East', 'West'] as const;
const ZONES = ['Europe/Paris', 'Europe/London', 'America/New_York', 'Asia/Tokyo'] as const;

export function seedSyntheticFleet(
  db: Db,
  options: SyntheticFleetOptions,
): { stores: number; terminals: number; releases: number } {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const releaseCount = Math.max(1, options.releases);
  const base = Date.UTC(2026, 0, 5);
  const day = 86_400_000;
  const sqlite = db.sqlite;
  const run = sqlite.transaction(() => {
    sqlite.exec(
      'DELETE FROM terminal_versions; DELETE FROM terminal_current; DELETE FROM terminals; DELETE FROM ring_targets; DELETE FROM users; DELETE FROM releases; DELETE FROM stores; DELETE FROM catalog_meta;',
    );
    const insertRelease = sqlite.prepare(
      `INSERT INTO releases (id, version, version_rank, type, ring, status, planned_at, actual_at, title, notes_markdown)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < releaseCount; i++) {
      const at = new Date(base + i * 14 * day).toISOString();
      insertRelease.run(
        `r-${i + 1}`,
        `5.${i}.0`,
        i,
        RELEASE_TYPES[i % RELEASE_TYPES.length]!,
        RINGS[Math.min(RINGS.length - 1, releaseCount - 1 - i)]!,
        i === releaseCount - 1 ? 'rolling_out' : 'general',
        at,
        at,
        `Release 5.${i}.0`,
        `## 5.${i}.0\n\n- Synthetic release ${i + 1}.`,
      );
    }
    // The newest release targets lab, older ones the wider rings.
    const targetOf = (ring: Ring): number => Math.max(0, releaseCount - 1 - RINGS.indexOf(ring));
    const insertTarget = sqlite.prepare(
      'INSERT INTO ring_targets (ring, release_id) VALUES (?, ?)',
    );
    for (const ring of RINGS) insertTarget.run(ring, `r-${targetOf(ring) + 1}`);

    const insertStore = sqlite.prepare(
      'INSERT INTO stores (id, name, region, ring, timezone) VALUES (?, ?, ?, ?, ?)',
    );
    const insertTerminal = sqlite.prepare(
      `INSERT INTO terminals (id, store_id, name, model, serial, installed_release_id, installed_since, last_seen)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let terminals = 0;
    for (let s = 0; s < options.stores; s++) {
      const storeId = `s-${String(s + 1).padStart(5, '0')}`;
      const ring =
        s % 20 === 0 ? 'lab' : s % 10 === 1 ? 'pilot' : s % 4 === 2 ? 'early' : 'general';
      insertStore.run(
        storeId,
        `Store ${String(s + 1).padStart(5, '0')}`,
        REGIONS[s % REGIONS.length]!,
        ring,
        ZONES[s % ZONES.length]!,
      );
      const target = targetOf(ring);
      for (let t = 0; t < options.terminalsPerStore; t++) {
        terminals++;
        const roll = random();
        // Most terminals on target, some one or two behind, a few never observed.
        const rank =
          roll < 0.8
            ? target
            : roll < 0.95
              ? Math.max(0, target - 1 - Math.floor(random() * 2))
              : -1;
        const since = new Date(base + Math.floor(random() * 120) * day).toISOString();
        insertTerminal.run(
          `${storeId}-t${t + 1}`,
          storeId,
          `Lane ${t + 1}`,
          pick(MODELS),
          `SN${String(options.seed % 1000).padStart(3, '0')}${String(terminals).padStart(8, '0')}`,
          rank < 0 ? null : `r-${rank + 1}`,
          rank < 0 ? null : since,
          rank < 0
            ? null
            : new Date(Date.parse(since) + Math.floor(random() * 10) * day).toISOString(),
        );
      }
    }
    const insertUser = sqlite.prepare(
      'INSERT INTO users (id, name, role, pin_hash, store_ids) VALUES (?, ?, ?, ?, ?)',
    );
    for (const u of options.users ?? [])
      insertUser.run(
        u.id,
        u.name,
        u.role,
        db.sealer.seal(u.pinHash, 'users.pin_hash'),
        JSON.stringify(u.storeIds),
      );
    const meta = sqlite.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?)');
    meta.run('source', `synthetic:${options.seed}`);
    meta.run('loaded_at', new Date(base).toISOString());
    meta.run(
      PIN_POLICY_META_KEY,
      JSON.stringify(options.pinPolicy ?? { minDigits: 4, isDemo: true }),
    );
    rebuildFleetProjection(db);
    return { stores: options.stores, terminals, releases: releaseCount };
  });
  return run.immediate();
}
