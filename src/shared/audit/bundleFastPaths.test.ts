/**
 * The bundle verifier's fast paths must never change a verdict: event lines
 * read by their canonical layout (readCanonicalEventLine), inclusion lines
 * read in place, inclusion proofs checked against the last verified path.
 * The references are the slow paths: JSON.parse + RFC 8785 (canonicalize)
 * for an event line, and the same bundle given as parsed objects, which takes
 * none of the text fast paths.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_FORMAT,
  readCanonicalEventLine,
  verifyBundle,
  type BundleCrypto,
  type BundleLine,
} from './bundle.ts';
import {
  GENESIS_PREV,
  canonicalBody,
  checkpointText,
  sealEvent,
  treeHeadText,
  type AuditEvent,
  type AuditEventBody,
  type JsonValue,
} from './event.ts';
import { bytesToHex, hexToBytes } from './hex.ts';
import { inclusionPath, leafHash, rootOfLeafHashes } from './merkle.ts';
import { binaryString } from '../testing/binaryString.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const utf8 = (s: string) => new TextEncoder().encode(s);

// DER prefixes of a raw 32-byte Ed25519 key (RFC 8410): SubjectPublicKeyInfo and PKCS #8.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const publicKeys = new Map<string, KeyObject>();

function ed25519PublicKey(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('hex');
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
    publicKeys.set(id, key);
  }
  return key;
}

/**
 * A seed's key pair through node:crypto: Ed25519 signatures are
 * deterministic, so these are the bytes @noble's sign gives, at a fraction
 * of the CPU (bundles here are built by the hundred).
 */
function ed25519KeyPair(seed: Uint8Array): {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
} {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    publicKey: new Uint8Array(spki.subarray(ED25519_SPKI_PREFIX.length)),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

// node:crypto with every optional fast path, as the CLI's nodeBundleCrypto has
// them (Ed25519 included: the pure @noble path is the default crypto, which the
// random-edit property compares against this one).
const fastCrypto: BundleCrypto = {
  sha256: (d) => createHash('sha256').update(d).digest(),
  sha256Hex: sha,
  leafHashHex: (entry) =>
    createHash('sha256')
      .update(Buffer.from([0]))
      .update(Buffer.from(entry, 'hex'))
      .digest('hex'),
  nodeHashHex: (left, right) =>
    createHash('sha256')
      .update(Buffer.from([1]))
      .update(Buffer.from(left, 'hex'))
      .update(Buffer.from(right, 'hex'))
      .digest('hex'),
  ed25519Verify: (pub, msg, sig) => {
    try {
      return pub.length === 32 && verify(null, msg, ed25519PublicKey(pub), sig);
    } catch {
      return false;
    }
  },
};

/** An event line exactly as the central server writes it: the canonical body, then `hash`. */
function serverEventLine(index: number, event: AuditEvent): string {
  const body = canonicalBody(event);
  return JSON.stringify({
    kind: 'event',
    index,
    event: { ...(JSON.parse(body) as object), hash: event.hash },
  });
}

function outcome<T>(f: () => T): { value: T } | { refused: true } {
  try {
    return { value: f() };
  } catch {
    return { refused: true };
  }
}

/**
 * The fast reader's contract for one line: when it answers, the line is valid
 * JSON whose event the slow path canonicalizes to exactly the answered body,
 * and the facts are the parsed event's.
 */
function expectSameAsSlowPath(line: string): 'fast' | 'slow' {
  const fast = readCanonicalEventLine(line);
  if (fast === null) return 'slow';
  const parsed = JSON.parse(line) as { kind: string; index: number; event: AuditEvent };
  expect(parsed.kind).toBe('event');
  expect(fast.index).toBe(parsed.index);
  expect(Number.isSafeInteger(parsed.index) && parsed.index >= 0).toBe(true);
  expect(outcome(() => canonicalBody(parsed.event))).toEqual({ value: fast.body });
  const { id, deviceId, seq, storeId, prev, hash } = parsed.event;
  expect(fast.event).toEqual({ id, deviceId, seq, storeId, prev, hash });
  return 'fast';
}

// fc.string({ unit: 'binary', maxLength: 10 }), value for value, without its ~1 s start-up.
const anyText = binaryString({ maxLength: 10 });
// Text JSON.stringify writes as is (the fast path's domain), including non-ASCII.
const plainText = fc.string({
  unit: fc.constantFrom(...'abcXYZ019-_:. é€ÿ\u007f~'.split('')),
  maxLength: 10,
});
// Mostly plain text, sometimes anything (escapes, control characters, lone surrogates).
const someText = fc.oneof({ weight: 6, arbitrary: plainText }, { weight: 1, arbitrary: anyText });
const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    someText,
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(0, -1, 10, 9007199254740991, -9007199254740991),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(someText, fc.constantFrom('9', '10', '__proto__', 'hash')),
      tie('json'),
      {
        maxKeys: 4,
      },
    ),
  ),
}));
const eventBody = fc.record({
  v: fc.constant(1 as const),
  id: someText,
  deviceId: plainText,
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  at: plainText,
  actor: fc.record({ userId: plainText, role: fc.constantFrom('technician', 'manager') }),
  storeId: someText,
  type: plainText,
  payload: fc.dictionary(someText, json, { maxKeys: 5 }),
  prev: fc.oneof(fc.constant(GENESIS_PREV), plainText),
}) as fc.Arbitrary<AuditEventBody>;

