import { createHash, createPublicKey, verify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, verifyBundle, type BundleCrypto, type BundleLine } from './bundle.ts';
import { GENESIS_PREV, checkpointText, sealEvent, treeHeadText, type AuditEvent } from './event.ts';
import { bytesToHex, hexToBytes } from './hex.ts';
import { inclusionPath, leafHash, rootOfLeafHashes } from './merkle.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const text = (s: string) => new TextEncoder().encode(s);

const logSeed = new Uint8Array(32).fill(7);
const logPub = ed25519.getPublicKey(logSeed);
const logId = bytesToHex(createHash('sha256').update(logPub).digest());
const devSeed = new Uint8Array(32).fill(3);
const devPub = ed25519.getPublicKey(devSeed);

function chain(deviceId: string, storeId: string, n: number): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(
      sealEvent(
        {
          v: 1,
          id: `${deviceId}-${i}`,
          deviceId,
          seq: i,
          at: `2026-03-01T09:${String(i % 60).padStart(2, '0')}:00.000Z`,
          actor: { userId: 'u-1', role: 'technician' },
          storeId,
          type: 'session.signed_in',
          payload: { userId: 'u-1' },
          prev: out[i - 2]?.hash ?? GENESIS_PREV,
        },
        sha,
      ),
    );
  }
  return out;
}

/** A store bundle for S-1 (device d1) inside a log that also holds another store's events. */
function makeBundle(): BundleLine[] {
  const mine = chain('d1', 'S-1', 6);
  const other = chain('d2', 'S-2', 5);
  const log = [
    mine[0]!,
    other[0]!,
    mine[1]!,
    mine[2]!,
    other[1]!,
    other[2]!,
    mine[3]!,
    mine[4]!,
    other[3]!,
    mine[5]!,
    other[4]!,
  ];
  const leaves = log.map((e) => leafHash(hexToBytes(e.hash)));
  const size = log.length;
  const treeHead = {
    kind: 'tree-head' as const,
    v: 1 as const,
    logId,
    size,
    root: bytesToHex(rootOfLeafHashes(leaves)),
    at: '2026-03-01T10:00:00.000Z',
  };
  const lines: BundleLine[] = [
    {
      kind: 'header',
      v: 1,
      format: BUNDLE_FORMAT,
      logId,
      logPublicKey: b64(logPub),
      storeId: 'S-1',
      from: null,
      to: null,
      createdAt: '2026-03-01T10:00:00.000Z',
    },
    { kind: 'device', deviceId: 'd1', storeId: 'S-1', publicKey: b64(devPub) },
  ];
  log.forEach((e, index) => {
    if (e.storeId === 'S-1') lines.push({ kind: 'event', index, event: e });
  });
  lines.push({
    kind: 'checkpoint',
    deviceId: 'd1',
    seq: 4,
    head: mine[3]!.hash,
    signature: b64(ed25519.sign(text(checkpointText('d1', 4, mine[3]!.hash)), devSeed)),
  });
  lines.push({
    kind: 'tree-head',
    treeHead,
    signature: b64(ed25519.sign(text(treeHeadText(treeHead)), logSeed)),
  });
  log.forEach((e, index) => {
    if (e.storeId === 'S-1')
      lines.push({
        kind: 'inclusion',
        index,
        size,
        leafHash: bytesToHex(leaves[index]!),
        path: inclusionPath(leaves, index, size).map(bytesToHex),
      });
  });
  return lines;
}

const asText = (lines: BundleLine[]) => lines.map((l) => JSON.stringify(l));

// node:crypto (as the CLI uses) where a test verifies thousands of bundles.
const nodeCrypto: BundleCrypto = {
  sha256: (d) => createHash('sha256').update(d).digest(),
  ed25519Verify: (pub, msg, sig) =>
    verify(
      null,
      msg,
      createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]),
        format: 'der',
        type: 'spki',
      }),
      sig,
    ),
};

