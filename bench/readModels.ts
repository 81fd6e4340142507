/**
 * Read-model benchmarks:
 *
 * - `readmodels.ingest20devices.postgres`: 20 devices pushing 1,000-event
 *   batches at once to a server on durable PostgreSQL with the read models
 *   maintained in the push transaction, beside the same run with them off
 *   (the baseline). Target: ≥ 15,000 events/s and ≥ 80 % of "off".
 * - `readmodels.rebuild1m`: rebuild every read model from a 1,000,000-entry
 *   log (SQLite, durable), beside applying entries one transaction each
 *   (measured on a sample, extrapolated). Target: ratio ≥ 20.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { importFleet, publishRelease } from '../src/server/catalog/service.ts';
import { openServerDb } from '../src/server/db/open.ts';
import { projectEntries, type LogEntryToProject } from '../src/server/readModels/project.ts';
import { rebuildReadModels } from '../src/server/readModels/rebuild.ts';
import { createSimDevice, type SimDevice } from '../src/server/testing/device.ts';
import { TEST_FLEET } from '../src/server/testing/harness.ts';
import { startTestPostgres } from '../src/server/testing/postgres.ts';
import { checklistTemplateBody } from '../src/server/testing/publishBodies.ts';
import { startServerProcess, type ServerProcess } from './serverProcess.ts';
import { enrollOnServer } from './syncPush.ts';
import { round, type Benchmark, type BenchResult } from './types.ts';

const DEVICES = 20;
const BATCHES = 5;
const BATCH = 1000;
const RELEASES = 50;

function release(i: number) {
  return {
    id: `rel-1.${i}.0`,
    version: `1.${i}.0`,
    type: 'minor',
    ring: 'pilot',
    status: 'rolling_out',
    plannedAt: null,
    actualAt: null,
    title: `Release 1.${i}`,
    notesMarkdown: '',
  };
}

/**
 * A store's working day: version captures, a checklist run per device and
 * its answers (each answer supersedes the previous one of the same item, so
 * the current-result bookkeeping is exercised), evidence now and then.
 */
function recordWorkload(d: SimDevice, n: number): void {
  const runId = `run-${d.deviceId}`;
  d.record('checklist.run.started', {
    runId,
    releaseId: 'rel-1.1.0',
    terminalIds: ['T-1'],
    template: checklistTemplateBody(),
  });
  for (let i = 1; i < n; i++) {
    if (i % 2 === 0) {
      d.record('fleet.version.recorded', {
        terminalId: 'T-1',
        version: `1.${i % RELEASES}.0`,
        releaseId: `rel-1.${i % RELEASES}.0`,
        previousVersion: null,
        source: 'typed',
      });
    } else if (i % 25 === 1) {
      d.record('checklist.evidence.attached', {
        runId,
        sha256: (i.toString(16) + d.deviceId.replace(/-/g, '')).padEnd(64, '0').slice(0, 64),
        mimeType: 'image/jpeg',
        byteLength: 1000,
        fileName: `photo-${i}.jpg`,
      });
    } else {
      const value = i % 7 === 0 ? 'fail' : 'pass';
      d.record('checklist.result.recorded', {
        runId,
        terminalId: 'T-1',
        itemId: 'boot',
        answer: { type: 'passFail', value },
        outcome: value,
        note: null,
        evidence: [],
      });
    }
  }
}

async function ingestRun(readModels: boolean, databaseUrl: string): Promise<number> {
  const t: ServerProcess = await startServerProcess({ databaseUrl, readModels });
  try {
    await t.call('POST', '/v1/admin/fleet', { token: t.adminToken, body: TEST_FLEET });
    for (let i = 0; i < RELEASES; i++)
      await t.call('POST', '/v1/admin/releases', { token: t.adminToken, body: release(i) });
    const devices = await Promise.all(
      Array.from({ length: DEVICES }, async () => {
        const d = createSimDevice('S-1');
        recordWorkload(d, BATCHES * BATCH);
        return { d, token: await enrollOnServer(t, d, 'S-1') };
      }),
    );
    const start = performance.now();
    await Promise.all(
      devices.map(async ({ d, token }) => {
        for (let s = 1; s <= BATCHES * BATCH; s += BATCH) {
          const res = await t.call('POST', '/v1/events', {
            token,
            body: d.pushBody(s, s + BATCH - 1),
          });
          if (res.status !== 200) throw new Error(`push failed: ${JSON.stringify(res.body)}`);
        }
      }),
    );
    return (DEVICES * BATCHES * BATCH) / ((performance.now() - start) / 1000);
  } finally {
    await t.close();
  }
}

export const readModelsIngest: Benchmark = {
  name: 'readmodels.ingest20devices.postgres',
  description:
    '20 devices pushing 1,000-event batches to a server on durable PostgreSQL with read models maintained in the push transaction vs the same with read models off',
  async run(): Promise<BenchResult> {
    const pg = await startTestPostgres({ durable: true });
    try {
      // Off first, then on, each on a fresh database; the order favours neither (both start cold).
      const off = await ingestRun(false, await pg.createDatabase());
      const on = await ingestRun(true, await pg.createDatabase());
      const share = on / off;
      return {
        name: 'readmodels.ingest20devices.postgres',
        value: round(on, 0),
        unit: 'events/s',
        baseline: round(off, 0),
        ratio: round(share, 2),
        target: '≥ 15000 events/s and ≥ 0.8 of the same run with read models off',
        isTargetMet: on >= 15_000 && share >= 0.8,
        notes: `${DEVICES} devices × ${BATCHES} batches of ${BATCH} (checklist answers 46 %, version captures 50 %, evidence 4 %); with read models ${round(on, 0)} events/s, without ${round(off, 0)} events/s (${round(share * 100, 0)} %)`,
      };
    } finally {
      pg.stop();
    }
  },
};

