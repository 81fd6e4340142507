import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, hash, sign, type KeyObject } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, type BundleLine } from '../../shared/audit/bundle.ts';
import { checkpointText, treeHeadText } from '../../shared/audit/event.ts';
import { bytesToHex, hexToBytes } from '../../shared/audit/hex.ts';
import { inclusionPath, leafHash, rootOfLeafHashes } from '../../shared/audit/merkle.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { writeJournalExport } from './export.ts';
import { createJournal, type Change } from './journal.ts';
import { verifyDatabaseFile } from './verifyDatabase.ts';
import { verifyAuditFile } from './verifyFile.ts';

const root = mkdtempSync(join(tmpdir(), 'audit-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const log = createLogger();

let template: string | null = null;
/** A migrated, empty database; copying it is much faster than migrating one per property run. */
async function freshDb(): Promise<Db> {
  counter += 1;
  if (template === null) {
    const db = await openDatabase(join(root, 'template', 'console.sqlite'), { log });
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    template = join(root, 'template', 'console.sqlite');
  }
  const file = join(root, `c${counter}`, 'console.sqlite');
  mkdirSync(dirname(file));
  copyFileSync(template, file);
  return openDatabase(file, { log });
}

type VersionPayload = {
  terminalId: string;
  version: string;
  releaseId: string;
  previousVersion: string | null;
  source: 'typed' | 'scanned';
};
const shortText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 });
const versionEvent = fc.record({
  storeId: shortText,
  role: fc.constantFrom('technician' as const, 'manager' as const),
  payload: fc.record({
    terminalId: shortText,
    version: shortText,
    releaseId: shortText,
    previousVersion: fc.option(shortText, { nil: null }),
    source: fc.constantFrom('typed' as const, 'scanned' as const),
  }),
});
type VersionEvent = { storeId: string; role: 'technician' | 'manager'; payload: VersionPayload };

function change(e: VersionEvent): Change<'fleet.version.recorded', null> {
  return {
    type: 'fleet.version.recorded',
    storeId: e.storeId,
    actor: { userId: 'u-1', role: e.role },
    payload: e.payload,
    tables: [],
    apply: () => null,
  };
}

/** Plays the attacker: lifts the append-only guard and rewrites one stored column byte-for-byte. */
function tamper(db: Db, seq: number, column: 'body' | 'hash', edit: (bytes: Buffer) => Buffer) {
  db.sqlite.exec('DROP TRIGGER IF EXISTS journal_is_append_only_update');
  const row = db.sqlite
    .prepare(`SELECT CAST(${column} AS BLOB) AS bytes FROM journal WHERE seq = ?`)
    .get(seq) as { bytes: Buffer };
  db.sqlite
    .prepare(`UPDATE journal SET ${column} = CAST(? AS TEXT) WHERE seq = ?`)
    .run(edit(Buffer.from(row.bytes)), seq);
}

// The command runs from source as it ships; a compile cache of this file's own
// (Node's on-disk cache, in the temp folder removed after the file) spares each
// of its seven runs but the first compiling the same modules again.
const cliEnv = { ...process.env, NODE_COMPILE_CACHE: join(root, 'compile-cache') };

function cli(...args: string[]) {
  return spawnSync(
    process.execPath,
    ['--no-warnings', join(import.meta.dirname, 'verifyCli.ts'), ...args],
    { encoding: 'utf8', env: cliEnv },
  );
}

