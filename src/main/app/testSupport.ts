/**
 * Helpers for tests of the console back end: a real app on a real SQLite file
 * in a fresh temp folder, with the demo fleet loaded and a clock the test
 * moves. Used by tests only; kept out of *.test.ts so several suites share it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../shared/errors.ts';
import { createLogger } from '../log.ts';
import { createApp, type App, type CreateAppOptions } from './createApp.ts';

export type TestClock = { now: () => Date; advance(ms: number): void; set(iso: string): void };

function testClock(start = '2026-03-10T09:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
    set(iso) {
      t = Date.parse(iso);
    },
  };
}

export type TestApp = App & { dir: string; clock: TestClock; dispose(): Promise<void> };

export async function startTestApp(
  options: {
    withDemo?: boolean;
    signInAs?: { userId: string; pin: string };
    dir?: string;
  } & Partial<CreateAppOptions> = {},
): Promise<TestApp> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'console-app-'));
  const clock = testClock();
  // No background sync unless a test plugs one in: these tests are about the console alone.
  const app = await createApp({
    dataDir: dir,
    log: createLogger({ level: 'silent' }),
    now: clock.now,
    ...options,
    sync: options.sync ?? null,
  });
  if (options.withDemo ?? true) expectOk(await app.dispatch('demo:load', {}));
  if (options.signInAs) expectOk(await app.dispatch('session:signIn', options.signInAs));
  return {
    ...app,
    dir,
    clock,
    async dispose() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** A checksum of every state table the fleet feature owns, for "nothing changed" assertions. */
export function stateChecksum(app: Pick<App, 'db'>): string {
  const tables = [
    'terminal_current',
    'terminal_versions',
    'sign_in_failures',
    'stores',
    'terminals',
    'releases',
    'users',
  ];
  return tables
    .map(
      (t) =>
        `${t}:${JSON.stringify(app.db.sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all())}`,
    )
    .join('\n');
}

export function journalCount(app: Pick<App, 'db'>): number {
  return app.db.sqlite.prepare('SELECT count(*) FROM journal').pluck().get() as number;
}

export const TECH = { userId: 'u-tess', pin: '1111' } as const;
export const MANAGER = { userId: 'u-maya', pin: '2222' } as const;
export const SUPPORT = { userId: 'u-sam', pin: '3333' } as const;
