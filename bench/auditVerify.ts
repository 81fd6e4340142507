/**
 * Verifying a 100,000-event audit bundle (one store, one device's chain, one
 * inclusion proof per event) as `npm run audit:verify -- bundle.jsonl` does:
 * verifyAuditFile on the bundle written to a file (~175 MB), reading it
 * included, against the naive baseline of also checking every inclusion
 * proof on its own, full path each.
 */
import { createHash, generateKeyPairSync, hash, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_FORMAT, type BundleLine } from '../src/shared/audit/bundle.ts';
import {
  GENESIS_PREV,
  canonicalBody,
  checkpointText,
  sealEvent,
  treeHeadText,
  type AuditEvent,
} from '../src/shared/audit/event.ts';
import {
  completeSubtrees,
  combineSubtrees,
  inclusionRanges,
  leafHash,
  nodeHash,
  verifyInclusion,
} from '../src/shared/audit/merkle.ts';
import { verifyAuditFile } from '../src/main/audit/verifyFile.ts';
import { rawPublicKey } from '../src/server/log/keys.ts';
import { round, type Benchmark, type BenchResult } from './types.ts';

const VERIFY_EVENTS = 100_000;
const TARGET_MS = 2000;

// One-shot crypto.hash for building the bundle; verifying uses the console's own crypto.
const sha256 = (d: Uint8Array): Uint8Array => hash('sha256', d, 'buffer');
function buildLargeBundle(n: number): string[] {
  const logKey = generateKeyPairSync('ed25519').privateKey;
  const devKey = generateKeyPairSync('ed25519').privateKey;
  const logPub = rawPublicKey(logKey);
  const logId = createHash('sha256').update(logPub).digest('hex');
  const shaHex = (s: string) => createHash('sha256').update(s).digest('hex');
  const events: AuditEvent[] = [];
  for (let i = 1; i <= n; i++) {
    events.push(
      sealEvent(
        {
          v: 1,
          id: `e-${i}`,
          deviceId: 'd1',
          seq: i,
          at: '2026-03-01T09:00:00.000Z',
          actor: { userId: 'u-1', role: 'technician' },
          storeId: 'S-1',
          type: 'fleet.version.recorded',
          payload: {
            terminalId: 'T-1',
            version: '1.0.0',
            releaseId: 'rel-1.0.0',
            previousVersion: null,
            source: 'typed',
          },
          prev: events[i - 2]?.hash ?? GENESIS_PREV,
        },
        shaHex,
      ),
    );
  }
  // Complete subtrees level by level, so each proof is a few lookups.
  const levels: Uint8Array[][] = [events.map((e) => leafHash(Buffer.from(e.hash, 'hex'), sha256))];
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!;
    const up: Uint8Array[] = [];
    for (let i = 0; i + 1 < below.length; i += 2)
      up.push(nodeHash(below[i]!, below[i + 1]!, sha256));
    levels.push(up);
  }
  const subtree = (r: { level: number; index: number }) => levels[r.level]![r.index]!;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const root = hex(combineSubtrees(completeSubtrees({ start: 0, end: n }).map(subtree), sha256));
  const th = {
    kind: 'tree-head' as const,
    v: 1 as const,
    logId,
    size: n,
    root,
    at: '2026-03-01T10:00:00.000Z',
  };
  const lines: BundleLine[] = [
    {
      kind: 'header',
      v: 1,
      format: BUNDLE_FORMAT,
      logId,
      logPublicKey: logPub.toString('base64'),
      storeId: 'S-1',
      from: null,
      to: null,
      createdAt: th.at,
    },
    {
      kind: 'device',
      deviceId: 'd1',
      storeId: 'S-1',
      publicKey: rawPublicKey(devKey).toString('base64'),
    },
    // As the server writes them (src/server/audit/bundle.ts): the stored canonical body, plus its hash.
    ...events.map((event, index): BundleLine => ({
      kind: 'event',
      index,
      event: { ...(JSON.parse(canonicalBody(event)) as AuditEvent), hash: event.hash },
    })),
    {
      kind: 'checkpoint',
      deviceId: 'd1',
      seq: n,
      head: events[n - 1]!.hash,
      signature: sign(
        null,
        Buffer.from(checkpointText('d1', n, events[n - 1]!.hash)),
        devKey,
      ).toString('base64'),
    },
    {
      kind: 'tree-head',
      treeHead: th,
      signature: sign(null, Buffer.from(treeHeadText(th)), logKey).toString('base64'),
    },
    ...events.map((_e, index): BundleLine => ({
      kind: 'inclusion',
      index,
      size: n,
      leafHash: hex(levels[0]![index]!),
      path: inclusionRanges(index, n).map((r) =>
        hex(combineSubtrees(completeSubtrees(r).map(subtree), sha256)),
      ),
    })),
  ];
  return lines.map((l) => JSON.stringify(l));
}

export const auditVerify: Benchmark = {
  name: 'audit.verify100k',
  description:
    'audit:verify of a 100,000-event bundle file, reading it included (hashes, chain, checkpoint, signed tree head, inclusion proofs) vs also checking each proof on its own',
  async run(): Promise<BenchResult> {
    const text = buildLargeBundle(VERIFY_EVENTS);
    const dir = mkdtempSync(join(tmpdir(), 'dearpos-bench-bundle-'));
    const file = join(dir, 'bundle.jsonl');
    let bytes = 0;
    try {
      const content = text.join('\n') + '\n';
      bytes = content.length;
      writeFileSync(file, content);
      return await timeVerification(text, file, bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function timeVerification(text: string[], file: string, bytes: number): Promise<BenchResult> {
  const cpu = process.cpuUsage();
  let start = performance.now();
  // What the CLI runs for one file.
  const result = verifyAuditFile(file);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (!result.ok || result.kind !== 'bundle')
    throw new Error(`bundle did not verify: ${result.ok ? result.kind : result.reason}`);
  // Baseline: every proof walked in full (what a verifier without the proven-node cache does).
  start = performance.now();
  const proofs = text
    .filter((l) => l.includes('"kind":"inclusion"'))
    .map((l) => JSON.parse(l) as { index: number; size: number; leafHash: string; path: string[] });
  const root = Buffer.from(result.head, 'hex');
  for (const p of proofs) {
    if (
      !verifyInclusion(
        p.index,
        p.size,
        Buffer.from(p.leafHash, 'hex'),
        p.path.map((h) => Buffer.from(h, 'hex')),
        root,
        sha256,
      )
    )
      throw new Error('baseline proof failed');
  }
  const baseline = ms + (performance.now() - start);
  return Promise.resolve({
    name: 'audit.verify100k',
    value: round(ms, 0),
    unit: 'ms',
    baseline: round(baseline, 0),
    ratio: round(baseline / ms),
    target: `≤ ${TARGET_MS} ms`,
    isTargetMet: ms <= TARGET_MS,
    notes: `${VERIFY_EVENTS} events, ${text.length} lines, ${round(bytes / 1e6, 0)} MB file read by verifyAuditFile (CPU ${round(cpuMs, 0)} ms); baseline adds an independent full-path check of every inclusion proof`,
  });
}