/** Textual edits a forger or a broken exporter could make to a canonical line. */
const EDITS = [
  ' ',
  '\\u0041',
  '\\/',
  '0',
  '-',
  '.0',
  'e1',
  '"',
  ',',
  '}',
  '{',
  ']',
  '"v":1,',
  '"seq":2,',
  '"zz":1,',
  '"a":1,',
  '"b":false,',
  '"previousVersion":"x",',
  '"a":-0,',
  '"a":1.5,',
  '"a":9007199254740993,',
] as const;

describe('event lines read by their canonical layout', () => {
  it('take the fast path for the usual event, and give the body and facts the slow path gives', () => {
    const event = sealEvent(
      {
        v: 1,
        id: 'e-1',
        deviceId: 'd1',
        seq: 7,
        at: '2026-03-01T09:00:00.000Z',
        actor: { userId: 'u-1', role: 'technician' },
        storeId: 'S-1',
        type: 'fleet.version.recorded',
        payload: {
          terminalId: 'T-1',
          version: '1.0.0',
          previousVersion: null,
          source: 'typed',
          n: -12,
        },
        prev: GENESIS_PREV,
      },
      sha,
    );
    expect(expectSameAsSlowPath(serverEventLine(3, event))).toBe('fast');
    // Not the server's layout (keys in insertion order): the slow path decides.
    expect(readCanonicalEventLine(JSON.stringify({ kind: 'event', index: 3, event }))).toBeNull();
  });

  it('agree with JSON.parse + RFC 8785 for any event, in the server layout or any other', () => {
    let fastCount = 0;
    fc.assert(
      fc.property(eventBody, fc.nat(1_000_000), fc.boolean(), (body, index, isServerLayout) => {
        const canonical = outcome(() => sealEvent(body, sha));
        if ('refused' in canonical) return;
        const event = canonical.value;
        const line = isServerLayout
          ? serverEventLine(index, event)
          : JSON.stringify({ kind: 'event', index, event });
        if (expectSameAsSlowPath(line) === 'fast') fastCount += 1;
      }),
      { numRuns: 3000, seed: 20261124 },
    );
    // The property would hold vacuously if the fast path never answered.
    expect(fastCount).toBeGreaterThan(300);
  });

  it('agree with the slow path after any one edit anywhere in a line (escapes, key order, duplicate keys, numbers)', () => {
    const events = [
      { payload: { terminalId: 'T-1', version: '1.0.0', previousVersion: null, source: 'typed' } },
      { payload: { a: [1, -2, { b: true, c: [] }], d: {}, e: 'x y' } },
      { payload: {} },
    ].map((extra, i) =>
      sealEvent(
        {
          v: 1,
          id: `e-${i}`,
          deviceId: 'd1',
          seq: 9007199254740991 - i,
          at: '2026-03-01T09:00:00.000Z',
          actor: { userId: 'u-1', role: 'technician' },
          storeId: 'S-1',
          type: 'fleet.version.recorded',
          prev: GENESIS_PREV,
          ...extra,
        } as AuditEventBody,
        sha,
      ),
    );
    let trials = 0;
    let accepted = 0;
    for (const [i, event] of events.entries()) {
      const line = serverEventLine(i * 10, event);
      expect(expectSameAsSlowPath(line)).toBe('fast');
      for (let at = 0; at <= line.length; at++) {
        const variants = [
          line.slice(0, at) + line.slice(at + 1),
          ...EDITS.map((edit) => line.slice(0, at) + edit + line.slice(at)),
          ...EDITS.map((edit) => line.slice(0, at) + edit + line.slice(at + edit.length)),
        ];
        for (const variant of variants) {
          const parses = outcome(() => JSON.parse(variant) as unknown);
          const path = expectSameAsSlowPath(variant);
          if ('refused' in parses) expect(path).toBe('slow');
          if (path === 'fast') accepted += 1;
          trials += 1;
        }
      }
    }
    expect(trials).toBeGreaterThan(30_000);
    // Some edits keep the line canonical (a digit inside a string): those must still be read right.
    expect(accepted).toBeGreaterThan(100);
  });
});

