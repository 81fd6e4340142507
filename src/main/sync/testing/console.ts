/**
 * A console back end for sync tests and benchmarks: a real SQLite database in
 * a folder, the real journal and the real sync engine (no Electron, no UI).
 * Test-only code.
 */
import { join } from 'node:path';
import { createJournal, type Change, type Journal } from '../../audit/journal.ts';
import { openDatabase, type Db } from '../../db/open.ts';
import { createLogger, type Logger } from '../../log.ts';
import { createCatalogApplier } from '../catalogChanges.ts';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../engine.ts';
import { createFileSecretStore } from '../secretStore.ts';
import { readSyncState } from '../state.ts';

export type TestConsole = {
  dir: string;
  db: Db;
  journal: Journal;
  engine: SyncEngine;
  /** Records `count` version observations (one transaction) in the enrolled store. */
  record(count: number, storeId?: string): void;
  /** Calls syncOnce until nothing is pending, at most `maxCycles` times; returns the cycles used. */
  drain(maxCycles?: number): Promise<number>;
  close(): Promise<void>;
};

let counter = 0;

export function versionChange(storeId: string, n: number): Change<'fleet.version.recorded', null> {
  return {
    type: 'fleet.version.recorded',
    storeId,
    actor: { userId: 'u-tech', role: 'technician' },
    payload: {
      terminalId: `t-${n % 97}`,
      version: `1.${n % 50}.${n}`,
      releaseId: 'r-1',
      previousVersion: null,
      source: 'typed',
    },
    tables: [],
    apply: () => null,
  };
}

export async function openTestConsole(
  dir: string,
  options: Partial<
    Omit<SyncEngineOptions, 'db' | 'journal' | 'secrets' | 'log' | 'applyCatalogChanges'>
  > & { log?: Logger } = {},
): Promise<TestConsole> {
  const log = options.log ?? createLogger();
  const db = await openDatabase(join(dir, 'console.sqlite'), { log });
  const journal = createJournal(db);
  const engine = createSyncEngine({
    ...options,
    db,
    journal,
    secrets: createFileSecretStore(join(dir, 'keys')),
    log,
    applyCatalogChanges: createCatalogApplier({ now: () => new Date() }),
  });
  return {
    dir,
    db,
    journal,
    engine,
    record(count, storeId) {
      const store = storeId ?? readSyncState(db)?.store_id;
      if (!store) throw new Error('record() needs a store: enroll first or pass one');
      const changes = Array.from({ length: count }, () => versionChange(store, ++counter));
      for (let i = 0; i < changes.length; i += 5000) journal.recordMany(changes.slice(i, i + 5000));
    },
    async drain(maxCycles = 1000) {
      for (let cycle = 1; cycle <= maxCycles; cycle++) {
        const outcome = await engine.syncOnce();
        if (outcome.ok && engine.status().pendingEvents === 0) return cycle;
      }
      throw new Error(
        `still ${engine.status().pendingEvents} pending after ${maxCycles} cycles: ${engine.status().lastError}`,
      );
    },
    async close() {
      await engine.stop();
      db.close();
    },
  };
}