describe('audit:verify on a console database', () => {
  it('flipping any byte of any stored event (body or hash) fails verification and names that event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(versionEvent, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom('body' as const, 'hash' as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (events, pick, column, position, mask) => {
          const db = await freshDb();
          const journal = createJournal(db);
          const recorded = journal.recordMany(events.map(change));
          expect(verifyDatabaseFile(db.file)).toMatchObject({
            ok: true,
            count: events.length,
            head: journal.head().hash,
          });
          const target = recorded[pick % recorded.length]!;
          tamper(db, target.seq, column, (bytes) => {
            const i = position % bytes.length;
            bytes[i] = bytes[i]! ^ mask;
            return bytes;
          });
          db.close();
          expect(verifyDatabaseFile(db.file)).toMatchObject({
            ok: false,
            seq: target.seq,
            id: target.id,
          });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the command prints an OK line with the count and head, and names the broken event with exit code 1', async () => {
    const db = await freshDb();
    const journal = createJournal(db);
    const events = journal.recordMany(
      Array.from({ length: 5 }, (_, i) =>
        change({
          storeId: 's1',
          role: 'technician',
          payload: {
            terminalId: 't1',
            version: `1.${i}.0`,
            releaseId: 'r1',
            previousVersion: null,
            source: 'typed',
          },
        }),
      ),
    );
    const good = cli(db.file);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(
      `OK console database ${db.file}: 5 events verified (device ${journal.deviceId}), head ${journal.head().hash}`,
    );
    tamper(db, 3, 'body', (bytes) =>
      Buffer.from(bytes.toString('utf8').replace('"1.2.0"', '"1.2.1"')),
    );
    db.close();
    const bad = cli(db.file);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      `at event seq 3 (id ${events[2]!.id}): event ${events[2]!.id} does not match its hash`,
    );
  });

  it('catches a query column that no longer agrees with the hashed event', async () => {
    const db = await freshDb();
    const journal = createJournal(db);
    const [event] = journal.recordMany([
      change({
        storeId: 's1',
        role: 'manager',
        payload: {
          terminalId: 't',
          version: '2.0.0',
          releaseId: 'r',
          previousVersion: null,
          source: 'scanned',
        },
      }),
    ]);
    tamper(db, 1, 'body', (b) => b); // only lifts the guard
    db.sqlite.prepare("UPDATE journal SET store_id = 's2' WHERE seq = 1").run();
    db.close();
    expect(verifyDatabaseFile(db.file)).toMatchObject({
      ok: false,
      seq: 1,
      id: event!.id,
      reason: expect.stringContaining('store_id'),
    });
  });

  it('detects a deleted event as a gap', async () => {
    const db = await freshDb();
    const journal = createJournal(db);
    const events = journal.recordMany(
      Array.from({ length: 4 }, (_, i) =>
        change({
          storeId: 's1',
          role: 'technician',
          payload: {
            terminalId: 't1',
            version: `1.${i}.0`,
            releaseId: 'r1',
            previousVersion: null,
            source: 'typed',
          },
        }),
      ),
    );
    db.sqlite.exec('DROP TRIGGER journal_is_append_only_delete');
    db.sqlite.prepare('DELETE FROM journal WHERE seq = 2').run();
    db.close();
    expect(verifyDatabaseFile(db.file)).toMatchObject({
      ok: false,
      seq: 3,
      id: events[2]!.id,
      reason: expect.stringContaining('expected 2'),
    });
  });

  it('refuses a file that is not an audit file, with exit code 1, and prints usage without a file', () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'hello\n');
    const result = cli(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('neither a console database nor a JSON Lines audit file');
    const usage = spawnSync(
      process.execPath,
      ['--no-warnings', join(import.meta.dirname, 'verifyCli.ts')],
      { encoding: 'utf8', env: cliEnv },
    );
    expect(usage.status).toBe(2);
  });
});

describe('audit:verify on a plain journal export', () => {
  async function exported(n: number) {
    const db = await freshDb();
    const journal = createJournal(db);
    const events = journal.recordMany(
      Array.from({ length: n }, (_, i) =>
        change({
          storeId: 's1',
          role: 'technician',
          payload: {
            terminalId: `t${i}`,
            version: `1.${i}.0`,
            releaseId: 'r1',
            previousVersion: null,
            source: 'typed',
          },
        }),
      ),
    );
    const file = join(root, `export-${counter}.jsonl`);
    expect(writeJournalExport(db.sqlite, file)).toBe(n);
    db.close();
    return { file, events, head: journal.head().hash, deviceId: journal.deviceId };
  }

  it('verifies an untouched export with the same count, head and device as the database', async () => {
    const { file, head, deviceId } = await exported(6);
    expect(verifyAuditFile(file)).toMatchObject({
      ok: true,
      kind: 'journal-export',
      count: 6,
      head,
      deviceId,
    });
  });

  it('is written by the audit CLI from a database that verifies, and refused from one that does not', async () => {
    const db = await freshDb();
    const journal = createJournal(db);
    journal.recordMany(
      Array.from({ length: 3 }, (_, i) =>
        change({
          storeId: 's1',
          role: 'technician',
          payload: {
            terminalId: `t${i}`,
            version: `1.${i}.0`,
            releaseId: 'r1',
            previousVersion: null,
            source: 'typed',
          },
        }),
      ),
    );
    const head = journal.head().hash;
    db.close();
    const out = join(root, `cli-export-${counter}.jsonl`);
    const run = cli(db.file, '--export', out);
    expect(run.stdout).toContain(`3 events exported to ${out}`);
    expect(run.status).toBe(0);
    expect(verifyAuditFile(out)).toMatchObject({
      ok: true,
      kind: 'journal-export',
      count: 3,
      head,
    });

    const broken = await freshDb();
    createJournal(broken).recordMany([
      change({
        storeId: 's1',
        role: 'technician',
        payload: {
          terminalId: 't1',
          version: '1.0.0',
          releaseId: 'r1',
          previousVersion: null,
          source: 'typed',
        },
      }),
    ]);
    broken.sqlite.exec('DROP TRIGGER journal_is_append_only_update');
    broken.sqlite.prepare("UPDATE journal SET type = 'edited' WHERE seq = 1").run();
    broken.close();
    const refused = join(root, `cli-refused-${counter}.jsonl`);
    const refusal = cli(broken.file, '--export', refused);
    expect(refusal.status).toBe(1);
    expect(refusal.stderr).toContain('nothing exported');
    expect(existsSync(refused)).toBe(false);
  });

  it('names the event whose line was edited, and notices a file cut short', async () => {
    const { file, events } = await exported(6);
    const lines = readFileSync(file, 'utf8').split('\n');
    const edited = [...lines];
    edited[4] = edited[4]!.replace('1.3.0', '1.3.9');
    writeFileSync(file, edited.join('\n'));
    expect(verifyAuditFile(file)).toMatchObject({ ok: false, seq: 4, id: events[3]!.id });
    writeFileSync(file, lines.slice(0, 5).join('\n') + '\n');
    expect(verifyAuditFile(file)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('announces 6 events but the file holds 4'),
    });
  });
});

