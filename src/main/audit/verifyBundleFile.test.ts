/**
 * `npm run audit:verify -- bundle.jsonl` reads the bundle a chunk at a time
 * (verifyBundleFile) and hashes with node:crypto on hex: its reports must be
 * exactly those of verifying the file's text in memory with the pure crypto.
 */
import { generateKeyPairSync, hash, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_FORMAT,
  nobleBundleCrypto,
  verifyBundle,
  type BundleLine,
} from '../../shared/audit/bundle.ts';
import {
  GENESIS_PREV,
  canonicalBody,
  checkpointText,
  sealEvent,
  treeHeadText,
  type AuditEvent,
} from '../../shared/audit/event.ts';
import { bytesToHex, hexToBytes } from '../../shared/audit/hex.ts';
import { inclusionPath, leafHash, nodeHash, rootOfLeafHashes } from '../../shared/audit/merkle.ts';
import { nodeBundleCrypto } from './nodeBundleCrypto.ts';
import { verifyAuditFile, verifyBundleFile, verifyBundleText } from './verifyFile.ts';

const root = mkdtempSync(join(tmpdir(), 'dearpos-bundle-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha = (s: string) => hash('sha256', s, 'hex');
const rawKey = (key: KeyObject) => key.export({ format: 'der', type: 'spki' }).subarray(-32);

/** A store bundle of `n` events in the layout the central server writes (canonical bodies). */
function bundleLines(n: number): string[] {
  const log = generateKeyPairSync('ed25519');
  const device = generateKeyPairSync('ed25519');
  const events: AuditEvent[] = [];
  for (let seq = 1; seq <= n; seq++) {
    events.push(
      sealEvent(
        {
          v: 1,
          id: `e-${seq}`,
          deviceId: 'd1',
          seq,
          at: '2026-11-23T12:00:00.000Z',
          actor: { userId: 'u-1', role: 'technician' },
          storeId: 's1',
          type: 'fleet.version.recorded',
          payload: {
            terminalId: `t${seq}`,
            version: `1.${seq}.0`,
            releaseId: 'r1',
            previousVersion: null,
            source: 'typed',
          },
          prev: events.at(-1)?.hash ?? GENESIS_PREV,
        },
        sha,
      ),
    );
  }
  const leaves = events.map((e) => leafHash(hexToBytes(e.hash)));
  const logPublicKey = rawKey(log.publicKey).toString('base64');
  const logId = hash('sha256', rawKey(log.publicKey), 'hex');
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
      createdAt: treeHead.at,
    },
    {
      kind: 'device',
      deviceId: 'd1',
      storeId: 's1',
      publicKey: rawKey(device.publicKey).toString('base64'),
    },
    ...events.map((e, index): BundleLine => ({
      kind: 'event',
      index,
      event: { ...(JSON.parse(canonicalBody(e)) as AuditEvent), hash: e.hash },
    })),
    {
      kind: 'checkpoint',
      deviceId: 'd1',
      seq: n,
      head: last.hash,
      signature: sign(
        null,
        Buffer.from(checkpointText('d1', n, last.hash)),
        device.privateKey,
      ).toString('base64'),
    },
    {
      kind: 'tree-head',
      treeHead,
      signature: sign(null, Buffer.from(treeHeadText(treeHead)), log.privateKey).toString('base64'),
    },
    ...leaves.map((leaf, index): BundleLine => ({
      kind: 'inclusion',
      index,
      size: n,
      leafHash: bytesToHex(leaf),
      path: inclusionPath(leaves, index).map(bytesToHex),
    })),
  ];
  return lines.map((l) => JSON.stringify(l));
}