// --- Whole bundles: the text form (fast paths) against the object form (slow paths) ---

const logKey = ed25519KeyPair(new Uint8Array(32).fill(7));
const logPub = logKey.publicKey;
const logId = sha256HexOfBytes(logPub);
const deviceKey = ed25519KeyPair(new Uint8Array(32).fill(3));

function sha256HexOfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A store bundle for S-1 out of a log of `size` entries where the entries at
 * `mine` are S-1's (device d1, in log order), the rest another store's.
 * `order` shuffles the event and inclusion lines (a fixed permutation seed).
 */
function storeBundle(size: number, mine: readonly number[], shuffleSeed = 0): string[] {
  const chains = new Map<string, AuditEvent[]>();
  const log: AuditEvent[] = [];
  const isMine = new Set(mine);
  for (let index = 0; index < size; index++) {
    const deviceId = isMine.has(index) ? 'd1' : 'd2';
    const chain = chains.get(deviceId) ?? [];
    const seq = chain.length + 1;
    const event = sealEvent(
      {
        v: 1,
        id: `${deviceId}-${seq}`,
        deviceId,
        seq,
        at: '2026-03-01T09:00:00.000Z',
        actor: { userId: 'u-1', role: 'technician' },
        storeId: deviceId === 'd1' ? 'S-1' : 'S-2',
        type: 'fleet.version.recorded',
        payload: {
          terminalId: `T-${index}`,
          version: '1.0.0',
          previousVersion: null,
          source: 'typed',
        },
        prev: chain.at(-1)?.hash ?? GENESIS_PREV,
      },
      sha,
    );
    chain.push(event);
    chains.set(deviceId, chain);
    log.push(event);
  }
  const leaves = log.map((e) => leafHash(hexToBytes(e.hash)));
  const treeHead = {
    kind: 'tree-head' as const,
    v: 1 as const,
    logId,
    size,
    root: bytesToHex(rootOfLeafHashes(leaves)),
    at: '2026-03-01T10:00:00.000Z',
  };
  const mineEvents = chains.get('d1') ?? [];
  const last = mineEvents.at(-1);
  const header: BundleLine = {
    kind: 'header',
    v: 1,
    format: BUNDLE_FORMAT,
    logId,
    logPublicKey: b64(logPub),
    storeId: 'S-1',
    from: null,
    to: null,
    createdAt: treeHead.at,
  };
  const device: BundleLine = {
    kind: 'device',
    deviceId: 'd1',
    storeId: 'S-1',
    publicKey: b64(deviceKey.publicKey),
  };
  const eventLines = mine.map((index) => serverEventLine(index, log[index]!));
  const inclusionLines = mine.map((index) =>
    JSON.stringify({
      kind: 'inclusion',
      index,
      size,
      leafHash: bytesToHex(leaves[index]!),
      path: inclusionPath(leaves, index, size).map(bytesToHex),
    } satisfies BundleLine),
  );
  const rest: BundleLine[] = [];
  if (last)
    rest.push({
      kind: 'checkpoint',
      deviceId: 'd1',
      seq: last.seq,
      head: last.hash,
      signature: b64(deviceKey.sign(utf8(checkpointText('d1', last.seq, last.hash)))),
    });
  rest.push({
    kind: 'tree-head',
    treeHead,
    signature: b64(logKey.sign(utf8(treeHeadText(treeHead)))),
  });
  return [
    JSON.stringify(header),
    JSON.stringify(device),
    ...shuffled(eventLines, shuffleSeed),
    ...rest.map((l) => JSON.stringify(l)),
    ...shuffled(inclusionLines, shuffleSeed + 1),
  ];
}