describe('audit bundle verification', () => {
  it('accepts a well-formed store bundle, given as text or as objects', () => {
    expect(verifyBundle(asText(makeBundle()))).toMatchObject({
      ok: true,
      events: 6,
      devices: 1,
      checkpoints: 1,
    });
    expect(verifyBundle(makeBundle(), undefined, { trustedLogPublicKey: b64(logPub) }).ok).toBe(
      true,
    );
  });

  const cases: Array<[string, (lines: BundleLine[]) => BundleLine[] | string[]]> = [
    [
      'an edited event',
      (l) =>
        l.map((x) =>
          x.kind === 'event' && x.event.seq === 3
            ? { ...x, event: { ...x.event, at: '2027-01-01T00:00:00.000Z' } }
            : x,
        ),
    ],
    [
      'an event with its hash recomputed after an edit',
      (l) =>
        l.map((x) =>
          x.kind === 'event' && x.event.seq === 3
            ? { ...x, event: sealEvent({ ...x.event, at: '2027-01-01T00:00:00.000Z' }, sha) }
            : x,
        ),
    ],
    [
      'a missing event in the middle of a chain',
      (l) =>
        l.filter(
          (x) =>
            !(x.kind === 'event' && x.event.seq === 3) &&
            !(x.kind === 'inclusion' && x.index === 3),
        ),
    ],
    [
      'a missing inclusion proof',
      (l) => l.filter((x) => !(x.kind === 'inclusion' && x.index === 0)),
    ],
    [
      'a proof path element flipped',
      (l) =>
        l.map((x) =>
          x.kind === 'inclusion' && x.index === 2
            ? {
                ...x,
                path: [
                  x.path[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0')),
                  ...x.path.slice(1),
                ],
              }
            : x,
        ),
    ],
    [
      'a tree head with another root',
      (l) =>
        l.map((x) =>
          x.kind === 'tree-head' ? { ...x, treeHead: { ...x.treeHead, root: sha('x') } } : x,
        ),
    ],
    [
      'a checkpoint signed by another key',
      (l) =>
        l.map((x) =>
          x.kind === 'checkpoint'
            ? { ...x, signature: b64(ed25519.sign(text(checkpointText('d1', 4, x.head)), logSeed)) }
            : x,
        ),
    ],
    [
      'an event of another store',
      (l) => l.map((x) => (x.kind === 'header' ? { ...x, storeId: 'S-2' } : x)),
    ],
    ['no header first', (l) => l.slice(1)],
    ['a line that is not JSON', (l) => [...asText(l).slice(0, 3), '{oops', ...asText(l).slice(3)]],
    [
      'a different log key',
      (l) => l.map((x) => (x.kind === 'header' ? { ...x, logPublicKey: b64(devPub) } : x)),
    ],
  ];
  for (const [name, mutate] of cases) {
    it(`rejects ${name}`, () => {
      const mutated = mutate(makeBundle());
      const result = verifyBundle(mutated);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.line).toBeGreaterThan(0);
      // The same as JSON Lines text (the verifier reads inclusion lines in place).
      if (typeof mutated[0] !== 'string') {
        const asLines = verifyBundle(asText(mutated as BundleLine[]));
        expect(asLines).toEqual(result);
      }
    });
  }

  it('rejects any one path element or leaf hash flipped, in any proof, as text', () => {
    const lines = asText(makeBundle());
    let trials = 0;
    lines.forEach((line, i) => {
      if (!line.startsWith('{"kind":"inclusion"')) return;
      const proof = JSON.parse(line) as { leafHash: string; path: string[] };
      for (const hex of [proof.leafHash, ...proof.path]) {
        const at = line.indexOf(hex);
        const flipped = line.slice(0, at) + (hex[0] === '0' ? '1' : '0') + line.slice(at + 1);
        const copy = [...lines];
        copy[i] = flipped;
        const result = verifyBundle(copy);
        expect(result.ok, `line ${i + 1}`).toBe(false);
        trials += 1;
      }
    });
    expect(trials).toBeGreaterThan(10);
  });

  it('rejects any byte of an inclusion path replaced by a character that is not hex, at that line', () => {
    // The verifier reads inclusion lines in place: layout, escapes and digits must all still be checked.
    const lines = asText(makeBundle());
    const i = lines.findLastIndex((l) => l.startsWith('{"kind":"inclusion"'));
    const line = lines[i]!;
    const pathStart = line.indexOf('"path":[') + '"path":['.length;
    let trials = 0;
    for (let at = pathStart; at < line.length; at++) {
      for (const c of ['g', '"', ',', '\\', '\u0001']) {
        if (line[at] === c) continue;
        const copy = [...lines];
        copy[i] = line.slice(0, at) + c + line.slice(at + 1);
        const result = verifyBundle(copy, nodeCrypto);
        expect(result.ok, `offset ${at}, ${JSON.stringify(c)}`).toBe(false);
        if (!result.ok) expect(result.line).toBe(i + 1);
        trials += 1;
      }
    }
    expect(trials).toBeGreaterThan(1000);
  });

  it('rejects a checkpoint, signed by the device, over another event than the log holds at its seq', () => {
    const lines = makeBundle().map((x): BundleLine => {
      if (x.kind !== 'checkpoint') return x;
      const head = sha('another history');
      return {
        ...x,
        head,
        signature: b64(ed25519.sign(text(checkpointText('d1', 4, head)), devSeed)),
      };
    });
    const result = verifyBundle(asText(lines));
    expect(result).toMatchObject({
      ok: false,
      reason: 'device d1 signed a different event at seq 4 than the log holds',
    });
  });

  it('rejects a tree head older than, or different from, the last one verified', () => {
    const lines = makeBundle();
    const th = lines.find((x) => x.kind === 'tree-head')!;
    if (th.kind !== 'tree-head') throw new Error('no tree head');
    expect(
      verifyBundle(lines, undefined, {
        knownTreeHead: { size: th.treeHead.size + 1, root: th.treeHead.root },
      }).ok,
    ).toBe(false);
    expect(
      verifyBundle(lines, undefined, {
        knownTreeHead: { size: th.treeHead.size, root: sha('other') },
      }).ok,
    ).toBe(false);
    expect(
      verifyBundle(lines, undefined, {
        knownTreeHead: { size: th.treeHead.size, root: th.treeHead.root },
      }).ok,
    ).toBe(true);
    expect(verifyBundle(lines, undefined, { trustedLogPublicKey: b64(devPub) }).ok).toBe(false);
  });
});
