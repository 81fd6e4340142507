import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidVersion } from '../../shared/domain/releases.ts';
import { rebuildFleetProjection } from '../fleet/rebuild.ts';
import { expectOk, journalCount, startTestApp, TECH, type TestApp } from './testSupport.ts';

/**
 * Issue 2, acceptance 3: random sequences of changes through the real
 * dispatcher show that (a) the chain verifies, (b) rebuilding the fleet state
 * from the catalog and the journal gives exactly the live state, and (c) a
 * change that fails validation leaves state and journal untouched.
 */
let app: TestApp;
let terminals: string[];
let versions: string[];
beforeAll(async () => {
  app = await startTestApp({ signInAs: TECH });
  terminals = app.db.sqlite
    .prepare('SELECT terminal_id FROM terminal_current ORDER BY terminal_id')
    .pluck()
    .all() as string[];
  versions = app.db.sqlite
    .prepare('SELECT version FROM releases ORDER BY version_rank')
    .pluck()
    .all() as string[];
});
afterAll(async () => {
  await app.dispose();
});

function fleetState(): string {
  const q = (sql: string) => JSON.stringify(app.db.sqlite.prepare(sql).raw().all());
  return `${q('SELECT * FROM terminal_current ORDER BY terminal_id')}\n${q('SELECT * FROM terminal_versions ORDER BY id')}\n${q('SELECT * FROM store_release_counts ORDER BY store_id, release_key, region, ring')}`;
}

const SIGN_INS = [
  { userId: 'u-tess', pin: '1111', isValid: true },
  { userId: 'u-maya', pin: '2222', isValid: true },
  { userId: 'u-sam', pin: '3333', isValid: true },
  { userId: 'u-tess', pin: '9999', isValid: false },
] as const;

type Op =
  | { kind: 'valid'; terminal: number; release: number; source: 'typed' | 'scanned' }
  | { kind: 'notSemver'; terminal: number; text: string }
  | { kind: 'unknownRelease'; terminal: number; major: number; minor: number; patch: number }
  | { kind: 'unknownTerminal'; release: number }
  | { kind: 'signIn'; who: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('valid' as const),
      terminal: fc.nat(10_000),
      release: fc.nat(100),
      source: fc.constantFrom('typed' as const, 'scanned' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('notSemver' as const),
      terminal: fc.nat(10_000),
      text: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !isValidVersion(s.trim())),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('unknownRelease' as const),
      terminal: fc.nat(10_000),
      major: fc.integer({ min: 6, max: 99 }),
      minor: fc.nat(50),
      patch: fc.nat(50),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('unknownTerminal' as const), release: fc.nat(100) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('signIn' as const),
      who: fc.nat(SIGN_INS.length - 1),
    }),
  },
);

describe('journal and fleet projection under random changes', () => {
  it('the chain verifies, a rebuild equals the live state, and every refused change writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) {
          const before = { journal: journalCount(app), state: fleetState() };
          switch (o.kind) {
            case 'valid': {
              const result = await app.dispatch('fleet:recordVersion', {
                terminalId: terminals[o.terminal % terminals.length]!,
                version: versions[o.release % versions.length]!,
                source: o.source,
              });
              const role = app.services.sessions.current()?.user.role;
              if (role === 'technician' || role === 'manager') {
                expect(result.ok).toBe(true);
                expect(journalCount(app)).toBe(before.journal + 1);
              } else {
                expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
              }
              break;
            }
            case 'notSemver':
            case 'unknownRelease':
            case 'unknownTerminal': {
              const input =
                o.kind === 'notSemver'
                  ? {
                      terminalId: terminals[o.terminal % terminals.length]!,
                      version: o.text,
                      source: 'typed',
                    }
                  : o.kind === 'unknownRelease'
                    ? {
                        terminalId: terminals[o.terminal % terminals.length]!,
                        version: `${o.major}.${o.minor}.${o.patch}`,
                        source: 'typed',
                      }
                    : {
                        terminalId: 'no-such-terminal',
                        version: versions[o.release % versions.length]!,
                        source: 'typed',
                      };
              const result = await app.dispatch('fleet:recordVersion', input);
              expect(result.ok).toBe(false);
              if (!result.ok)
                expect([
                  'invalid_version',
                  'invalid_input',
                  'unknown_release',
                  'not_found',
                  'forbidden',
                ]).toContain(result.error.code);
              expect(journalCount(app)).toBe(before.journal);
              expect(fleetState()).toBe(before.state);
              break;
            }
            case 'signIn': {
              const who = SIGN_INS[o.who]!;
              const result = await app.dispatch('session:signIn', {
                userId: who.userId,
                pin: who.pin,
              });
              expect(result.ok).toBe(who.isValid);
              if (!who.isValid) expect(journalCount(app)).toBe(before.journal);
              expect(fleetState()).toBe(before.state);
              if (!who.isValid) expectOk(await app.dispatch('session:signIn', TECH));
              break;
            }
          }
        }
        expect(app.journal.verify()).toMatchObject({ ok: true });
        const live = fleetState();
        rebuildFleetProjection(app.db);
        expect(fleetState()).toBe(live);
      }),
      { numRuns: 30 },
    );
  });
});