/** A deterministic shuffle (seed 0 keeps the order). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  if (seed === 0) return out;
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same lines as parsed objects where they parse: the verifier then takes none of its text fast paths. */
function asObjects(lines: readonly string[]): unknown[] {
  return lines.map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return line;
    }
  });
}

describe('bundle verification: text fast paths against the object form', () => {
  it('accepts sound store bundles of any size, any subset of the log, in any line order', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 70 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.uniqueArray(fc.nat(size - 1), { minLength: 1, maxLength: size }),
              fc.nat(1000),
            ),
          ),
        ([size, picked, seed]) => {
          const mine = [...picked].sort((a, b) => a - b);
          const lines = storeBundle(size, mine, seed);
          const text = verifyBundle(lines, fastCrypto);
          expect(text).toMatchObject({ ok: true, events: mine.length });
          expect(verifyBundle(asObjects(lines), fastCrypto)).toEqual(text);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('rejects every path element and leaf hash flipped, in every proof and line order, at that line, as the object form does', () => {
    let trials = 0;
    for (const [size, mine, seed] of [
      [37, [0, 1, 2, 5, 8, 9, 20, 31, 32, 36], 0],
      [37, [0, 1, 2, 5, 8, 9, 20, 31, 32, 36], 5],
      [64, Array.from({ length: 64 }, (_, i) => i), 9],
      [19, [18], 0],
    ] as const) {
      const lines = storeBundle(size, mine, seed);
      lines.forEach((line, i) => {
        if (!line.startsWith('{"kind":"inclusion"')) return;
        const proof = JSON.parse(line) as { leafHash: string; path: string[] };
        for (const hex of [proof.leafHash, ...proof.path]) {
          const at = line.indexOf(hex) + (trials % 64);
          const flipped = line.slice(0, at) + (line[at] === '0' ? '1' : '0') + line.slice(at + 1);
          const copy = [...lines];
          copy[i] = flipped;
          const result = verifyBundle(copy, fastCrypto);
          expect(result, `line ${i + 1}`).toMatchObject({ ok: false, line: i + 1 });
          expect(verifyBundle(asObjects(copy), fastCrypto)).toEqual(result);
          trials += 1;
        }
      });
    }
    expect(trials).toBeGreaterThan(200);
  });

  it('gives the same verdict, line and reason as the object form after random edits anywhere in a bundle', () => {
    const lines = storeBundle(23, [0, 2, 3, 4, 7, 8, 15, 16, 22], 0);
    const edit = fc.record({
      line: fc.nat(lines.length - 1),
      at: fc.nat(2000),
      kind: fc.constantFrom(
        'replace',
        'insert',
        'delete',
        'swap-lines',
        'drop-line',
        'duplicate-line',
      ),
      text: fc.oneof(fc.constantFrom(...EDITS), fc.constantFrom('a', 'f', '1', 'S', '2')),
      other: fc.nat(lines.length - 1),
    });
    let failures = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 2 }), (edits) => {
        const copy = [...lines];
        for (const e of edits) {
          const line = copy[e.line] ?? '';
          const at = e.at % (line.length + 1);
          switch (e.kind) {
            case 'replace':
              copy[e.line] = line.slice(0, at) + e.text + line.slice(at + e.text.length);
              break;
            case 'insert':
              copy[e.line] = line.slice(0, at) + e.text + line.slice(at);
              break;
            case 'delete':
              copy[e.line] = line.slice(0, at) + line.slice(at + 1);
              break;
            case 'swap-lines':
              [copy[e.line], copy[e.other]] = [copy[e.other]!, line];
              break;
            case 'drop-line':
              copy.splice(e.line, 1);
              break;
            case 'duplicate-line':
              copy.splice(e.other, 0, line);
              break;
          }
        }
        const text = verifyBundle(copy, fastCrypto);
        expect(verifyBundle(asObjects(copy), fastCrypto)).toEqual(text);
        // And the default (pure, @noble) crypto agrees with the node fast paths.
        expect(verifyBundle(copy)).toEqual(text);
        if (!text.ok) failures += 1;
      }),
      { numRuns: 1500, seed: 3 },
    );
    expect(failures).toBeGreaterThan(1000);
  });
});