let counter = 0;
function write(lines: readonly string[]): string {
  const file = join(root, `bundle-${counter++}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('audit:verify on a bundle file, read a chunk at a time', () => {
  const lines = bundleLines(40);

  it('verifies a sound bundle with the same report as the in-memory text', () => {
    const file = write(lines);
    const report = verifyBundleFile(file);
    expect(report).toMatchObject({ ok: true, count: 40 });
    expect(report).toEqual(verifyBundleText(readFileSync(file, 'utf8')));
    expect(verifyAuditFile(file)).toMatchObject({ ok: true, kind: 'bundle', count: 40 });
  });

  it('names the same line, reason, seq and id as the in-memory pure verifier after tampering or harmless reordering', () => {
    const tamperings: Array<[string, (l: string[]) => string[]]> = [
      [
        'an edited payload',
        (l) => l.map((x) => x.replace('"version":"1.7.0"', '"version":"1.7.1"')),
      ],
      [
        'an edited hash digit',
        (l) =>
          l.map((x, i) =>
            i === 12
              ? x.replace(/"hash":"(.)/, (_m, c: string) => `"hash":"${c === 'a' ? 'b' : 'a'}`)
              : x,
          ),
      ],
      [
        'a non-hex hash',
        (l) => l.map((x, i) => (i === 12 ? x.replace(/"hash":"(.)/, '"hash":"Z') : x)),
      ],
      ['a dropped event', (l) => l.filter((_x, i) => i !== 20)],
      [
        'two event lines swapped',
        (l) => l.map((x, i) => (i === 10 ? l[11]! : i === 11 ? l[10]! : x)),
      ],
      [
        'a flipped path element',
        (l) =>
          l.map((x, i) =>
            i === l.length - 5
              ? x.replace(/"path":\["(.)/, (_m, c: string) => `"path":["${c === '0' ? '1' : '0'}`)
              : x,
          ),
      ],
      [
        'a proof for another leaf',
        (l) => l.map((x, i) => (i === l.length - 5 ? l[l.length - 4]! : x)),
      ],
      [
        'whitespace in an event line',
        (l) => l.map((x, i) => (i === 7 ? x.replace('"seq":', '"seq": ') : x)),
      ],
      ['a line that is not JSON', (l) => [...l.slice(0, 30), '{"kind":"event",', ...l.slice(30)]],
      [
        'the tree head moved after the proofs',
        (l) => [
          ...l.filter((x) => !x.startsWith('{"kind":"tree-head"')),
          l.find((x) => x.startsWith('{"kind":"tree-head"'))!,
        ],
      ],
    ];
    for (const [name, tamper] of tamperings) {
      const tampered = tamper(lines);
      const file = write(tampered);
      const expected = verifyBundleText(readFileSync(file, 'utf8'));
      // Reordering lines is no tampering (with the tree head last, proofs are checked after reading, not as read).
      // The slow path takes whitespace in a line as JSON does.
      const isStillSound = [
        'the tree head moved after the proofs',
        'two event lines swapped',
        'whitespace in an event line',
      ];
      expect(expected.ok, name).toBe(isStillSound.includes(name));
      expect(verifyBundleFile(file), name).toEqual(expected);
      // The pure (@noble) crypto, as the console's audit screen runs it, agrees too.
      const pure = verifyBundle(readFileSync(file, 'utf8').split('\n'), nobleBundleCrypto);
      expect(pure.ok ? { ok: true } : { ok: false, line: pure.line }, name).toEqual(
        expected.ok ? { ok: true } : { ok: false, line: expected.line },
      );
    }
  });

  it('hashes Merkle leaves and nodes on hex exactly as RFC 9162 on bytes, and refuses what is not 64 hex digits', () => {
    const a = sha('a');
    const b = sha('b');
    expect(nodeBundleCrypto.leafHashHex!(a)).toBe(bytesToHex(leafHash(hexToBytes(a))));
    expect(nodeBundleCrypto.nodeHashHex!(a, b)).toBe(
      bytesToHex(nodeHash(hexToBytes(a), hexToBytes(b))),
    );
    expect(() => nodeBundleCrypto.leafHashHex!(a.slice(0, 63) + 'z')).toThrow(/64 hex digits/);
    expect(() => nodeBundleCrypto.nodeHashHex!(a, b.slice(1))).toThrow(/64 hex digits/);
  });
});
