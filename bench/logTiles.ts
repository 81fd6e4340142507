/**
 * `log.tiles1m` (s): a 1,000,000-entry central log served in the C2SP
 * tlog-tiles layout by the real server over HTTP on loopback, mirrored and
 * verified by the independent checker (src/shared/audit/tlogCheck.ts: its own
 * SHA-256 and Ed25519 from @noble, no server code): every entry bundle
 * against its leaf tile, every full tile against the level above, the root
 * against the signed checkpoint. Target ≤ 30 s. The naive baseline mirrors the
 * same log through the JSON entries API (`/v1/log/entries`, 1,000 per page,
 * auditor token) and recomputes the root from the event hashes; it is timed on
 * a 100,000-entry prefix and scaled to 1,000,000.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { issueToken } from '../src/server/auth/tokens.ts';
import { appendSyntheticEntries } from '../src/server/testing/syntheticLog.ts';
import { startTestServer } from '../src/server/testing/harness.ts';
import { checkTiledLog } from '../src/shared/audit/tlogCheck.ts';
import { round, type Benchmark } from './types.ts';

const SIZE = 1_000_000;
const BASELINE_SIZE = 100_000;
const PREFIX = '/v1/log/tlog/';

/** RFC 6962 root of leaf hashes, the straightforward recursive way. */
function rootOf(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return leaves[0]!;
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  const left = rootOf(leaves.slice(0, split));
  const right = rootOf(leaves.slice(split));
  const input = new Uint8Array(65);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 33);
  return sha256(input);
}

export const logTiles1m: Benchmark = {
  name: 'log.tiles1m',
  description:
    'a 1,000,000-entry log served as tlog-tiles and verified by an independent checker vs mirroring the JSON entries API and recomputing the root',
  async run() {
    // Empty: no administrator bootstrapped, so the log holds exactly the synthetic entries.
    const t = await startTestServer({}, { isEmpty: true });
    try {
      const buildStart = performance.now();
      await appendSyntheticEntries(t.server, SIZE, { batch: 20_000 });
      const buildSeconds = (performance.now() - buildStart) / 1000;
      const verifierKey = await (await fetch(`${t.url}${PREFIX}vkey`)).text();

      const start = performance.now();
      const result = await checkTiledLog({
        verifierKey,
        concurrency: 16,
        fetchBytes: async (path) => {
          const res = await fetch(t.url + PREFIX + path);
          if (!res.ok) throw new Error(`${path}: ${res.status}`);
          return new Uint8Array(await res.arrayBuffer());
        },
      });
      const seconds = (performance.now() - start) / 1000;
      if (result.size !== SIZE || result.entriesChecked !== SIZE)
        throw new Error(`checked ${result.entriesChecked} of ${SIZE} entries`);

      // Baseline: the JSON entries API, page by page, then the root from the event hashes.
      const token = await issueToken(t.server.store.db, 'auditor', {
        label: 'bench',
        now: new Date(),
      });
      const baseStart = performance.now();
      const leaves: Uint8Array[] = [];
      for (let at = 0; at < BASELINE_SIZE; at += 1000) {
        const res = await fetch(`${t.url}/v1/log/entries?start=${at}&end=${at + 1000}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as { entries: Array<{ event: { hash: string } }> };
        for (const e of body.entries) {
          const input = new Uint8Array(33);
          input.set(Buffer.from(e.event.hash, 'hex'), 1);
          leaves.push(sha256(input));
        }
      }
      rootOf(leaves);
      const baseline = (((performance.now() - baseStart) / 1000) * SIZE) / BASELINE_SIZE;

      return {
        name: 'log.tiles1m',
        value: round(seconds, 1),
        unit: 's',
        baseline: round(baseline, 1),
        ratio: round(baseline / seconds, 1),
        target: '≤ 30 s',
        isTargetMet: seconds <= 30,
        notes: `${result.tilesFetched} tiles and entry bundles fetched and checked (${result.entriesChecked} entries), root = signed checkpoint; log built in ${round(buildSeconds, 0)} s; baseline timed on ${BASELINE_SIZE} entries via /v1/log/entries and scaled ×${SIZE / BASELINE_SIZE}`,
      };
    } finally {
      await t.close();
    }
  },
};
