/**
 * A large log without a million pushes: synthetic accepted entries written
 * straight into log_entries and appended to the Merkle log through the same
 * append path a push uses, one transaction per batch, each batch's tree head
 * signed. For tests and benchmarks of what reads the log (tiles, exports);
 * the entries are well-formed events, but their chains and signatures are not real.
 */
import { createHash } from 'node:crypto';
import { canonicalBody, GENESIS_PREV, type AuditEventBody } from '../../shared/audit/event.ts';
import type { CentralServer } from '../app.ts';
import { insertRows } from '../db/bulkInsert.ts';
import {
  appendToLog,
  eventLeafHashes,
  lockLogHead,
  signAndStoreTreeHead,
} from '../log/merkleLog.ts';

export async function appendSyntheticEntries(
  server: CentralServer,
  count: number,
  options: { batch?: number; at?: Date } = {},
): Promise<{ size: number; root: string }> {
  const batch = options.batch ?? 10_000;
  const at = (options.at ?? new Date('2026-01-01T00:00:00Z')).toISOString();
  const sqlite = server.store.sqlite ?? null;
  let result = { size: 0, root: '' };
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    result = await server.store.db.transaction().execute(async (trx) => {
      const head = await lockLogHead(trx);
      const rows = Array.from({ length: n }, (_, i) => {
        const idx = head.size + i;
        const event: AuditEventBody = {
          v: 1,
          id: `00000000-0000-7000-8000-${idx.toString(16).padStart(12, '0')}`,
          deviceId: `synthetic-${idx % 100}`,
          seq: Math.floor(idx / 100) + 1,
          at,
          actor: { userId: 'tech-1', role: 'technician' },
          storeId: `S-${idx % 100}`,
          type: 'fleet.version.recorded',
          payload: { terminalId: `T-${idx % 100}`, version: '1.0.0', releaseId: 'rel-1.0.0' },
          prev: GENESIS_PREV,
        };
        const body = canonicalBody(event);
        return {
          idx,
          device_id: event.deviceId,
          seq: event.seq,
          store_id: event.storeId,
          at,
          type: event.type,
          hash: createHash('sha256').update(body).digest('hex'),
          body,
          quarantine_reason: null,
        };
      });
      await insertRows(trx, sqlite, 'log_entries', rows);
      const tree = await appendToLog(trx, head, eventLeafHashes(rows.map((r) => r.hash)), sqlite);
      await signAndStoreTreeHead(trx, server.key, tree.size, tree.root, new Date(at));
      return tree;
    });
  }
  return result;
}