const LOG_SIZE = 1_000_000;
const SAMPLE = 2_000;
const STORES = 1000;
const TERMINALS_PER_STORE = 10;

/** A log of `size` accepted entries written straight into log_entries (the rebuild reads nothing else). */
function logEntries(size: number, firstIdx: number): LogEntryToProject[] {
  const rows: LogEntryToProject[] = [];
  const template = checklistTemplateBody();
  for (let i = 0; i < size; i++) {
    const idx = firstIdx + i;
    const store = idx % STORES;
    const storeId = `S-${store}`;
    const deviceId = `dev-${store}`;
    const runId = `run-${store}-${Math.floor(idx / (STORES * 40))}`;
    let type: string;
    let payload: Record<string, unknown>;
    const k = Math.floor(idx / STORES) % 40;
    if (k === 0) {
      type = 'checklist.run.started';
      payload = { runId, releaseId: 'rel-1.1.0', terminalIds: [`T-${store}-0`], template };
    } else if (k % 2 === 0) {
      type = 'fleet.version.recorded';
      const r = idx % RELEASES;
      payload = {
        terminalId: `T-${store}-${idx % TERMINALS_PER_STORE}`,
        version: `1.${r}.0`,
        releaseId: `rel-1.${r}.0`,
        previousVersion: null,
        source: 'typed',
      };
    } else {
      type = 'checklist.result.recorded';
      const value = idx % 7 === 0 ? 'fail' : 'pass';
      payload = {
        runId,
        terminalId: `T-${store}-0`,
        itemId: `item-${k % 5}`,
        answer: { type: 'passFail', value },
        outcome: value,
        note: null,
        evidence: [],
      };
    }
    const at = new Date(Date.parse('2026-01-01T00:00:00Z') + idx * 1000).toISOString();
    const seq = Math.floor(idx / STORES) + 1;
    rows.push({
      idx,
      device_id: deviceId,
      seq,
      store_id: storeId,
      type,
      hash: idx.toString(16).padStart(64, '0'),
      body: JSON.stringify({
        v: 1,
        id: uuidv7(),
        deviceId,
        seq,
        at,
        actor: { userId: 'tech-1', role: 'technician' },
        storeId,
        type,
        payload,
        prev: '0'.repeat(64),
      }),
    });
  }
  return rows;
}

export const readModelsRebuild: Benchmark = {
  name: 'readmodels.rebuild1m',
  description:
    'rebuild every read model from a 1,000,000-entry log (SQLite, durable) vs applying the entries one transaction each',
  async run(): Promise<BenchResult> {
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-rebuild-'));
    const store = await openServerDb({ dataDir: dir });
    try {
      const now = new Date();
      const stores = Array.from({ length: STORES }, (_, s) => ({
        id: `S-${s}`,
        name: `Store ${s}`,
        region: `R-${s % 10}`,
        ring: 'general',
        timezone: 'Europe/Paris',
      }));
      const terminals = stores.flatMap((s, n) =>
        Array.from({ length: TERMINALS_PER_STORE }, (_, i) => ({
          id: `T-${n}-${i}`,
          storeId: s.id,
          name: `Lane ${i}`,
          model: 'X1',
          serial: `SN-${n}-${i}`,
          installed: null,
          lastSeen: null,
        })),
      );
      await importFleet(store.db, { stores, terminals }, now);
      for (let i = 0; i < RELEASES; i++) await publishRelease(store.db, release(i), now);
      const insert = store.sqlite!.prepare(
        'INSERT INTO log_entries (idx, device_id, seq, store_id, at, type, hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const write = store.sqlite!.transaction((rows: LogEntryToProject[]) => {
        for (const r of rows)
          insert.run(r.idx, r.device_id, r.seq, r.store_id, '', r.type, r.hash, r.body);
      });
      for (let from = 0; from < LOG_SIZE; from += 50_000) write(logEntries(50_000, from));

      const rebuilt = await rebuildReadModels(store.db, 'sqlite');

      // Baseline: entries applied one transaction each (each commit durable), on the rebuilt
      // state (tables of the same size), a sample of the log's pattern, extrapolated to 1M.
      const sample = logEntries(SAMPLE, LOG_SIZE);
      const start = performance.now();
      for (const entry of sample)
        await store.db
          .transaction()
          .execute((trx) => projectEntries(trx, [entry], { dialect: 'sqlite' }));
      const perEntry = (performance.now() - start) / SAMPLE;
      const baselineMs = perEntry * LOG_SIZE;
      return {
        name: 'readmodels.rebuild1m',
        value: round(rebuilt.ms, 0),
        unit: 'ms',
        baseline: round(baselineMs, 0),
        ratio: round(baselineMs / rebuilt.ms),
        target: 'ratio ≥ 20',
        isTargetMet: baselineMs / rebuilt.ms >= 20,
        notes: `${rebuilt.entries} entries (${STORES} stores, ${STORES * TERMINALS_PER_STORE} terminals; versions 48 %, checklist answers 50 %, runs 2 %), ${rebuilt.projected} changed state; baseline ${round(perEntry, 3)} ms per entry over ${SAMPLE} entries, one durable transaction each, extrapolated`,
      };
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