describe('audit:verify on an audit bundle from the central server', () => {
  /** A store bundle built the way the server builds one: signed tree head, inclusion proofs, a signed checkpoint. */
  async function bundle(n: number) {
    const db = await freshDb();
    const journal = createJournal(db);
    const events = journal.recordMany(
      Array.from({ length: n }, (_, i) =>
        change({
          storeId: 's1',
          role: 'technician',
          payload: {
            terminalId: `t${i}`,
            version: `1.${i}.0`,
            releaseId: 'r1',
            previousVersion: null,
            source: 'typed',
          },
        }),
      ),
    );
    db.close();
    const rawKey = (key: KeyObject) => key.export({ format: 'der', type: 'spki' }).subarray(-32);
    const log = generateKeyPairSync('ed25519');
    const device = generateKeyPairSync('ed25519');
    const logPublicKey = rawKey(log.publicKey).toString('base64');
    const logId = hash('sha256', rawKey(log.publicKey), 'hex');
    const leaves = events.map((e) => leafHash(hexToBytes(e.hash)));
    const treeHead = {
      kind: 'tree-head' as const,
      v: 1 as const,
      logId,
      size: n,
      root: bytesToHex(rootOfLeafHashes(leaves)),
      at: '2026-11-23T12:00:00.000Z',
    };
    const last = events.at(-1)!;
    const lines: BundleLine[] = [
      {
        kind: 'header',
        v: 1,
        format: BUNDLE_FORMAT,
        logId,
        logPublicKey,
        storeId: 's1',
        from: null,
        to: null,
        createdAt: '2026-11-23T12:00:01.000Z',
      },
      {
        kind: 'device',
        deviceId: journal.deviceId,
        storeId: 's1',
        publicKey: rawKey(device.publicKey).toString('base64'),
      },
      ...events.map((event, index): BundleLine => ({ kind: 'event', index, event })),
      {
        kind: 'checkpoint',
        deviceId: journal.deviceId,
        seq: last.seq,
        head: last.hash,
        signature: sign(
          null,
          Buffer.from(checkpointText(journal.deviceId, last.seq, last.hash)),
          device.privateKey,
        ).toString('base64'),
      },
      {
        kind: 'tree-head',
        treeHead,
        signature: sign(null, Buffer.from(treeHeadText(treeHead)), log.privateKey).toString(
          'base64',
        ),
      },
      ...leaves.map((leaf, index): BundleLine => ({
        kind: 'inclusion',
        index,
        size: n,
        leafHash: bytesToHex(leaf),
        path: inclusionPath(leaves, index).map(bytesToHex),
      })),
    ];
    const file = join(root, `bundle-${counter}.jsonl`);
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    return { file, events, root: treeHead.root };
  }

  it('verifies a sound bundle: signatures, hashes, chain and inclusion under the signed tree head', async () => {
    const { file, root: treeRoot } = await bundle(5);
    const report = verifyAuditFile(file);
    expect(report).toMatchObject({ ok: true, kind: 'bundle', count: 5, head: treeRoot });
    const result = cli(file);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('5 events from 1 device, ');
  });

  it('names the altered event of a bundle by seq and id', async () => {
    const { file, events } = await bundle(5);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"version":"1.3.0"', '"version":"1.3.1"'));
    expect(verifyAuditFile(file)).toMatchObject({
      ok: false,
      kind: 'bundle',
      seq: 4,
      id: events[3]!.id,
    });
  });
});
